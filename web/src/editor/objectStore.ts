import type { AnnotationObject } from "../schema";

export type StoreListener = (changedIds: ReadonlySet<string>) => void;

/**
 * The annotation's objects in z-order (later = on top). Objects are immutable
 * values: an edit replaces the object, so `a !== b` means "changed".
 */
export class ObjectStore {
  private readonly byId = new Map<string, AnnotationObject>();
  private order: string[] = [];
  private orderIndexCache: Map<string, number> | null = null;
  private readonly listeners = new Set<StoreListener>();
  /** Counts `apply` calls: views compare it to see that objects or their order changed. */
  version = 0;

  constructor(objects: readonly AnnotationObject[] = []) {
    for (const o of objects) this.byId.set(o.id, o);
    this.order = objects.map((o) => o.id);
  }

  get(id: string): AnnotationObject | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.order.length;
  }

  /** All objects bottom to top. */
  all(): AnnotationObject[] {
    return this.order.map((id) => this.byId.get(id) as AnnotationObject);
  }

  ids(): readonly string[] {
    return this.order;
  }

  /** Z position (0 = bottom), or -1. */
  zIndex(id: string): number {
    if (!this.orderIndexCache) this.orderIndexCache = new Map(this.order.map((oid, i) => [oid, i]));
    return this.orderIndexCache.get(id) ?? -1;
  }

  /**
   * Sets each id to its object (undefined removes it). New ids go on top unless
   * `order` is given, which then replaces the z-order wholesale.
   */
  apply(entries: ReadonlyMap<string, AnnotationObject | undefined>, order?: readonly string[]): void {
    let orderChanged = false;
    for (const [id, obj] of entries) {
      if (obj) {
        if (!this.byId.has(id)) {
          this.order.push(id);
          orderChanged = true;
        }
        this.byId.set(id, obj);
      } else if (this.byId.delete(id)) {
        orderChanged = true;
      }
    }
    if (order) {
      this.order = [...order];
      orderChanged = true;
    } else if (orderChanged) {
      this.order = this.order.filter((id) => this.byId.has(id));
    }
    if (orderChanged) this.orderIndexCache = null;
    this.version++;
    const changed = new Set(entries.keys());
    for (const listener of this.listeners) listener(changed);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
