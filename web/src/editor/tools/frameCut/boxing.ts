import type { Vec2 } from "../../../geometry";
import type { ToolPointerEvent } from "../../events";
import { movedBeyond } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { MIN_BOX } from "./memo";
import { sendFrameCut } from "./request";

/** Boxing: the box follows the pointer; release sends it (a click without a drag does nothing). */
export class FrameCutBoxing extends StateBase<FrameCutMemo, FrameCutStates> {
  onPointerMove(e: ToolPointerEvent): void {
    if (!this.memo.classId) return;
    const [x1, y1, x2, y2] = this.boxTo(e.point);
    this.host.setDraft({ kind: "geometry", classId: this.memo.classId, geometry: { type: "bbox", xyxy: [x1, y1, x2, y2] } });
  }

  onPointerUp(e: ToolPointerEvent): void {
    const box = this.boxTo(e.point);
    if (!movedBeyond(this.memo.originScreen, e) || box[2] - box[0] < MIN_BOX || box[3] - box[1] < MIN_BOX) {
      this.onCancel();
      return;
    }
    this.memo.box = box;
    this.memo.clicks = [];
    this.memo.result = null;
    this.memo.acceptWhenReady = false;
    this.transition("refining");
    sendFrameCut(this.ctx);
  }

  onCancel(): void {
    this.host.setDraft(null);
    this.transition("idle");
  }

  private boxTo(p: Vec2): [number, number, number, number] {
    const { width, height } = this.host.assetSize;
    const clampX = (x: number) => Math.max(0, Math.min(width, x));
    const clampY = (y: number) => Math.max(0, Math.min(height, y));
    const a = this.memo.origin;
    return [clampX(Math.min(a.x, p.x)), clampY(Math.min(a.y, p.y)), clampX(Math.max(a.x, p.x)), clampY(Math.max(a.y, p.y))];
  }
}
