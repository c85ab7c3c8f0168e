import { defineTool } from "../machine";
import { dragCreateIdle } from "../shared/dragToCreate";
import { DraggingHandle } from "../shared/handleDrag";
import { CuboidDrawingFront } from "./drawingFront";
import type { CuboidMemo, CuboidStates } from "./memo";
import { createCuboidMemo } from "./memo";
import { CuboidOffsettingBack } from "./offsettingBack";

/** C: drag the front face as a box, then move to set the back face's offset and click. */
export const cuboidTool = defineTool<CuboidMemo, CuboidStates>({
  id: "cuboid",
  label: "Cuboid",
  hotkey: "c",
  serves: ["cuboid"],
  initial: "idle",
  createMemo: createCuboidMemo,
  states: {
    idle: dragCreateIdle("cuboid", "drawing_front"),
    drawing_front: CuboidDrawingFront,
    offsetting_back: CuboidOffsettingBack,
    dragging_handle: DraggingHandle,
  },
});
