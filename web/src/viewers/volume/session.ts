import type { VolumeData, WindowPreset } from "./blob";
import { LabelVolume } from "./labels";
import type { PlaneMap, PlaneName } from "./planes";
import { PLANES, planeMap, toPatient } from "./planes";
import type { PolygonDraft, VolumePolygon } from "./polygonTool";

export type VolumeTool = "crosshair" | "window" | "brush" | "eraser" | "box" | "polygon";

/** A 3-D box in voxel edges: [x0, y0, z0, x1, y1, z1] = [i0, j0, k0, i1, j1, k1], min < max. */
export interface VolumeBox {
  id: string;
  classId: string;
  xyzxyz: [number, number, number, number, number, number];
}

export interface ViewTransform {
  zoom: number;
  panX: number;
  panY: number;
}

export const DEFAULT_PRESETS: WindowPreset[] = [
  { name: "soft tissue", center: 40, width: 400 },
  { name: "lung", center: -600, width: 1500 },
  { name: "bone", center: 400, width: 1800 },
  { name: "brain", center: 40, width: 80 },
];

/**
 * Everything the three views share, outside React (it changes on every pointer move): the
 * crosshair (a voxel position), window/level, per-view zoom/pan, the label volume, 3-D boxes,
 * the tool and class. Views subscribe and redraw on the next animation frame.
 */
export class VolumeSession {
  readonly maps: Record<PlaneName, PlaneMap>;
  readonly labels: LabelVolume;
  readonly presets: WindowPreset[];
  cursor: [number, number, number];
  center: number;
  width: number;
  tool: VolumeTool = "crosshair";
  /** Label value painted by the brush (1-based index into the volume_mask classes). */
  activeLabel = 1;
  activeBoxClass: string | null = null;
  brushMm = 5;
  maximized: PlaneName | null = null;
  lastPlane: PlaneName = "axial";
  boxes: VolumeBox[] = [];
  selectedBox: string | null = null;
  /** Polygons on one slice each (volume_polygon objects). */
  polygons: VolumePolygon[] = [];
  selectedPolygon: string | null = null;
  activePolygonClass: string | null = null;
  /** Polygon being drawn with the polygon tool (image coordinates on its plane). */
  draftPolygon: PolygonDraft | null = null;
  /** Axial slices (k) with per-slice answers, marked on the slice slider. */
  answeredSlices: number[] = [];
  /** volume_polygon class colours ("#rrggbb") by class id. */
  polygonColours = new Map<string, string>();
  hiddenLabels = new Set<number>();
  readonly views: Record<PlaneName, ViewTransform> = {
    axial: { zoom: 1, panX: 0, panY: 0 },
    sagittal: { zoom: 1, panX: 0, panY: 0 },
    coronal: { zoom: 1, panX: 0, panY: 0 },
  };
  /** Box being drawn (image coordinates on `plane`). */
  draftBox: { plane: PlaneName; a: [number, number]; b: [number, number] } | null = null;
  /** Last pointer position over a view (CSS pixels), for the brush outline. */
  pointer: { plane: PlaneName; x: number; y: number } | null = null;
  /** volume_box class ids in ontology order (for colours). */
  boxClasses: string[] = [];
  /** Where each view last drew its image (CSS pixels; for tests and the bench). */
  readonly placements: Partial<Record<PlaneName, { ox: number; oy: number; sx: number; sy: number }>> = {};
  /** Frames drawn per view (for the bench and tests). */
  frames = 0;
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<() => void>();

  constructor(readonly volume: VolumeData) {
    const geometry = { dims: [volume.ni, volume.nj, volume.nk] as [number, number, number], affine: volume.header.affine_lps };
    this.maps = Object.fromEntries(PLANES.map((p) => [p, planeMap(geometry, p)])) as Record<PlaneName, PlaneMap>;
    this.labels = new LabelVolume(geometry.dims);
    this.cursor = [Math.floor(volume.ni / 2), Math.floor(volume.nj / 2), Math.floor(volume.nk / 2)];
    const own = volume.header.window_presets ?? [];
    const ct = (volume.header.modality ?? "").toUpperCase() === "CT" || volume.range[0] < -500;
    this.presets = own.length > 0 ? own : ct ? DEFAULT_PRESETS : [];
    const [lo, hi] = volume.range;
    const first = this.presets[0];
    this.center = first ? first.center : (lo + hi) / 2;
    this.width = first ? first.width : Math.max(hi - lo, 1);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners told about document changes (labels or boxes), for autosave. */
  onDocumentChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  documentChanged(): void {
    this.notify();
    for (const l of this.changeListeners) l();
  }

  /** Sets the axial slices marked as answered on the slice slider. */
  markAnsweredSlices(ks: number[]): void {
    this.answeredSlices = ks;
    this.notify();
  }

  boxClassIndex(classId: string): number {
    return this.boxClasses.indexOf(classId) + 1;
  }

  slice(plane: PlaneName): number {
    return this.cursor[this.maps[plane].fixed];
  }

  setSlice(plane: PlaneName, s: number): void {
    const map = this.maps[plane];
    const next = Math.max(0, Math.min(map.depth - 1, Math.round(s)));
    if (next === this.cursor[map.fixed]) return;
    this.cursor = [...this.cursor];
    this.cursor[map.fixed] = next;
    this.lastPlane = plane;
    this.notify();
  }

  scroll(plane: PlaneName, delta: number): void {
    this.setSlice(plane, this.slice(plane) + delta);
  }

  setCursor(voxel: [number, number, number]): void {
    const dims = [this.volume.ni, this.volume.nj, this.volume.nk];
    this.cursor = voxel.map((v, a) => Math.max(0, Math.min((dims[a] ?? 1) - 1, Math.floor(v)))) as [number, number, number];
    this.notify();
  }

  setWindow(center: number, width: number): void {
    this.center = center;
    this.width = Math.max(1, width);
    this.notify();
  }

  /** Millimetres of slice `s` along the plane's normal (the LPS coordinate the letter names). */
  slicePositionMm(plane: PlaneName): { letter: string; mm: number } {
    const p = toPatient(this.volume.header.affine_lps, this.cursor);
    const axis = plane === "axial" ? 2 : plane === "coronal" ? 1 : 0;
    return { letter: ["x", "y", "z"][axis] ?? "", mm: Math.round((p[axis] ?? 0) * 100) / 100 };
  }

  set<K extends "tool" | "activeLabel" | "brushMm" | "maximized" | "selectedBox" | "activeBoxClass" | "activePolygonClass" | "selectedPolygon">(key: K, value: this[K]): void {
    this[key] = value;
    if (key === "tool" && value !== "polygon") this.draftPolygon = null; // an unfinished outline ends with its tool
    this.notify();
  }
}
