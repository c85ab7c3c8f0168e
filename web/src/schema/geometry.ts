/**
 * Wire geometry records, mirrored exactly from the server.
 *
 * Coordinates are asset pixels: the origin is the top-left corner of the
 * top-left pixel, x grows right, y grows down. Angles are degrees, positive
 * is clockwise on screen (because y points down), as in CVAT and Konva.
 */

export type XY = [x: number, y: number];

export interface BboxGeometry {
  type: "bbox";
  /** [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2. */
  xyxy: [number, number, number, number];
}

export interface RotatedBboxGeometry {
  type: "rotated_bbox";
  /** [centre x, centre y, width, height, angle in degrees]. */
  cxcywha: [number, number, number, number, number];
}

export interface PolygonGeometry {
  type: "polygon";
  /** At least 3 vertices; the ring is implicitly closed. */
  points_xy: XY[];
}

export interface PolylineGeometry {
  type: "polyline";
  /** At least 2 vertices. */
  points_xy: XY[];
}

export interface PointGeometry {
  type: "point";
  xy: XY;
}

/** COCO visibility: 0 absent, 1 occluded (labelled, not visible), 2 visible. */
export type KeypointVisibility = 0 | 1 | 2;
export type Keypoint = [x: number, y: number, v: KeypointVisibility];

export interface KeypointsGeometry {
  type: "keypoints";
  /** One entry per skeleton point, in the skeleton's order. */
  points: Keypoint[];
}

export interface EllipseGeometry {
  type: "ellipse";
  /** [centre x, centre y, radius x, radius y, angle in degrees]. */
  cxcyrxrya: [number, number, number, number, number];
}

export type Quad = [XY, XY, XY, XY];

export interface CuboidGeometry {
  type: "cuboid";
  /** Front face corners: top-left, top-right, bottom-right, bottom-left. */
  front_xy: Quad;
  /** Back face corners in the same order as the front face. */
  back_xy: Quad;
}

/** COCO uncompressed RLE: column-major runs, the first run counts zeros. */
export interface Rle {
  size: [height: number, width: number];
  counts: number[];
}

export interface MaskGeometry {
  type: "mask";
  rle: Rle;
}

export type Geometry =
  | BboxGeometry
  | RotatedBboxGeometry
  | PolygonGeometry
  | PolylineGeometry
  | PointGeometry
  | KeypointsGeometry
  | EllipseGeometry
  | CuboidGeometry
  | MaskGeometry;

export type GeometryType = Geometry["type"];

/** Geometry of one type, e.g. GeometryOf<"bbox"> is BboxGeometry. */
export type GeometryOf<T extends GeometryType> = Extract<Geometry, { type: T }>;

export const GEOMETRY_TYPES: readonly GeometryType[] = [
  "bbox",
  "rotated_bbox",
  "polygon",
  "polyline",
  "point",
  "keypoints",
  "ellipse",
  "cuboid",
  "mask",
];
