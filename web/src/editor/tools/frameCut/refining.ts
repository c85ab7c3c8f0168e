import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { acceptFrameCut, resetFrameCut, sendFrameCut } from "./request";

/**
 * Refining the pending object: a click adds a point the object must include (left button) or
 * exclude (right button, or Shift+click), and re-sends the box with all clicks. Backspace takes
 * the last click back; Enter accepts; Esc cancels.
 */
export class FrameCutRefining extends StateBase<FrameCutMemo, FrameCutStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0 && e.button !== 2) return;
    const positive = e.button === 0 && !e.shift;
    this.memo.clicks.push({ x: e.point.x, y: e.point.y, positive });
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
    resetFrameCut(this.ctx);
  }
}
