import type { PlaneMap } from "./planes";
import { sliceStrides } from "./planes";

/** One undoable change: voxel indices and the values they had before, in the order changed. */
export interface LabelChange {
  label: string;
  indices: number[];
  before: number[];
}

/**
 * The 3-D label map being painted: one byte per voxel (0 = none, n = the n-th volume_mask class),
 * C-ordered like the voxels. Painting records a `LabelChange` per stroke for undo.
 */
export class LabelVolume {
  readonly data: Uint8Array;
  readonly dims: [number, number, number];
  private readonly undoStack: LabelChange[] = [];
  private readonly redoStack: LabelChange[] = [];
  private current: LabelChange | null = null;
  /** Bumped on every change; viewers redraw when it moves. */
  version = 0;

  constructor(dims: [number, number, number]) {
    this.dims = dims;
    this.data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  }

  begin(label: string): void {
    this.current = { label, indices: [], before: [] };
  }

  end(): void {
    if (this.current && this.current.indices.length > 0) {
      this.undoStack.push(this.current);
      this.redoStack.length = 0;
    }
    this.current = null;
  }

  set(index: number, value: number): void {
    const old = this.data[index] as number;
    if (old === value) return;
    if (this.current) {
      this.current.indices.push(index);
      this.current.before.push(old);
    }
    this.data[index] = value;
  }

  /**
   * A round dab of `radiusMm` on slice `s` of `plane`, centred at image point (cu, cv) (pixel
   * units, pixel centres at +0.5). `value` 0 erases; `only` restricts erasing to one class.
   */
  dab(map: PlaneMap, s: number, cu: number, cv: number, radiusMm: number, value: number, only = 0): void {
    const { origin, du, dv } = sliceStrides(map, this.dims, s);
    const ru = radiusMm / map.spacingU;
    const rv = radiusMm / map.spacingV;
    const u0 = Math.max(0, Math.floor(cu - ru));
    const u1 = Math.min(map.width - 1, Math.ceil(cu + ru));
    const v0 = Math.max(0, Math.floor(cv - rv));
    const v1 = Math.min(map.height - 1, Math.ceil(cv + rv));
    for (let pv = v0; pv <= v1; pv++) {
      const y = (pv + 0.5 - cv) / rv;
      for (let pu = u0; pu <= u1; pu++) {
        const x = (pu + 0.5 - cu) / ru;
        if (x * x + y * y > 1) continue;
        const index = origin + pu * du + pv * dv;
        if (value === 0 && only !== 0 && this.data[index] !== only) continue;
        this.set(index, value);
      }
    }
    this.version++;
  }

  /** Dabs along the segment from (au, av) to (bu, bv), spaced a third of the radius apart. */
  stroke(map: PlaneMap, s: number, a: [number, number], b: [number, number], radiusMm: number, value: number, only = 0): void {
    const step = Math.max(0.5, radiusMm / Math.max(map.spacingU, map.spacingV) / 3);
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    for (let t = 1; t <= n; t++) this.dab(map, s, a[0] + ((b[0] - a[0]) * t) / n, a[1] + ((b[1] - a[1]) * t) / n, radiusMm, value, only);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): boolean {
    const change = this.undoStack.pop();
    if (!change) return false;
    const after = change.indices.map((i) => this.data[i] as number);
    for (let n = change.indices.length - 1; n >= 0; n--) this.data[change.indices[n] as number] = change.before[n] as number;
    this.redoStack.push({ label: change.label, indices: change.indices, before: after });
    this.version++;
    return true;
  }

  redo(): boolean {
    const change = this.redoStack.pop();
    if (!change) return false;
    const before = change.indices.map((i) => this.data[i] as number);
    // `before` of a redo entry holds the values after the original change, in order.
    for (let n = 0; n < change.indices.length; n++) this.data[change.indices[n] as number] = change.before[n] as number;
    this.undoStack.push({ label: change.label, indices: change.indices, before });
    this.version++;
    return true;
  }

  /** Number of voxels per label value. */
  histogram(): Uint32Array {
    const h = new Uint32Array(256);
    for (let n = 0; n < this.data.length; n++) h[this.data[n] as number] = (h[this.data[n] as number] ?? 0) + 1;
    return h;
  }
}
