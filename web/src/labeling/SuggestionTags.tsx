import { useEditorTick } from "../app/useEditorTick";
import type { Editor } from "../editor";
import { assetToScreen, isSuggestion, visibleAssetBounds } from "../editor";
import { boundsOfGeometry } from "../geometry";
import { classColor } from "../viewers/image";

/** At most this many tags at once: beyond that they would hide the image, and the list has them all. */
const MAX_TAGS = 150;

const suggestionCount = new WeakMap<Editor, { version: number; any: boolean }>();

/** Whether the document has any model suggestion; scanned once per document change, not per frame. */
function hasSuggestions(editor: Editor): boolean {
  const version = editor.store.version;
  let cached = suggestionCount.get(editor);
  if (!cached || cached.version !== version) {
    cached = { version, any: editor.store.all().some(isSuggestion) };
    suggestionCount.set(editor, cached);
  }
  return cached.any;
}

/**
 * Confidence tags over the canvas, at the top-left corner of each model suggestion in view
 * (the viewer draws suggestions dashed; this says how sure the model was). Pointer events pass through.
 */
export function SuggestionTags({ editor }: { editor: Editor }) {
  useEditorTick(editor); // the tags follow the viewport
  if (!hasSuggestions(editor)) return null;
  const inView = editor.objectsIn(visibleAssetBounds(editor.viewport, editor.viewSize)).filter(isSuggestion).slice(0, MAX_TAGS);
  if (inView.length === 0) return null;
  return (
    <div className="suggestion-tags" aria-hidden>
      {inView.map((o) => {
        const b = boundsOfGeometry(o.geometry);
        const p = assetToScreen(editor.viewport, { x: b.minX, y: b.minY });
        return (
          <span key={o.id} className="suggestion-tag" style={{ left: p.x, top: p.y, borderColor: classColor(editor.ontology, o.class_id) }}>
            {o.confidence === null ? "model" : `${Math.round(o.confidence * 100)}%`}
          </span>
        );
      })}
    </div>
  );
}
