export { ImageViewer } from "./ImageViewer";
export { ImageViewerView } from "./ImageViewerView";
export type { ImageViewerViewProps } from "./ImageViewerView";
export { cullObjects } from "./culling";
export { styleFor, classColor, confidenceLabel, hexToRgb } from "./style";
export type { ShapeStyle } from "./style";
