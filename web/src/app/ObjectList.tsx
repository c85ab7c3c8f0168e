import { useRef } from "react";
import type { Editor } from "../editor";
import { classColor, confidenceLabel } from "../viewers/image";
import { useWindowedRows } from "./useWindowedRows";

const ROW_HEIGHT = 28;

/** Right panel: objects on the page (colour, class, short id); click selects, hover highlights. Windowed: only rows in view are in the DOM. */
export function ObjectList({ editor }: { editor: Editor }) {
  const objects = editor.objects();
  const names = new Map(editor.ontology.classes.map((c) => [c.id, c.name]));
  const list = useRef<HTMLUListElement>(null);
  const { start, end } = useWindowedRows(list, objects.length, ROW_HEIGHT);
  return (
    <aside className="panel" aria-label="Objects">
      <h2>Objects · {objects.length}</h2>
      {objects.length === 0 && <p className="empty">No objects yet. Pick a tool on the left and draw on the image.</p>}
      <ul ref={list} style={{ height: objects.length * ROW_HEIGHT, paddingTop: start * ROW_HEIGHT, boxSizing: "border-box" }}>
        {objects.slice(start, end).map((o) => (
          <li
            key={o.id}
            style={{ height: ROW_HEIGHT, boxSizing: "border-box" }}
            className={[editor.selectedIds.includes(o.id) ? "selected" : "", editor.hoveredId === o.id ? "hovered" : ""].join(" ")}
            onClick={() => {
              editor.select([o.id]);
              editor.notify();
            }}
            onMouseEnter={() => {
              editor.hoveredId = o.id;
              editor.notify();
            }}
            onMouseLeave={() => {
              editor.hoveredId = null;
              editor.notify();
            }}
          >
            <span className="swatch" style={{ background: classColor(editor.ontology, o.class_id) }} />
            <span className="name">{names.get(o.class_id) ?? o.class_id}</span>
            <span className="meta">{confidenceLabel(o) || o.id}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
