import { ellipseFromCorners } from "../../shapes";
import { defineTool } from "../machine";
import { DraggingHandle } from "../shared/handleDrag";
import type { BuildFromDrag, DragCreateMemo, DragCreateStates } from "../shared/dragToCreate";
import { createDragCreateMemo, dragCreateDrawing, dragCreateIdle } from "../shared/dragToCreate";

const build: BuildFromDrag = (a, b, circle) => ellipseFromCorners(a.x, a.y, b.x, b.y, circle);

/** E: drag the ellipse's bounding box corner to corner (Shift: circle); axis and rotate handles edit it. */
export const ellipseTool = defineTool<DragCreateMemo, DragCreateStates>({
  id: "ellipse",
  label: "Ellipse",
  hotkey: "e",
  serves: ["ellipse"],
  initial: "idle",
  createMemo: createDragCreateMemo,
  states: {
    idle: dragCreateIdle("ellipse"),
    drawing: dragCreateDrawing("ellipse", "Create ellipse", build),
    dragging_handle: DraggingHandle,
  },
});
