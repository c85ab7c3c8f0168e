import type { Editor } from "../editor";

const GENERAL: [string, string][] = [
  ["Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"],
  ["Ctrl+C / Ctrl+V", "Copy / paste objects (also into the next task)"],
  ["Del / Backspace", "Delete the selection"],
  ["Esc", "Cancel the drawing, then clear the selection"],
  ["N / Shift+N", "Next / previous object"],
  ["Arrows / Shift+Arrows", "Nudge the selection 1 px / 10 px"],
  ["Enter", "Close a polygon, finish a line or keypoints"],
  ["[ / ]", "Brush radius smaller / larger"],
  ["Space+drag / Middle drag", "Pan"],
  ["Wheel / + / −", "Zoom"],
  ["0", "Fit the image to the screen"],
  ["PageUp / PageDown", "Previous / next page"],
  ["Ctrl+Enter", "Submit (review: accept)"],
  ["?", "Show or hide this list"],
];

/** The `?` overlay: every hotkey, the tools and classes of this project included. */
export function ShortcutOverlay({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const tools = editor.availableTools();
  const classes = editor.ontology.classes.filter((c) => c.hotkey);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal shortcuts" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <div className="shortcut-cols">
          <section>
            <h3>Tools</h3>
            <dl>
              {tools.map((t) => (
                <div key={t.id}>
                  <dt>
                    <kbd>{t.hotkey.toUpperCase()}</kbd>
                  </dt>
                  <dd>{t.label}</dd>
                </div>
              ))}
            </dl>
            <h3>Classes</h3>
            <dl>
              {classes.map((c) => (
                <div key={c.id}>
                  <dt>
                    <kbd>{c.hotkey}</kbd>
                  </dt>
                  <dd>
                    <span className="swatch" style={{ background: c.color }} /> {c.name}
                  </dd>
                </div>
              ))}
              {classes.length === 0 && <p className="muted small">No class hotkeys in this ontology.</p>}
            </dl>
          </section>
          <section>
            <h3>Everywhere</h3>
            <dl>
              {GENERAL.map(([k, what]) => (
                <div key={k}>
                  <dt>
                    {k.split(" / ").map((part, i) => (
                      <span key={part}>
                        {i > 0 && " / "}
                        <kbd>{part}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
        <div className="modal-actions">
          <button className="primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
