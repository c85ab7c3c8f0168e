import { DraggingHandle } from "../shared/handleDrag";
import { defineTool } from "../machine";
import { createSelectMemo } from "./memo";
import { SelectIdle } from "./idle";
import { SelectPointingCanvas, SelectPointingShape } from "./pointing";
import { SelectTranslating } from "./translating";

/** V: select, move (drag or arrow keys), resize and rotate via handles. */
export const selectTool = defineTool({
  id: "select",
  label: "Select",
  hotkey: "v",
  serves: [],
  initial: "idle",
  createMemo: createSelectMemo,
  states: {
    idle: SelectIdle,
    pointing_shape: SelectPointingShape,
    pointing_canvas: SelectPointingCanvas,
    translating: SelectTranslating,
    dragging_handle: DraggingHandle,
  },
});
