import type { ToolPointerEvent } from "../../events";
import { assistOf } from "../frameCut/port";
import { StateBase } from "../types";
import type { ScissorsMemo, ScissorsStates } from "./memo";

/** Idle: the first click sets the first anchor (unless the tool is off). */
export class ScissorsIdle extends StateBase<ScissorsMemo, ScissorsStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    const port = assistOf(this.host);
    if (!port || port.status.blocked("scissors")) return;
    const cls = this.host.classForTool("polygon");
    if (!cls) return;
    const p = this.clamp(e.point.x, e.point.y);
    this.memo.classId = cls.id;
    this.memo.anchors = [p];
    this.memo.segments = [];
    this.memo.live = null;
    this.memo.liveCursor = null;
    this.memo.cursor = p;
    this.memo.queued = null;
    this.memo.closing = false;
    this.memo.generation++;
    this.transition("tracing");
  }

  private clamp(x: number, y: number): [number, number] {
    const { width, height } = this.host.assetSize;
    return [Math.max(0, Math.min(width - 1, x)), Math.max(0, Math.min(height - 1, y))];
  }
}
