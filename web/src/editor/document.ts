import type { Answers, AnnotationObject } from "../schema";
import type { Change, Direction } from "./history";
import { History } from "./history";
import type { ObjectStore } from "./objectStore";

/**
 * The annotation being edited: objects (in the store), whole-asset
 * classifications, and the undo history of both. Every edit goes through
 * `change`, so undo/redo cover every edit.
 */
export class AnnotationDocument {
  readonly history = new History();
  private classificationAnswers: Answers;

  constructor(readonly store: ObjectStore, classifications: Answers) {
    this.classificationAnswers = { ...classifications };
  }

  get classifications(): Answers {
    return this.classificationAnswers;
  }

  /**
   * Applies puts and removals as one undo step. Returns the change (null when
   * nothing would change). `selection` gives the selection before and after.
   */
  change(
    label: string,
    put: readonly AnnotationObject[],
    remove: readonly string[],
    selection: { before: readonly string[]; after: readonly string[] },
  ): Change | null {
    const after = new Map<string, AnnotationObject | undefined>();
    for (const id of remove) if (this.store.has(id)) after.set(id, undefined);
    for (const o of put) after.set(o.id, o);
    const before = new Map([...after.keys()].map((id) => [id, this.store.get(id)]));
    if ([...after].every(([id, o]) => before.get(id) === o)) return null;
    const membershipChanges = [...after].some(([id, o]) => (o === undefined) !== (before.get(id) === undefined));
    const orderBefore = membershipChanges ? [...this.store.ids()] : null;
    this.store.apply(after);
    const orderAfter = membershipChanges ? [...this.store.ids()] : null;
    const change: Change = { label, before, after, orderBefore, orderAfter, selectionBefore: selection.before, selectionAfter: selection.after };
    this.history.push(change);
    return change;
  }

  setClassifications(label: string, answers: Answers, selection: readonly string[]): Change {
    const change: Change = {
      label,
      before: new Map(),
      after: new Map(),
      orderBefore: null,
      orderAfter: null,
      selectionBefore: selection,
      selectionAfter: selection,
      classificationsBefore: this.classificationAnswers,
      classificationsAfter: { ...answers },
    };
    this.classificationAnswers = { ...answers };
    this.history.push(change);
    return change;
  }

  /** Replaces the z-order (bottom to top) as one undo step; the ids must be the store's ids. */
  reorder(label: string, order: readonly string[], selection: readonly string[]): Change | null {
    const before = [...this.store.ids()];
    if (order.length !== before.length || order.every((id, i) => id === before[i])) return null;
    this.store.apply(new Map(), order);
    const change: Change = { label, before: new Map(), after: new Map(), orderBefore: before, orderAfter: [...order], selectionBefore: selection, selectionAfter: selection };
    this.history.push(change);
    return change;
  }

  /** Records a change that was already applied to the store (an edit session). */
  record(change: Change): void {
    this.history.push(change);
  }

  /** Undoes or redoes one step; returns the selection to restore, or null when there was nothing. */
  step(direction: Direction): readonly string[] | null {
    const change = direction === "undo" ? this.history.takeUndo() : this.history.takeRedo();
    if (!change) return null;
    const undo = direction === "undo";
    this.store.apply(undo ? change.before : change.after, (undo ? change.orderBefore : change.orderAfter) ?? undefined);
    const answers = undo ? change.classificationsBefore : change.classificationsAfter;
    if (answers) this.classificationAnswers = { ...answers };
    return undo ? change.selectionBefore : change.selectionAfter;
  }
}
