export { Editor } from "./editor";
export { Clipboard } from "./clipboard";
export { acceptSuggestion, isSuggestion } from "./suggestions";
export { HANDLE_RADIUS_PX, ROTATE_HANDLE_OFFSET_PX, HIT_TOLERANCE_PX } from "./hitRadii";
export type { EditorOptions } from "./editor";
export type { ChangeChannel, ChannelVersions, ChannelKeys } from "./changes";
export { EditorInput } from "./input";
export { handleGlobalKey, nextBrushRadius, MIN_BRUSH_RADIUS, MAX_BRUSH_RADIUS } from "./shortcuts";
export type { ScreenPointerInput, KeyInput, WheelInput, ToolPointerEvent, ToolKeyEvent } from "./events";
export type { Viewport, Size } from "./viewport";
export {
  screenToAsset,
  assetToScreen,
  zoomAbout,
  panBy,
  fitViewport,
  visibleAssetBounds,
  clampZoom,
  wheelZoomFactor,
  IDENTITY_VIEWPORT,
  MIN_ZOOM,
  MAX_ZOOM,
} from "./viewport";
export { ObjectStore } from "./objectStore";
export { History } from "./history";
export type { Change, Direction } from "./history";
export { AnnotationDocument } from "./document";
export { ObjectIndex } from "./objectIndex";
export { createIdGenerator } from "./ids";
export * from "./shapes";
export { IMAGE_TOOLS, defineTool, StateBase } from "./tools";
export type { ToolId, ToolSpec, ToolRuntime, ToolState, ToolContext, ToolDefinition, StateConstructor, ToolHost, Draft, Hud, HandleHit, VertexRef } from "./tools";
