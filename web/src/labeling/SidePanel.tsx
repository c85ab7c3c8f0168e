import type { ReviewEvent } from "../api";
import type { Editor } from "../editor";
import { acceptSuggestion, isSuggestion } from "../editor";
import type { AttributeAnswer } from "../schema";
import { useEditorChannels } from "../app/useEditorTick";
import { answerAndPrune } from "./answers";
import type { EditorMode } from "./loadTask";
import { geometryText } from "./geometryText";
import { isTextSpanObject, spanObjectText } from "../editor/tools/textSpan";
import { ObjectRows } from "./ObjectRows";
import { ObjectExtras } from "./ObjectExtras";
import { QuestionForm } from "./QuestionForm";

interface Props {
  editor: Editor;
  mode: EditorMode;
  missing: ReadonlySet<string>;
  rejections: ReviewEvent[];
  objectComments: Record<string, string>;
  setObjectComment: (objectId: string, text: string) => void;
}

const ICONS: Record<string, string> = {
  eye: "M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5zm7 2.5a2.5 2.5 0 100-5 2.5 2.5 0 000 5z",
  "eye-off": "M2 2l12 12M4.2 4.6C2.3 5.9 1 8 1 8s2.5 5 7 5c1.4 0 2.6-.5 3.6-1.1M7 3.1c.3 0 .7-.1 1-.1 4.5 0 7 5 7 5s-.6 1.2-1.7 2.4",
  lock: "M4 7V5a4 4 0 018 0v2M3 7h10v7H3z",
  unlock: "M4 7V5a4 4 0 017.7-1.5M3 7h10v7H3z",
  accept: "M3 8.5l3.2 3L13 4.5",
  reject: "M4 4l8 8M12 4l-8 8",
  up: "M8 13V3M4 7l4-4 4 4",
  down: "M8 3v10M4 9l4 4 4-4",
};

function Icon({ kind }: { kind: string }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={ICONS[kind]} />
    </svg>
  );
}

/** Right panel: review notes, the object list, the selected object's questions, the whole-asset questions. */
export function SidePanel({ editor, mode, missing, rejections, objectComments, setObjectComment }: Props) {
  // Not on viewport-only changes: panning and zooming leave the panel alone.
  useEditorChannels(editor, ["document", "selection", "ui"]);
  const objects = editor.objects();
  const classes = editor.ontology.classes;
  const names = new Map(classes.map((c) => [c.id, c.name]));
  const selected = editor.selectedIds.length === 1 ? editor.getObject(editor.selectedIds[0] as string) : undefined;
  const selectedClass = selected && classes.find((c) => c.id === selected.class_id);
  const latest = rejections[0];
  const notes = latest && mode === "label" ? latest.object_comments : objectComments;
  const suggestions = objects.filter(isSuggestion);
  const accept = (list: typeof objects) => (editor.commit(list.length > 1 ? "Accept suggestions" : "Accept suggestion", list.map(acceptSuggestion), []), editor.notify());
  const reject = (list: typeof objects) => (editor.commit(list.length > 1 ? "Reject suggestions" : "Reject suggestion", [], list.map((o) => o.id)), editor.notify());
  const answerAsset = (qid: string, a: AttributeAnswer | null) => {
    const next = answerAndPrune(editor.ontology.classifications, editor.document.classifications, qid, a);
    editor.document.setClassifications("Edit classification", next, editor.selectedIds);
    editor.notify();
  };
  const answerObject = (qid: string, a: AttributeAnswer | null) => {
    if (!selected) return;
    const attributes = answerAndPrune(selectedClass?.attributes ?? [], selected.attributes, qid, a);
    // Correcting a suggestion's answers (say an OCR transcription) makes it the labeler's object.
    editor.commit("Edit attribute", [acceptSuggestion({ ...selected, attributes })], []);
    editor.notify();
  };
  return (
    <aside className="panel" aria-label="Objects and questions">
      {latest && mode === "label" && (
        <section className="review-note" role="note" data-testid="rejection">
          <h2>Returned by the reviewer</h2>
          {latest.comment && <p>{latest.comment}</p>}
          {Object.keys(latest.object_comments).length > 0 && <p className="muted small">Comments on {Object.keys(latest.object_comments).length} object(s) are shown in the list.</p>}
        </section>
      )}
      <h2>Objects · {objects.length}</h2>
      {suggestions.length > 0 && (
        <div className="suggestion-bar" data-testid="suggestions">
          <span>
            <b>{suggestions.length}</b> suggestion{suggestions.length > 1 ? "s" : ""}
          </span>
          <button onClick={() => accept(suggestions)} title="Accept every suggestion (they become your objects)">
            Accept all
          </button>
          <button onClick={() => reject(suggestions)} title="Delete every suggestion">
            Reject all
          </button>
        </div>
      )}
      {objects.length === 0 && <p className="empty">No objects yet. Pick a tool on the left (or press its key) and draw on the image.</p>}
      <ObjectRows editor={editor} objects={objects} names={names} notes={notes} accept={accept} reject={reject} icon={(kind) => <Icon kind={kind} />} />
      {selected && (
        <section className="selected-object" aria-label="Selected object">
          <h2 className="with-actions">
            <span>Object {selected.id}</span>
            <button className="icon" title="Send backward" aria-label="Send backward" onClick={() => (editor.reorder(selected.id, -1), editor.notify())}>
              <Icon kind="down" />
            </button>
            <button className="icon" title="Bring forward" aria-label="Bring forward" onClick={() => (editor.reorder(selected.id, 1), editor.notify())}>
              <Icon kind="up" />
            </button>
          </h2>
          <label className="row">
            Class
            <select
              value={selected.class_id}
              onChange={(e) => {
                editor.commit("Change class", [{ ...selected, class_id: e.target.value, attributes: {} }], []);
                editor.notify();
              }}
            >
              {classes.filter((c) => c.tool === selectedClass?.tool).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <p className="geom" data-testid="geometry">
            {isTextSpanObject(selected) ? `“${spanObjectText(editor, selected) ?? "…"}”` : geometryText(selected.geometry)}
          </p>
          <ObjectExtras
            objectId={selected.id}
            mode={mode}
            questions={selectedClass?.attributes ?? []}
            answers={selected.attributes}
            onAnswer={answerObject}
            missing={missing}
            note={notes[selected.id]}
            comment={objectComments[selected.id] ?? ""}
            setComment={(text) => setObjectComment(selected.id, text)}
            noun="object"
          />
        </section>
      )}
      {editor.ontology.classifications.length > 0 && (
        <section aria-label="Image questions">
          <h2>Image</h2>
          <QuestionForm questions={editor.ontology.classifications} answers={editor.document.classifications} onAnswer={answerAsset} missing={missing} />
        </section>
      )}
    </aside>
  );
}
