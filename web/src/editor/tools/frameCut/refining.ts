import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { movedBeyond } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { acceptFrameCut, resetFrameCut, sendFrameCut } from "./request";

/**
 * Refining the pending object: a click adds a point the object must include (left button) or
 * exclude (right button, or Shift+click), and re-sends the box with all clicks. A left drag
 * drops the pending object and draws a new box. Backspace takes the last click back; Enter
 * accepts; Esc cancels.
 */
export class FrameCutRefining extends StateBase<FrameCutMemo, FrameCutStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0 && e.button !== 2) return;
    this.memo.press = { point: e.point, screen: e.screen, positive: e.button === 0 && !e.shift };
  }

  onPointerMove(e: ToolPointerEvent): void {
    const press = this.memo.press;
    if (!press || !press.positive || !movedBeyond(press.screen, e)) return;
    // A drag: start over with a new box from where the press was.
    const { classId, kind } = this.memo;
    this.memo.press = null;
    resetFrameCut(this.ctx);
    this.memo.classId = classId;
    this.memo.kind = kind;
    this.memo.origin = press.point;
    this.memo.originScreen = press.screen;
    this.transition("boxing");
    this.ctx.host.setDraft({ kind: "geometry", classId: classId ?? "", geometry: { type: "bbox", xyxy: [press.point.x, press.point.y, e.point.x, e.point.y] } });
  }

  onPointerUp(): void {
    const press = this.memo.press;
    if (!press) return;
    this.memo.press = null;
    this.memo.clicks.push({ x: press.point.x, y: press.point.y, positive: press.positive });
    this.memo.acceptWhenReady = false;
    sendFrameCut(this.ctx);
  }

  onDoubleClick(): void {
    // The second press of a double-click already added a click; nothing more to do.
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    if (e.key === "Enter") {
      acceptFrameCut(this.ctx);
      return true;
    }
    if (e.key === "Backspace") {
      if (this.memo.clicks.length === 0) return true;
      this.memo.clicks.pop();
      sendFrameCut(this.ctx);
      return true;
    }
    return false;
  }

  onCancel(): void {
    this.memo.press = null;
    resetFrameCut(this.ctx);
  }
}
