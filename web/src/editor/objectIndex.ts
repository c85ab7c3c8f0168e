import type { Bounds, Vec2 } from "../geometry";
import { SpatialIndex, boundsOfGeometry, hitTestGeometry } from "../geometry";
import type { AnnotationObject } from "../schema";
import type { ObjectStore } from "./objectStore";

/**
 * Keeps a spatial index of the store's objects up to date, and answers
 * "what is under this point" and "what is in this rectangle" in z-order.
 */
export class ObjectIndex {
  private readonly index = new SpatialIndex();

  constructor(private readonly store: ObjectStore) {
    this.index.reset(store.all().map((o) => [o.id, boundsOfGeometry(o.geometry)]));
    store.subscribe((changed) => {
      for (const id of changed) {
        const o = store.get(id);
        if (o) this.index.set(id, boundsOfGeometry(o.geometry));
        else this.index.delete(id);
      }
    });
  }

  /** Objects whose bounds meet `area`, bottom to top, that pass `accept`. */
  query(area: Bounds, accept: (o: AnnotationObject) => boolean = () => true): AnnotationObject[] {
    return this.index
      .search(area)
      .map((id) => this.store.get(id))
      .filter((o): o is AnnotationObject => o !== undefined && accept(o))
      .sort((a, b) => this.store.zIndex(a.id) - this.store.zIndex(b.id));
  }

  /** The topmost object that `p` hits (within `tolerance` asset pixels of its outline), or null. */
  hitTest(p: Vec2, tolerance: number, accept: (o: AnnotationObject) => boolean = () => true): AnnotationObject | null {
    const area = { minX: p.x - tolerance, minY: p.y - tolerance, maxX: p.x + tolerance, maxY: p.y + tolerance };
    const candidates = this.query(area, accept);
    for (let i = candidates.length - 1; i >= 0; i--) {
      const o = candidates[i] as AnnotationObject;
      if (hitTestGeometry(o.geometry, p, tolerance)) return o;
    }
    return null;
  }

  boundsOf(id: string): Bounds | undefined {
    return this.index.boundsOf(id);
  }
}
