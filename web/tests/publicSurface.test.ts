import { describe, expect, it } from "vitest";
import * as editor from "../src/editor";
import * as geometry from "../src/geometry";
import * as schema from "../src/schema";

/** The runtime names each package exports; changing them is a deliberate API change. */
describe("public surface", () => {
  it("schema", () => {
    expect(Object.keys(schema).sort()).toEqual([
      "GEOMETRY_TYPES", "activeQuestions", "answerIssue", "assetQuestions", "emptyAnnotation", "isAnnotation", "isGeometry",
      "sliceQuestions", "unansweredRequired", "validateAgainstOntology", "validateAnnotation", "validateAnswers", "validateGeometry", "validateRle",
    ]);
  });

  it("geometry", () => {
    expect(Object.keys(geometry).sort()).toEqual([
      "EMPTY_BOUNDS", "SpatialIndex", "add", "boundsContain", "boundsIntersect", "boundsOfGeometry", "boundsOfPoints",
      "closestPointOnSegment", "cosSin", "createMask", "decodeRle", "distance", "distanceToSegment", "dot", "ellipseBounds",
      "encodeRle", "expandBounds", "hitTestGeometry", "isEmptyBounds", "isMaskEmpty", "lerp", "nearestEdge", "nearestVertex",
      "normalizeDegrees", "pointInEllipse", "pointInPolygon", "pointInRotatedBox", "rleArea", "rleBounds", "rlePixel",
      "rotateAbout", "rotatedBoxCorners", "scale", "signedArea", "stampDisk", "stampSegment", "sub", "toBoxFrame",
      "toDegrees", "toRadians", "toVec", "toXY", "translateMask", "unionBounds", "vec",
    ]);
  });

  it("editor", () => {
    expect(Object.keys(editor).sort()).toEqual([
      "AnnotationDocument", "Clipboard", "Editor", "EditorInput", "HANDLE_RADIUS_PX", "HIT_TOLERANCE_PX", "History", "IDENTITY_VIEWPORT",
      "IMAGE_TOOLS", "MAX_BRUSH_RADIUS", "MAX_ZOOM", "MIN_BRUSH_RADIUS", "MIN_ZOOM", "ObjectIndex", "ObjectStore",
      "ROTATE_HANDLE_OFFSET_PX", "StateBase", "acceptSuggestion", "angleTowards", "assetToScreen", "bboxFromCorners", "clampZoom",
      "createIdGenerator", "cuboidFromFront", "defineTool", "deleteVertex", "dragShapeHandle", "ellipseFromCorners",
      "fitViewport", "fromFrame", "handleGlobalKey", "insertVertex", "isSuggestion", "minVertices", "nextBrushRadius", "offsetQuad",
      "panBy", "quadFromCorners", "screenToAsset", "shapeHandles", "translateShape", "vertexHandleId", "vertexIndexOf",
      "visibleAssetBounds", "wheelZoomFactor", "zoomAbout",
    ]);
  });

  it("every image tool is registered once with its hotkey", () => {
    expect(editor.IMAGE_TOOLS.map((t) => `${t.id}:${t.hotkey}`)).toEqual([
      "select:v", "bbox:b", "rotated_bbox:r", "polygon:p", "polyline:l", "point:k", "keypoints:k", "ellipse:e", "cuboid:c", "brush:g", "eraser:x", "frame_cut:f", "scissors:s", "text_span:t",
    ]);
  });
});
