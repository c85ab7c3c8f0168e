import { nearestEdge, toVec } from "../../../geometry";
import type { AnnotationObject, PolygonGeometry, PolylineGeometry } from "../../../schema";
import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { deleteVertex, insertVertex, vertexHandleId, vertexIndexOf } from "../../shapes";
import { beginHandleDrag, tryStartHandleDrag } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { PathMemo, PathStates } from "./memo";
import { VERTEX_RADIUS_PX } from "./memo";

type PathObject = AnnotationObject & { geometry: PolygonGeometry | PolylineGeometry };

/**
 * Idle: on a selected path of this kind, Alt+click deletes a vertex, a drag
 * moves a vertex, a press on an edge inserts a vertex there and drags it;
 * anywhere else starts a new path. Del deletes the selected vertex.
 */
export class PathIdle extends StateBase<PathMemo, PathStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    const hit = this.host.hitTestHandle(e.point);
    const hitObject = hit ? this.editablePath(hit.objectId) : null;
    if (hit && hitObject && e.alt) {
      this.deleteVertexOf(hitObject, vertexIndexOf(hit.handle.id));
      return;
    }
    if (tryStartHandleDrag(this.ctx, e)) return;
    if (this.tryInsertVertex(e)) return;
    if (!this.host.classForTool(this.memo.kind)) return;
    this.memo.points = [e.point];
    this.memo.cursor = e.point;
    this.transition("drawing");
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    if (e.key !== "Delete" && e.key !== "Backspace") return false;
    const vertex = this.host.selectedVertex;
    const object = vertex ? this.editablePath(vertex.objectId) : null;
    if (!vertex || !object) return false;
    this.deleteVertexOf(object, vertex.index);
    return true;
  }

  private editablePath(id: string): PathObject | null {
    const o = this.host.getObject(id);
    return o && o.geometry.type === this.memo.kind ? (o as PathObject) : null;
  }

  private deleteVertexOf(object: PathObject, index: number): void {
    const geometry = deleteVertex(object.geometry, index);
    if (!geometry) return; // at the minimum vertex count; deleting the object is Del on the object
    this.host.commit("Delete vertex", [{ ...object, geometry }], []);
    this.host.setSelectedVertex(null);
  }

  private tryInsertVertex(e: ToolPointerEvent): boolean {
    const tolerance = this.host.screenToAssetDistance(VERTEX_RADIUS_PX);
    for (const id of this.host.selectedIds) {
      const object = this.editablePath(id);
      if (!object) continue;
      const edge = nearestEdge(e.point, object.geometry.points_xy.map(toVec), object.geometry.type === "polygon");
      if (!edge || edge.distance > tolerance) continue;
      this.host.beginEdit([id]);
      const inserted = { ...object, geometry: insertVertex(object.geometry, edge.index, [edge.point.x, edge.point.y]) };
      this.host.previewEdit([inserted]);
      beginHandleDrag(this.ctx, inserted, vertexHandleId(edge.index + 1), true);
      return true;
    }
    return false;
  }
}
