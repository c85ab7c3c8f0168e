import { useMemo } from "react";
import { Editor } from "../editor";
import { ImageViewerView } from "../viewers/image";
import { DEMO_ANNOTATION, DEMO_ONTOLOGY, DEMO_SIZE, drawDemoImage } from "./demo";
import { ObjectList } from "./ObjectList";
import { ToolRail } from "./ToolRail";
import { useEditorTick } from "./useEditorTick";

/** The editor shell on a demo image; real pages will load tasks through the server's API. */
export function App() {
  const editor = useMemo(() => new Editor({ ontology: DEMO_ONTOLOGY, assetSize: DEMO_SIZE, annotation: structuredClone(DEMO_ANNOTATION) }), []);
  const image = useMemo(() => drawDemoImage(), []);
  useEditorTick(editor);
  const history = editor.document.history;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="title">labelhub · demo image</span>
        <span className="state" title="Tool state">{editor.stateName}</span>
        <span className="spacer" />
        <button disabled={!history.canUndo} title="Undo (Ctrl+Z)" onClick={() => (editor.undo(), editor.notify())}>
          Undo
        </button>
        <button disabled={!history.canRedo} title="Redo (Ctrl+Shift+Z)" onClick={() => (editor.redo(), editor.notify())}>
          Redo
        </button>
        <button className="primary" disabled title="Submit (Ctrl+Enter) — needs the server">
          Submit
        </button>
      </header>
      <ToolRail editor={editor} />
      <main className="canvas">
        <ImageViewerView editor={editor} image={image} />
      </main>
      <ObjectList editor={editor} />
    </div>
  );
}
