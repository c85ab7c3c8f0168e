import { useEditorTick } from "../../app/useEditorTick";
import type { Editor } from "../../editor";
import type { OntologyClass } from "../../schema";
import { classHotkey } from "./model";

/** Left side: the span classes with their colours and hotkeys, and how to label. */
export function TextRail({ editor, classes, onPick }: { editor: Editor; classes: readonly OntologyClass[]; onPick: (classId: string) => void }) {
  useEditorTick(editor);
  return (
    <nav className="rail tx-rail" aria-label="Span classes">
      <h2>Classes</h2>
      {classes.map((c) => {
        const key = classHotkey(classes, c);
        return (
          <button key={c.id} className={c.id === editor.activeClassId ? "tx-class active" : "tx-class"} title={`${c.name}${key ? ` (${key})` : ""}`} data-class={c.id} aria-pressed={c.id === editor.activeClassId} onClick={() => onPick(c.id)}>
            <span className="swatch" style={{ background: c.color }} />
            <span className="name">{c.name}</span>
            {key && <kbd>{key}</kbd>}
          </button>
        );
      })}
      {classes.length === 0 && <p className="tx-hint">This project has no span classes: add a “Span” class to its ontology.</p>}
      <p className="tx-hint">
        <b>Select text</b> to label it with the chosen class (whole words; hold <b>Alt</b> for the exact selection).
        <br />
        <b>Click</b> a span to select it (change its class and attributes on the right), <b>Del</b> removes it.
        {editor.ontology.allow_overlapping_spans ? " Spans may overlap." : " Spans may not overlap."}
      </p>
    </nav>
  );
}
