export { TextWorkbench } from "./TextWorkbench";
export { OffsetMap, codePointLength } from "./offsets";
export { snapSelection, clampToCharacter } from "./words";
export { segment, spanLevels, findOverlap, chunkText, chunkOf } from "./segments";
export type { UnitSpan, Run } from "./segments";
export { addSpan, changeSpanClass, spanClasses, unitSpans, spanText, isTextSpan } from "./model";
export type { TextSpanGeometry } from "./model";
