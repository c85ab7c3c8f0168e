import { bboxFromCorners } from "../../shapes";
import { defineTool } from "../machine";
import { DraggingHandle } from "../shared/handleDrag";
import type { BuildFromDrag, DragCreateMemo, DragCreateStates } from "../shared/dragToCreate";
import { createDragCreateMemo, dragCreateDrawing, dragCreateIdle } from "../shared/dragToCreate";

const build: BuildFromDrag = (a, b, square) => bboxFromCorners(a.x, a.y, b.x, b.y, square);

/** B: drag corner to corner (Shift: square). */
export const bboxTool = defineTool<DragCreateMemo, DragCreateStates>({
  id: "bbox",
  label: "Box",
  hotkey: "b",
  serves: ["bbox"],
  initial: "idle",
  createMemo: createDragCreateMemo,
  states: {
    idle: dragCreateIdle("bbox"),
    drawing: dragCreateDrawing("bbox", "Create box", build),
    dragging_handle: DraggingHandle,
  },
});
