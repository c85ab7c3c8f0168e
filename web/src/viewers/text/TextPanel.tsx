import type { ReactNode } from "react";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ReviewEvent } from "../../api";
import { useEditorTick } from "../../app/useEditorTick";
import type { Editor } from "../../editor";
import { answerAndPrune } from "../../labeling/answers";
import type { EditorMode } from "../../labeling/loadTask";
import { ObjectExtras } from "../../labeling/ObjectExtras";
import { QuestionForm } from "../../labeling/QuestionForm";
import type { AnnotationObject, AttributeAnswer, OntologyClass } from "../../schema";
import { changeSpanClass, className, isTextSpan, short, spanGeometry, spanText } from "./model";
import type { OffsetMap } from "./offsets";

interface Props {
  editor: Editor;
  map: OffsetMap | null;
  classes: readonly OntologyClass[];
  mode: EditorMode;
  missing: ReadonlySet<string>;
  rejections: ReviewEvent[];
  objectComments: Record<string, string>;
  setObjectComment: (objectId: string, text: string) => void;
}

/** Right panel: review notes, the spans (in text order) with their text, the selected span's class and attributes, the document's questions. */
export function TextPanel({ editor, map, classes, mode, missing, rejections, objectComments, setObjectComment }: Props) {
  useEditorTick(editor);
  const spans = useSortedSpans(editor.objects());
  const colour = new Map(classes.map((c) => [c.id, c.color]));
  const selected = editor.selectedIds.length === 1 ? editor.getObject(editor.selectedIds[0] as string) : undefined;
  const selectedClass = selected && editor.ontology.classes.find((c) => c.id === selected.class_id);
  const latest = rejections[0];
  const notes = latest && mode === "label" ? latest.object_comments : objectComments;
  const answerDocument = (qid: string, a: AttributeAnswer | null) => {
    const next = answerAndPrune(editor.ontology.classifications, editor.document.classifications, qid, a);
    editor.document.setClassifications("Edit classification", next, editor.selectedIds);
    editor.notify();
  };
  const answerSpan = (qid: string, a: AttributeAnswer | null) => {
    if (!selected) return;
    editor.commit("Edit attribute", [{ ...selected, attributes: answerAndPrune(selectedClass?.attributes ?? [], selected.attributes, qid, a) }], []);
    editor.notify();
  };
  return (
    <aside className="panel" aria-label="Spans and questions">
      {latest && mode === "label" && (
        <section className="review-note" role="note" data-testid="rejection">
          <h2>Returned by the reviewer</h2>
          {latest.comment && <p>{latest.comment}</p>}
          {Object.keys(latest.object_comments).length > 0 && <p className="muted small">Comments on {Object.keys(latest.object_comments).length} span(s) are shown with them.</p>}
        </section>
      )}
      <h2>Spans · {spans.length}</h2>
      {spans.length === 0 && <p className="empty">No spans yet. Choose a class on the left and select text.</p>}
      <SpanList
        rows={spans}
        selectedId={editor.selectedIds.length === 1 ? (editor.selectedIds[0] as string) : null}
        row={(o) => (
          <li
            key={o.id}
            className={editor.selectedIds.includes(o.id) ? "selected" : ""}
            data-object={o.id}
            onClick={() => {
              editor.select([o.id]);
              editor.notify();
            }}
          >
            <span className="swatch" style={{ background: colour.get(o.class_id) ?? "#888" }} />
            <span className="tx-text" title={map ? spanText(o, map) : ""}>
              {map ? short(spanText(o, map), 60) : `${spanGeometry(o).start}–${spanGeometry(o).end}`}
            </span>
            {notes[o.id] && <span className="comment-badge" title={notes[o.id]}>!</span>}
            <span className="meta">{className(editor.ontology, o.class_id)}</span>
          </li>
        )}
      />
      {selected && isTextSpan(selected) && (
        <section className="selected-object tx-selected" aria-label="Selected span">
          <h2>Span {selected.id}</h2>
          {map && <p className="tx-quote" data-testid="span-text">{spanText(selected, map)}</p>}
          <label className="row">
            Class
            <select
              aria-label="Span class"
              value={selected.class_id}
              onChange={(e) => {
                changeSpanClass(editor, selected.id, e.target.value);
                editor.notify();
              }}
            >
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <p className="geom" data-testid="geometry">
            characters {spanGeometry(selected).start}–{spanGeometry(selected).end} · {spanGeometry(selected).end - spanGeometry(selected).start} code points
          </p>
          <ObjectExtras
            objectId={selected.id}
            mode={mode}
            questions={selectedClass?.attributes ?? []}
            answers={selected.attributes}
            onAnswer={answerSpan}
            missing={missing}
            note={notes[selected.id]}
            comment={objectComments[selected.id] ?? ""}
            setComment={(text) => setObjectComment(selected.id, text)}
            noun="span"
          />
          <div className="tx-actions">
            <button onClick={() => (editor.deleteSelected(), editor.notify())} title="Delete the span (Del)">
              Delete span
            </button>
          </div>
        </section>
      )}
      {editor.ontology.classifications.length > 0 && (
        <section aria-label="Document questions">
          <h2>Document</h2>
          <QuestionForm questions={editor.ontology.classifications} answers={editor.document.classifications} onAnswer={answerDocument} missing={missing} />
        </section>
      )}
    </aside>
  );
}

/** The spans in text order (recomputed only when an object changed). */
function useSortedSpans(objects: AnnotationObject[]): AnnotationObject[] {
  const [key, setKey] = useState(objects);
  const same = key.length === objects.length && key.every((o, i) => o === objects[i]);
  if (!same) setKey(objects);
  return useMemo(
    () =>
      key
        .filter(isTextSpan)
        .sort((a, b) => spanGeometry(a).start - spanGeometry(b).start || spanGeometry(b).end - spanGeometry(a).end),
    [key],
  );
}

const ROW = 26;
const SHOWN = 40;

/** The span list, windowed: only the rows in view of its own scroll box are rendered (documents may hold thousands of spans). */
function SpanList({ rows, selectedId, row }: { rows: AnnotationObject[]; selectedId: string | null; row: (o: AnnotationObject) => ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / ROW) - 8);
  const last = Math.min(rows.length, first + SHOWN + 16);
  const at = selectedId ? rows.findIndex((o) => o.id === selectedId) : -1;
  // A span selected in the text scrolls into view here.
  useEffect(() => {
    const el = box.current;
    if (!el || at < 0) return;
    if (at * ROW < el.scrollTop) el.scrollTop = at * ROW;
    else if ((at + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (at + 1) * ROW - el.clientHeight;
  }, [at]);
  return (
    <div className="tx-spans-box" ref={box} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
      <ul className="tx-spans" aria-label="Spans" style={{ height: rows.length * ROW, paddingTop: first * ROW }}>
        {rows.slice(first, last).map(row)}
      </ul>
    </div>
  );
}
