import type { ToolPointerEvent } from "../../events";
import { defineTool } from "../machine";
import type { HandleDragMemo } from "../shared/handleDrag";
import { DraggingHandle, tryStartHandleDrag } from "../shared/handleDrag";
import { StateBase } from "../types";

type PointStates = "idle" | "dragging_handle";

/** Idle: a click places a point; a press on the selected point drags it. */
class PointIdle extends StateBase<HandleDragMemo, PointStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    if (tryStartHandleDrag(this.ctx, e)) return;
    const cls = this.host.classForTool("point");
    if (cls) this.host.createObject("Create point", cls.id, { type: "point", xy: [e.point.x, e.point.y] });
  }
}

/** K (when the class is a single point): click to place. */
export const pointTool = defineTool<HandleDragMemo, PointStates>({
  id: "point",
  label: "Point",
  hotkey: "k",
  serves: ["point"],
  initial: "idle",
  createMemo: () => ({ drag: null }),
  states: { idle: PointIdle, dragging_handle: DraggingHandle },
});
