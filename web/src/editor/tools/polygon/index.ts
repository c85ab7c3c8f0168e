import { defineTool } from "../machine";
import type { PathMemo, PathStates } from "../path/memo";
import { createPathMemo } from "../path/memo";
import { PathIdle } from "../path/idle";
import { PathDrawing } from "../path/drawing";
import { DraggingHandle } from "../shared/handleDrag";

/** P: click vertices; close on the first vertex, Enter or double-click. Edit: drag, click edge to insert, Alt+click or Del to delete. */
export const polygonTool = defineTool<PathMemo, PathStates>({
  id: "polygon",
  label: "Polygon",
  hotkey: "p",
  serves: ["polygon"],
  initial: "idle",
  createMemo: createPathMemo("polygon"),
  states: { idle: PathIdle, drawing: PathDrawing, dragging_handle: DraggingHandle },
});
