export type { Handle, HandleKind, HandleOptions, DragModifiers, ShapeUtil } from "./types";
export { shapeHandles, dragShapeHandle, translateShape } from "./registry";
export { bboxFromCorners } from "./bbox";
export { ellipseFromCorners } from "./ellipse";
export { angleTowards, fromFrame } from "./rotatedBbox";
export type { PathGeometry } from "./path";
export { insertVertex, deleteVertex, minVertices, vertexHandleId, vertexIndexOf } from "./path";
export { quadFromCorners, cuboidFromFront, offsetQuad } from "./cuboid";
