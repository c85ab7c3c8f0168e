import type { Editor } from "../../editor";
import { visibleAssetBounds } from "../../editor";
import { expandBounds } from "../../geometry";
import type { AnnotationObject } from "../../schema";

/**
 * Objects worth drawing: on the current page, not hidden, and meeting the
 * visible asset rectangle grown by `marginPx` screen pixels (so strokes and
 * labels at the edges do not pop). Bottom to top.
 */
export function cullObjects(editor: Editor, marginPx = 32): AnnotationObject[] {
  const view = visibleAssetBounds(editor.viewport, editor.viewSize);
  return editor.objectsIn(expandBounds(view, marginPx / editor.viewport.zoom));
}
