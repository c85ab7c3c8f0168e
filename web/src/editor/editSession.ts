import type { AnnotationObject } from "../schema";
import type { Change } from "./history";
import type { ObjectStore } from "./objectStore";
import { acceptSuggestion } from "./suggestions";

/**
 * A gesture that edits existing objects live (drag, resize, rotate): the
 * store changes on every move, and only the start and the end become one
 * undoable change.
 */
export class EditSession {
  private readonly before: Map<string, AnnotationObject | undefined>;

  constructor(private readonly store: ObjectStore, ids: readonly string[], private readonly selection: readonly string[]) {
    this.before = new Map(ids.map((id) => [id, store.get(id)]));
  }

  preview(objects: readonly AnnotationObject[]): void {
    this.store.apply(new Map(objects.filter((o) => this.before.has(o.id)).map((o) => [o.id, o])));
  }

  /** The change from start to now, or null when nothing moved. Edited model suggestions become human objects. */
  finish(label: string, selectionAfter: readonly string[]): Change | null {
    const edited = [...this.before].flatMap(([id, was]) => {
      const now = this.store.get(id);
      return now && was && now !== was && now.source.kind === "model" ? [acceptSuggestion(now)] : [];
    });
    if (edited.length) this.store.apply(new Map(edited.map((o) => [o.id, o])));
    const after = new Map([...this.before.keys()].map((id) => [id, this.store.get(id)]));
    const changed = [...after].some(([id, o]) => o !== this.before.get(id));
    if (!changed) return null;
    return { label, before: this.before, after, orderBefore: null, orderAfter: null, selectionBefore: this.selection, selectionAfter };
  }

  cancel(): void {
    this.store.apply(this.before);
  }
}
