export type {
  XY,
  Quad,
  Geometry,
  GeometryType,
  GeometryOf,
  BboxGeometry,
  RotatedBboxGeometry,
  PolygonGeometry,
  PolylineGeometry,
  PointGeometry,
  KeypointsGeometry,
  Keypoint,
  KeypointVisibility,
  EllipseGeometry,
  CuboidGeometry,
  MaskGeometry,
  Rle,
} from "./geometry";
export { GEOMETRY_TYPES } from "./geometry";
export type { Annotation, AnnotationObject, Answers, AttributeAnswer, ObjectSource } from "./annotation";
export { emptyAnnotation } from "./annotation";
export type { Ontology, OntologyClass, Question, QuestionKind, QuestionOption, QuestionScope, Skeleton, ClassTool } from "./ontology";
export { assetQuestions, sliceQuestions } from "./ontology";
export type { Issue } from "./issues";
export { validateGeometry, validateRle, isGeometry } from "./validateGeometry";
export { validateAnnotation, isAnnotation, validateAgainstOntology } from "./validateAnnotation";
export { activeQuestions, unansweredRequired, validateAnswers, answerIssue } from "./questions";
