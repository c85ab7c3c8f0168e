import type { PointerEvent as ReactPointerEvent, RefObject, WheelEvent as ReactWheelEvent } from "react";
import { useEffect, useMemo, useState } from "react";
import type { PlaneName } from "./planes";
import { voxelOf } from "./planes";
import { polygonFromImage, polygonStep } from "./polygonTool";
import type { PolygonInput } from "./polygonTool";
import type { VolumeSession } from "./session";
import type { EdgeGrab, Placement } from "./viewMath";
import { boxFromDrag, dragBoxEdges, grabBoxEdge, toImage } from "./viewMath";

type Gesture =
  | { kind: "window"; x: number; y: number; center: number; width: number }
  | { kind: "pan"; x: number; y: number; panX: number; panY: number }
  | { kind: "crosshair" }
  | { kind: "paint"; last: [number, number]; value: number }
  | { kind: "box-new"; a: [number, number] }
  | { kind: "box-edge"; grab: EdgeGrab };

let boxCounter = 0;
const newBoxId = () => `vb-${Date.now().toString(36)}-${(boxCounter++).toString(36)}`;
const newPolygonId = () => `vp-${Date.now().toString(36)}-${(boxCounter++).toString(36)}`;

/**
 * Feeds one input to the polygon tool; a closed outline becomes a polygon of the active class
 * (selected, saved with the document). Returns whether the input was used.
 */
export function polygonInput(session: VolumeSession, input: PolygonInput): boolean {
  const before = session.draftPolygon;
  if (!before && input.kind !== "click") return false;
  const { draft, done } = polygonStep(before, input);
  session.draftPolygon = draft;
  const classId = session.activePolygonClass;
  const polygon = done && classId ? polygonFromImage(session.maps[done.plane], done, newPolygonId(), classId) : null;
  if (polygon) {
    session.polygons = [...session.polygons, polygon];
    session.selectedPolygon = polygon.id;
    session.documentChanged();
  } else session.notify();
  return true;
}

/** Pointer and wheel input of one slice view: scroll, zoom, pan, window/level, crosshair, brush, boxes. */
class SliceGestures {
  private gesture: Gesture | null = null;
  constructor(
    private readonly session: VolumeSession,
    private readonly plane: PlaneName,
    private readonly place: RefObject<Placement | null>,
    private readonly setHover: (update: (h: [number, number, number] | null) => [number, number, number] | null) => void,
  ) {}

  private get map() {
    return this.session.maps[this.plane];
  }

  private local(e: { clientX: number; clientY: number; currentTarget: Element }) {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  }

  private image(x: number, y: number): [number, number] {
    return this.place.current ? toImage(this.place.current, x, y) : [0, 0];
  }

  private voxel(pu: number, pv: number) {
    return voxelOf(this.map, Math.floor(pu), Math.floor(pv), this.session.slice(this.plane));
  }

  onPointerDown(e: ReactPointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    const [x, y] = this.local(e);
    const [pu, pv] = this.image(x, y);
    this.session.lastPlane = this.plane;
    const view = this.session.views[this.plane];
    if (e.button === 1 || (e.button === 0 && e.shiftKey && this.session.tool !== "box")) this.gesture = { kind: "pan", x, y, panX: view.panX, panY: view.panY };
    else if (e.button === 2 || (e.button === 0 && this.session.tool === "window")) this.gesture = { kind: "window", x, y, center: this.session.center, width: this.session.width };
    else if (e.button !== 0) return;
    else if (this.session.tool === "crosshair") {
      this.gesture = { kind: "crosshair" };
      this.session.setCursor(this.voxel(pu, pv));
    } else if (this.session.tool === "brush" || this.session.tool === "eraser") {
      const value = this.session.tool === "brush" ? this.session.activeLabel : 0;
      this.gesture = { kind: "paint", last: [pu, pv], value };
      this.session.labels.begin(this.session.tool);
      this.session.labels.dab(this.map, this.session.slice(this.plane), pu, pv, this.session.brushMm, value, e.altKey ? 0 : value === 0 ? this.session.activeLabel : 0);
    } else if (this.session.tool === "polygon") {
      const pl = this.place.current;
      polygonInput(this.session, { kind: "click", plane: this.plane, slice: this.session.slice(this.plane), at: [pu, pv], closeRadius: pl ? 8 / pl.sx : 1 });
      return;
    } else if (this.session.tool === "box") {
      const pl = this.place.current;
      const hit = pl ? this.session.boxes.map((b) => grabBoxEdge(this.map, pl, b, this.session.slice(this.plane), x, y)).find((g) => g !== null) : null;
      if (hit) {
        this.session.selectedBox = hit.boxId;
        this.gesture = { kind: "box-edge", grab: hit };
      } else {
        this.gesture = { kind: "box-new", a: [pu, pv] };
        this.session.draftBox = { plane: this.plane, a: [pu, pv], b: [pu, pv] };
      }
    }
    this.session.notify();
  }

  onPointerMove(e: ReactPointerEvent<HTMLCanvasElement>) {
    const [x, y] = this.local(e);
    const [pu, pv] = this.image(x, y);
    this.session.pointer = { plane: this.plane, x, y };
    const inside = pu >= 0 && pv >= 0 && pu < this.map.width && pv < this.map.height;
    const v = inside ? this.voxel(pu, pv) : null;
    this.setHover((h) => (h && v && h[0] === v[0] && h[1] === v[1] && h[2] === v[2] ? h : v));
    const g = this.gesture;
    if (!g) {
      if (this.session.tool === "brush" || this.session.tool === "eraser" || this.session.draftPolygon?.plane === this.plane) this.session.notify();
      return;
    }
    if (g.kind === "pan") {
      this.session.views[this.plane].panX = g.panX + x - g.x;
      this.session.views[this.plane].panY = g.panY + y - g.y;
      this.session.notify();
    } else if (g.kind === "window") {
      // OHIF's convention: drag right widens the window, drag down raises the level.
      const k = Math.max(1, g.width / 200);
      this.session.setWindow(g.center + (y - g.y) * k, g.width + (x - g.x) * k);
    } else if (g.kind === "crosshair") this.session.setCursor(this.voxel(pu, pv));
    else if (g.kind === "paint") {
      this.session.labels.stroke(this.map, this.session.slice(this.plane), g.last, [pu, pv], this.session.brushMm, g.value, e.altKey ? 0 : g.value === 0 ? this.session.activeLabel : 0);
      g.last = [pu, pv];
      this.session.notify();
    } else if (g.kind === "box-new" && this.session.draftBox) {
      this.session.draftBox = { ...this.session.draftBox, b: [pu, pv] };
      this.session.notify();
    } else if (g.kind === "box-edge") {
      this.session.boxes = this.session.boxes.map((b) => (b.id === g.grab.boxId ? dragBoxEdges(this.map, b, g.grab, pu, pv) : b));
      this.session.notify();
    }
  }

  onPointerUp(e: ReactPointerEvent<HTMLCanvasElement>) {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    if (g.kind === "paint") {
      this.session.labels.end();
      this.session.documentChanged();
    } else if (g.kind === "box-new") {
      const [x, y] = this.local(e);
      const classId = this.session.activeBoxClass;
      const box = classId ? boxFromDrag(this.map, this.session.slice(this.plane), g.a, this.image(x, y), newBoxId(), classId) : null;
      this.session.draftBox = null;
      if (box) {
        this.session.boxes = [...this.session.boxes, box];
        this.session.selectedBox = box.id;
        this.session.documentChanged();
      } else this.session.notify();
    } else if (g.kind === "box-edge") this.session.documentChanged();
  }

  onWheel(e: ReactWheelEvent<HTMLCanvasElement>) {
    if (e.ctrlKey || e.metaKey) {
      const [x, y] = this.local(e);
      const view = this.session.views[this.plane];
      const factor = Math.exp(-e.deltaY * 0.002);
      const zoom = Math.max(0.25, Math.min(20, view.zoom * factor));
      const pl = this.place.current;
      if (pl) {
        // Keep the point under the pointer fixed: the centred layout moves with the zoom.
        const r = e.currentTarget.getBoundingClientRect();
        const ratio = zoom / view.zoom;
        view.panX = x - r.width / 2 - (x - r.width / 2 - view.panX) * ratio;
        view.panY = y - r.height / 2 - (y - r.height / 2 - view.panY) * ratio;
      }
      view.zoom = zoom;
      this.session.notify();
      return;
    }
    this.session.scroll(this.plane, Math.sign(e.deltaY) * (Math.abs(e.deltaY) >= 200 ? 5 : 1));
  }

  onPointerLeave() {
    this.session.pointer = null;
    this.setHover(() => null);
    this.session.notify();
  }
}

export function useSliceGestures(session: VolumeSession, plane: PlaneName, place: RefObject<Placement | null>) {
  const [hover, setHover] = useState<[number, number, number] | null>(null);
  const g = useMemo(() => new SliceGestures(session, plane, place, setHover), [session, plane, place]);
  // Wheel with Ctrl must not zoom the page: React's wheel listener is passive, so block it natively.
  useEffect(() => {
    const stop = (e: WheelEvent) => {
      if ((e.target as Element | null)?.closest?.(`.vv-${plane}`)) e.preventDefault();
    };
    window.addEventListener("wheel", stop, { passive: false });
    return () => window.removeEventListener("wheel", stop);
  }, [plane]);
  const handlers = useMemo(
    () => ({
      onPointerDown: (e: ReactPointerEvent<HTMLCanvasElement>) => g.onPointerDown(e),
      onPointerMove: (e: ReactPointerEvent<HTMLCanvasElement>) => g.onPointerMove(e),
      onPointerUp: (e: ReactPointerEvent<HTMLCanvasElement>) => g.onPointerUp(e),
      onPointerCancel: (e: ReactPointerEvent<HTMLCanvasElement>) => g.onPointerUp(e),
      onWheel: (e: ReactWheelEvent<HTMLCanvasElement>) => g.onWheel(e),
      onPointerLeave: () => g.onPointerLeave(),
    }),
    [g],
  );
  return { hover, handlers };
}
