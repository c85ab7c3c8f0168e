import type { OntologyClass } from "../../schema";
import { labelColour } from "./render";
import { useSessionTick } from "./VolumeViewer";
import type { VolumeSession, VolumeTool } from "./session";

const rgb = (c: [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

export const TOOLS: { id: VolumeTool; key: string; label: string; title: string }[] = [
  { id: "crosshair", key: "V", label: "✛", title: "Crosshair: click to move all three planes (V)" },
  { id: "window", key: "W", label: "◐", title: "Window/level: drag (W); right-drag works with every tool" },
  { id: "brush", key: "G", label: "●", title: "Brush: paint the selected segment (G); [ ] size" },
  { id: "eraser", key: "X", label: "◌", title: "Eraser: erase the selected segment, Alt erases all (X)" },
  { id: "box", key: "B", label: "▭", title: "3-D box: drag on any plane, drag edges on the others (B)" },
  { id: "polygon", key: "P", label: "⬠", title: "Slice polygon: click vertices on any plane, close on the first point or Enter; Backspace removes a vertex, Esc cancels (P)" },
];

/** Left rail: tools, then the segment classes (1-9) and box classes. */
export function VolumeRail({ session, masks, boxes, polygons = [] }: { session: VolumeSession; masks: OntologyClass[]; boxes: OntologyClass[]; polygons?: OntologyClass[] }) {
  useSessionTick(session);
  const tools = TOOLS.filter((t) => (t.id !== "brush" && t.id !== "eraser") || masks.length > 0).filter((t) => t.id !== "box" || boxes.length > 0).filter((t) => t.id !== "polygon" || polygons.length > 0);
  return (
    <nav className="rail" aria-label="Tools">
      {tools.map((t) => (
        <button key={t.id} className={`tool${session.tool === t.id ? " active" : ""}`} title={t.title} aria-label={t.title} data-tool={t.id} onClick={() => session.set("tool", t.id)}>
          {t.label}
          <span className="hotkey">{t.key}</span>
        </button>
      ))}
      {masks.length > 0 && <hr />}
      {masks.map((c, n) => (
        <button
          key={c.id}
          className={`class${session.activeLabel === n + 1 ? " active" : ""}`}
          title={`${c.name} (${n + 1})`}
          data-class={c.id}
          onClick={() => {
            session.activeLabel = n + 1;
            session.set("tool", session.tool === "eraser" ? "eraser" : "brush");
          }}
        >
          <span className="swatch" style={{ background: rgb(labelColour(n + 1)) }} />
          <span className="hotkey">{n + 1}</span>
        </button>
      ))}
      {boxes.length > 0 && <hr />}
      {boxes.map((c) => (
        <button
          key={c.id}
          className={`class${session.tool === "box" && session.activeBoxClass === c.id ? " active" : ""}`}
          title={`${c.name} (3-D box)`}
          data-class={c.id}
          onClick={() => {
            session.activeBoxClass = c.id;
            session.set("tool", "box");
          }}
        >
          <span className="swatch" style={{ border: `2px solid ${rgb(labelColour(session.boxClassIndex(c.id)))}`, background: "transparent" }} />
        </button>
      ))}
      {polygons.length > 0 && <hr />}
      {polygons.map((c) => (
        <button
          key={c.id}
          className={`class${session.tool === "polygon" && session.activePolygonClass === c.id ? " active" : ""}`}
          title={`${c.name} (slice polygon)`}
          data-class={c.id}
          onClick={() => {
            session.activePolygonClass = c.id;
            session.set("tool", "polygon");
          }}
        >
          <span className="swatch" style={{ border: `2px solid ${c.color}`, background: "transparent", borderRadius: 2, transform: "rotate(45deg) scale(0.8)" }} />
        </button>
      ))}
    </nav>
  );
}
