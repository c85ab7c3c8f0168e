export { ImageViewer } from "./ImageViewer";
export type { ViewerImage, ViewerStats } from "./ImageViewer";
export { TiledImage, openTiledImage, loadAssetImage } from "./tiles";
export type { Pyramid } from "./tiles";
export { ImageViewerView } from "./ImageViewerView";
export type { ImageViewerViewProps } from "./ImageViewerView";
export { cullObjects } from "./culling";
export { styleFor, classColor, confidenceLabel, hexToRgb } from "./style";
export type { ShapeStyle } from "./style";
