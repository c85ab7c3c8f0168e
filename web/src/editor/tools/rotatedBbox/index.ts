import { defineTool } from "../machine";
import { DraggingHandle } from "../shared/handleDrag";
import type { BuildFromDrag, DragCreateMemo, DragCreateStates } from "../shared/dragToCreate";
import { createDragCreateMemo, dragCreateDrawing, dragCreateIdle } from "../shared/dragToCreate";

const build: BuildFromDrag = (a, b, square) => {
  let w = Math.abs(b.x - a.x);
  let h = Math.abs(b.y - a.y);
  if (square) w = h = Math.max(w, h);
  const cx = a.x + (Math.sign(b.x - a.x) || 1) * (w / 2);
  const cy = a.y + (Math.sign(b.y - a.y) || 1) * (h / 2);
  return { type: "rotated_bbox", cxcywha: [cx, cy, w, h, 0] };
};

/**
 * R: drag an upright box, then turn it with the rotate handle above its top
 * edge (Shift snaps to 15 degrees); the exact angle shows in the HUD.
 */
export const rotatedBboxTool = defineTool<DragCreateMemo, DragCreateStates>({
  id: "rotated_bbox",
  label: "Rotated box",
  hotkey: "r",
  serves: ["rotated_bbox"],
  initial: "idle",
  createMemo: createDragCreateMemo,
  states: {
    idle: dragCreateIdle("rotated_bbox"),
    drawing: dragCreateDrawing("rotated_bbox", "Create rotated box", build),
    dragging_handle: DraggingHandle,
  },
});
