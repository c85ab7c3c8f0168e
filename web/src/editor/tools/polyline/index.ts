import { defineTool } from "../machine";
import type { PathMemo, PathStates } from "../path/memo";
import { createPathMemo } from "../path/memo";
import { PathIdle } from "../path/idle";
import { PathDrawing } from "../path/drawing";
import { DraggingHandle } from "../shared/handleDrag";

/** L: click vertices; Enter or double-click finishes. Vertex editing as for polygons. */
export const polylineTool = defineTool<PathMemo, PathStates>({
  id: "polyline",
  label: "Polyline",
  hotkey: "l",
  serves: ["polyline"],
  initial: "idle",
  createMemo: createPathMemo("polyline"),
  states: { idle: PathIdle, drawing: PathDrawing, dragging_handle: DraggingHandle },
});
