import { bboxTool } from "./bbox";
import { brushTool } from "./brush";
import { cuboidTool } from "./cuboid";
import { ellipseTool } from "./ellipse";
import { eraserTool } from "./eraser";
import { frameCutTool } from "./frameCut";
import { keypointsTool } from "./keypoints";
import { pointTool } from "./point";
import { polygonTool } from "./polygon";
import { polylineTool } from "./polyline";
import { rotatedBboxTool } from "./rotatedBbox";
import { scissorsTool } from "./scissors";
import { selectTool } from "./select";
import { textSpanTool } from "./textSpan";
import type { ToolSpec } from "./types";

/** Every image tool, in toolbar order. */
export const IMAGE_TOOLS: readonly ToolSpec[] = [
  selectTool,
  bboxTool,
  rotatedBboxTool,
  polygonTool,
  polylineTool,
  pointTool,
  keypointsTool,
  ellipseTool,
  cuboidTool,
  brushTool,
  eraserTool,
  frameCutTool,
  scissorsTool,
  textSpanTool,
];

export type { ToolId, ToolSpec, ToolRuntime, ToolState, ToolContext, ToolDefinition, StateConstructor } from "./types";
export { StateBase } from "./types";
export { defineTool } from "./machine";
export type { ToolHost, Draft, Hud, HandleHit, VertexRef } from "./host";
