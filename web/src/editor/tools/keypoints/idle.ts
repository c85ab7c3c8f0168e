import type { ToolPointerEvent } from "../../events";
import { tryStartHandleDrag } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { KeypointsMemo, KeypointsStates } from "./memo";

/** Idle: a click starts a new skeleton (placing its first point); a press on a selected keypoint drags it. */
export class KeypointsIdle extends StateBase<KeypointsMemo, KeypointsStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    if (tryStartHandleDrag(this.ctx, e)) return;
    const cls = this.host.classForTool("keypoints");
    const names = cls?.skeleton?.points ?? [];
    if (!cls || names.length === 0) return;
    this.memo.classId = cls.id;
    this.memo.names = names;
    this.memo.placed = [];
    this.memo.firstClick = e;
    this.transition("placing");
  }
}
