import RBush from "rbush";
import type { Bounds } from "./bounds";

interface Entry extends Bounds {
  id: string;
}

/**
 * Ids by bounding box (an R-tree via rbush), so hit testing and culling look at
 * a handful of candidates instead of every shape. Callers do the exact test.
 */
export class SpatialIndex {
  private readonly tree = new RBush<Entry>();
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /** Inserts or moves `id`. */
  set(id: string, bounds: Bounds): void {
    this.delete(id);
    const entry: Entry = { ...bounds, id };
    this.entries.set(id, entry);
    this.tree.insert(entry);
  }

  delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.tree.remove(entry);
    this.entries.delete(id);
  }

  /** Replaces everything at once (bulk load is much faster than inserts). */
  reset(items: Iterable<[string, Bounds]>): void {
    this.tree.clear();
    this.entries.clear();
    const all: Entry[] = [];
    for (const [id, bounds] of items) {
      const entry = { ...bounds, id };
      this.entries.set(id, entry);
      all.push(entry);
    }
    this.tree.load(all);
  }

  /** Ids whose bounds intersect `area` (edges touching count). */
  search(area: Bounds): string[] {
    return this.tree.search(area).map((e) => e.id);
  }

  boundsOf(id: string): Bounds | undefined {
    const e = this.entries.get(id);
    return e ? { minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY } : undefined;
  }
}
