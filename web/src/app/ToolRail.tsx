import type { Editor } from "../editor";
import { useEditorTick } from "./useEditorTick";
import { classColor } from "../viewers/image";
import { assistOf } from "../editor/tools/frameCut";
import { ToolIcon } from "./toolIcons";

/** Left rail: the tools the ontology uses (hotkey in the tooltip), then the class picker. */
export function ToolRail({ editor }: { editor: Editor }) {
  // Every notify: a handful of buttons, and the assist tools' busy state is not an editor channel.
  useEditorTick(editor);
  return (
    <nav className="rail" aria-label="Tools">
      {editor.availableTools().map((tool) => (
        <button
          key={tool.id}
          className={tool.id === editor.toolId ? "tool active" : "tool"}
          title={assistOf(editor)?.status.blocked(tool.id) ?? `${tool.label} (${tool.hotkey.toUpperCase()})`}
          disabled={!!assistOf(editor)?.status.blocked(tool.id)}
          aria-label={tool.label}
          onClick={() => {
            editor.setTool(tool.id);
            editor.notify();
          }}
        >
          <ToolIcon id={tool.id} />
          <span className="key">{tool.hotkey.toUpperCase()}</span>
        </button>
      ))}
      <hr />
      {editor.ontology.classes.map((c) => (
        <button
          key={c.id}
          className={c.id === editor.activeClassId ? "class active" : "class"}
          title={`${c.name} (${c.hotkey ?? ""})`}
          onClick={() => {
            editor.setActiveClass(c.id);
            editor.notify();
          }}
        >
          <span className="swatch" style={{ background: classColor(editor.ontology, c.id) }} />
          <span className="hotkey">{c.hotkey}</span>
        </button>
      ))}
    </nav>
  );
}
