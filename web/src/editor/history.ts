import type { Answers, AnnotationObject } from "../schema";

/**
 * One undoable edit: each touched object before and after (undefined =
 * absent), the z-order on both sides when membership changed, and the
 * selection to restore on both sides.
 */
export interface Change {
  label: string;
  before: ReadonlyMap<string, AnnotationObject | undefined>;
  after: ReadonlyMap<string, AnnotationObject | undefined>;
  orderBefore: readonly string[] | null;
  orderAfter: readonly string[] | null;
  selectionBefore: readonly string[];
  selectionAfter: readonly string[];
  classificationsBefore?: Answers;
  classificationsAfter?: Answers;
}

export type Direction = "undo" | "redo";

/** The command stack: `push` records a change that has already been applied. */
export class History {
  private readonly done: Change[] = [];
  private undone: Change[] = [];
  /** Counts pushes, undos and redos (views compare it to see that the history moved). */
  version = 0;

  constructor(private readonly limit = 1000) {}

  push(change: Change): void {
    this.done.push(change);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.version++;
  }

  /** The change to revert, moved to the redo stack; null when nothing to undo. */
  takeUndo(): Change | null {
    const change = this.done.pop();
    if (!change) return null;
    this.undone.push(change);
    this.version++;
    return change;
  }

  /** The change to re-apply, moved back to the undo stack. */
  takeRedo(): Change | null {
    const change = this.undone.pop();
    if (!change) return null;
    this.done.push(change);
    this.version++;
    return change;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Labels bottom to top, for a history panel and for tests. */
  get undoLabels(): string[] {
    return this.done.map((c) => c.label);
  }
}
