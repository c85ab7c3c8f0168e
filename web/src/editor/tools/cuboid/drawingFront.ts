import type { ToolPointerEvent } from "../../events";
import { cuboidFromFront, quadFromCorners } from "../../shapes";
import { movedBeyond } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { CuboidMemo, CuboidStates } from "./memo";

/** Dragging the front face as a box; release moves on to the depth (a click alone abandons). */
export class CuboidDrawingFront extends StateBase<CuboidMemo, CuboidStates> {
  onPointerMove(e: ToolPointerEvent): void {
    const cls = this.host.classForTool("cuboid");
    const front = quadFromCorners(this.memo.origin.x, this.memo.origin.y, e.point.x, e.point.y);
    if (cls) this.host.setDraft({ kind: "geometry", classId: cls.id, geometry: cuboidFromFront(front, 0, 0) });
  }

  onPointerUp(e: ToolPointerEvent): void {
    if (!movedBeyond(this.memo.originScreen, e)) {
      this.onCancel();
      return;
    }
    this.memo.front = quadFromCorners(this.memo.origin.x, this.memo.origin.y, e.point.x, e.point.y);
    this.memo.offsetFrom = e.point;
    this.memo.offset = { x: 0, y: 0 };
    this.transition("offsetting_back");
  }

  onCancel(): void {
    this.host.setDraft(null);
    this.transition("idle");
  }
}
