import { distance } from "../../../geometry";
import type { Geometry, XY } from "../../../schema";
import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { PathMemo, PathStates } from "./memo";
import { VERTEX_RADIUS_PX } from "./memo";

/**
 * Placing vertices: click adds one; a polygon closes on its first vertex or
 * Enter (or double-click); a polyline finishes on Enter or double-click.
 * Backspace removes the last vertex, Esc abandons the path.
 */
export class PathDrawing extends StateBase<PathMemo, PathStates> {
  onEnter(): void {
    this.updateDraft();
  }

  onPointerMove(e: ToolPointerEvent): void {
    this.memo.cursor = e.point;
    this.updateDraft();
  }

  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    const points = this.memo.points;
    const tolerance = this.host.screenToAssetDistance(VERTEX_RADIUS_PX);
    const first = points[0];
    const last = points[points.length - 1];
    if (this.memo.kind === "polygon" && first && points.length >= 3 && distance(e.point, first) <= tolerance) {
      this.finish();
      return;
    }
    if (last && distance(e.point, last) <= tolerance) return; // second click of a double-click
    points.push(e.point);
    this.memo.cursor = e.point;
    this.updateDraft();
  }

  onDoubleClick(): void {
    this.finish();
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    if (e.key === "Enter") {
      this.finish();
      return true;
    }
    if (e.key === "Backspace") {
      this.memo.points.pop();
      if (this.memo.points.length === 0) this.onCancel();
      else this.updateDraft();
      return true;
    }
    return false;
  }

  onCancel(): void {
    this.reset();
  }

  private minimum(): number {
    return this.memo.kind === "polygon" ? 3 : 2;
  }

  private finish(): void {
    const cls = this.host.classForTool(this.memo.kind);
    if (this.memo.points.length < this.minimum() || !cls) return;
    const points_xy = this.memo.points.map((p): XY => [p.x, p.y]);
    const label = this.memo.kind === "polygon" ? "Create polygon" : "Create polyline";
    this.reset();
    this.host.createObject(label, cls.id, { type: this.memo.kind, points_xy });
  }

  private reset(): void {
    this.memo.points = [];
    this.memo.cursor = null;
    this.host.setDraft(null);
    this.transition("idle");
  }

  private updateDraft(): void {
    const cls = this.host.classForTool(this.memo.kind);
    if (!cls) return;
    const cursor = this.memo.cursor;
    const pts = [...this.memo.points, ...(cursor ? [cursor] : [])].map((p): XY => [p.x, p.y]);
    const geometry: Geometry =
      this.memo.kind === "polygon" && pts.length >= 3 ? { type: "polygon", points_xy: pts } : { type: "polyline", points_xy: pts };
    this.host.setDraft({ kind: "geometry", classId: cls.id, geometry });
  }
}
