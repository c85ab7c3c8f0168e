import { useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { useWindowedRows } from "../app/useWindowedRows";
import type { Editor } from "../editor";
import { isSuggestion } from "../editor";
import type { AnnotationObject } from "../schema";
import { classColor, confidenceLabel } from "../viewers/image";
import { spanObjectText } from "../editor/tools/textSpan";

/** Every row of the object list is this tall (px), so the list can be windowed. */
export const OBJECT_ROW_HEIGHT = 28;

const DRAG_TYPE = "application/x-labelhub-object";

interface Props {
  editor: Editor;
  objects: readonly AnnotationObject[];
  names: ReadonlyMap<string, string>;
  notes: Readonly<Record<string, string>>;
  accept: (list: AnnotationObject[]) => void;
  reject: (list: AnnotationObject[]) => void;
  icon: (kind: string) => ReactNode;
}

/**
 * The object list, windowed: only the rows in the side panel's view (and a few around) are in the
 * DOM, so thousands of objects cost a few dozen rows per render. Click selects, hover highlights,
 * the buttons hide/lock (and accept/reject suggestions), dragging a row changes the drawing order,
 * and selecting an object on the canvas scrolls its row into view.
 */
export function ObjectRows({ editor, objects, names, notes, accept, reject, icon }: Props) {
  const list = useRef<HTMLUListElement>(null);
  const { start, end, reveal } = useWindowedRows(list, objects.length, OBJECT_ROW_HEIGHT);
  const selectedId = editor.selectedIds.length > 0 ? editor.selectedIds[editor.selectedIds.length - 1] : undefined;

  // A new selection (e.g. a click on the canvas) scrolls its row into view.
  const revealed = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (selectedId === revealed.current) return;
    revealed.current = selectedId;
    if (selectedId !== undefined) reveal(objects.findIndex((o) => o.id === selectedId));
  }, [selectedId, objects, reveal]);

  const toggle = (set: Set<string>, id: string) => {
    if (set.has(id)) set.delete(id);
    else set.add(id);
    editor.notify();
  };
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const o = objects[i] as AnnotationObject;
    const hidden = editor.hidden.has(o.id);
    const locked = editor.locked.has(o.id);
    const spanText = spanObjectText(editor, o); // a text span on a PDF page: its text
    rows.push(
      <li
        key={o.id}
        data-object={o.id}
        style={{ height: OBJECT_ROW_HEIGHT, boxSizing: "border-box" }}
        className={[editor.selectedIds.includes(o.id) ? "selected" : "", editor.hoveredId === o.id ? "hovered" : "", hidden ? "dim" : ""].join(" ")}
        onClick={() => (editor.select([o.id]), editor.notify())}
        onMouseEnter={() => (editor.setHovered(o.id), editor.notify())}
        onMouseLeave={() => (editor.setHovered(null), editor.notify())}
        draggable
        title="Drag to change the drawing order (lower in the list = on top)"
        onDragStart={(e) => e.dataTransfer.setData(DRAG_TYPE, o.id)}
        onDragOver={(e) => e.dataTransfer.types.includes(DRAG_TYPE) && e.preventDefault()}
        onDrop={(e) => {
          const from = objects.findIndex((x) => x.id === e.dataTransfer.getData(DRAG_TYPE));
          const to = i;
          if (from < 0 || from === to) return;
          e.preventDefault();
          editor.reorder(objects[from]?.id ?? "", to - from);
          editor.notify();
        }}
      >
        <span className="swatch" style={{ background: classColor(editor.ontology, o.class_id) }} />
        <span className="name">{names.get(o.class_id) ?? o.class_id}</span>
        {spanText !== null && (
          <span className="meta span-text" title={spanText} style={{ maxWidth: 140, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
            “{spanText}”
          </span>
        )}
        {notes[o.id] && (
          <span className="comment-badge" title={notes[o.id]}>
            note
          </span>
        )}
        <span className={isSuggestion(o) ? "meta conf" : "meta"}>{confidenceLabel(o) || o.id}</span>
        {isSuggestion(o) && (
          <>
            <button className="icon accept" title="Accept suggestion" aria-label={`Accept ${o.id}`} onClick={(e) => (e.stopPropagation(), accept([o]))}>
              {icon("accept")}
            </button>
            <button className="icon reject" title="Reject suggestion" aria-label={`Reject ${o.id}`} onClick={(e) => (e.stopPropagation(), reject([o]))}>
              {icon("reject")}
            </button>
          </>
        )}
        <button className={hidden ? "icon off" : "icon"} title={hidden ? "Show" : "Hide"} aria-label={`${hidden ? "Show" : "Hide"} ${o.id}`} onClick={(e) => (e.stopPropagation(), toggle(editor.hidden, o.id))}>
          {icon(hidden ? "eye-off" : "eye")}
        </button>
        <button className={locked ? "icon on" : "icon"} title={locked ? "Unlock" : "Lock"} aria-label={`${locked ? "Unlock" : "Lock"} ${o.id}`} onClick={(e) => (e.stopPropagation(), toggle(editor.locked, o.id))}>
          {icon(locked ? "lock" : "unlock")}
        </button>
      </li>,
    );
  }
  // The list keeps its full height (so the panel scrolls as before); the rows above the window are padding.
  return (
    <ul className="objects" ref={list} style={{ height: objects.length * OBJECT_ROW_HEIGHT, paddingTop: start * OBJECT_ROW_HEIGHT, boxSizing: "border-box" }}>
      {rows}
    </ul>
  );
}
