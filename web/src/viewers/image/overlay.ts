import Konva from "konva";
import type { Editor } from "../../editor";
import { ROTATE_HANDLE_OFFSET_PX, assetToScreen, shapeHandles } from "../../editor";
import type { Handle } from "../../editor";
import { paintMask } from "./maskCanvas";
import { buildShapeNode } from "./shapeNodes";
import { classColor } from "./style";

const HANDLE_SIZE_PX = 8;
const ACCENT = "#4c8dff";

function handleNode(h: Handle, x: number, y: number, active: boolean): Konva.Shape {
  const base = { x, y, stroke: ACCENT, strokeWidth: 1.5, fill: active ? ACCENT : "#ffffff", listening: false };
  if (h.kind === "rotate" || h.kind === "vertex" || h.kind === "point") return new Konva.Circle({ ...base, radius: HANDLE_SIZE_PX / 2 });
  return new Konva.Rect({ ...base, width: HANDLE_SIZE_PX, height: HANDLE_SIZE_PX, offsetX: HANDLE_SIZE_PX / 2, offsetY: HANDLE_SIZE_PX / 2 });
}

/** Selection handles (screen space, constant size) and the selection's rotate stalk. */
export function drawHandles(editor: Editor, layer: Konva.Layer): void {
  const v = editor.viewport;
  for (const id of editor.selectedIds) {
    const o = editor.getObject(id);
    if (!o || o.page !== editor.page || editor.hidden.has(id)) continue;
    const handles = shapeHandles(o.geometry, { rotateOffset: ROTATE_HANDLE_OFFSET_PX / v.zoom });
    const rotate = handles.find((h) => h.id === "rotate");
    const top = handles.find((h) => h.id === "n");
    if (rotate && top) {
      const a = assetToScreen(v, top);
      const b = assetToScreen(v, rotate);
      layer.add(new Konva.Line({ points: [a.x, a.y, b.x, b.y], stroke: ACCENT, strokeWidth: 1, listening: false }));
    }
    for (const h of handles) {
      const s = assetToScreen(v, h);
      const active = editor.selectedVertex?.objectId === id && h.id === `v${editor.selectedVertex.index}`;
      layer.add(handleNode(h, s.x, s.y, active));
    }
  }
}

/** The uncommitted shape a tool is drawing, in the world group (asset coordinates). */
export function drawDraft(editor: Editor, world: Konva.Group, draftCanvas: HTMLCanvasElement): void {
  const draft = editor.draft;
  if (!draft) return;
  const color = classColor(editor.ontology, draft.classId);
  if (draft.kind === "mask") {
    paintMask(draft.bitmap, color, 140, draftCanvas);
    world.add(new Konva.Image({ image: draftCanvas, x: 0, y: 0, listening: false }));
    return;
  }
  const skeleton = editor.ontology.classes.find((c) => c.id === draft.classId)?.skeleton;
  world.add(buildShapeNode(draft.geometry, { color, fillOpacity: 0.1, strokeWidth: 1.5, dash: [4, 3] }, editor.viewport.zoom, skeleton));
}

/** The small zoom indicator and, while editing, the HUD (exact angle, next keypoint). */
export function drawIndicators(editor: Editor, layer: Konva.Layer, pointer: { x: number; y: number } | null): void {
  const zoom = `${Math.round(editor.viewport.zoom * 100)}%`;
  layer.add(new Konva.Text({ x: 8, y: editor.viewSize.height - 22, text: zoom, fontSize: 12, fill: "#c9d1d9", fontFamily: "system-ui, sans-serif", listening: false }));
  const hud = editor.hud;
  if (!hud || !pointer) return;
  const text = hud.angleDegrees !== undefined ? `${hud.angleDegrees.toFixed(1)}°` : hud.nextKeypoint ? `next: ${hud.nextKeypoint}` : "";
  if (!text) return;
  const label = new Konva.Label({ x: pointer.x + 14, y: pointer.y + 14, listening: false });
  label.add(new Konva.Tag({ fill: "rgba(13, 17, 23, 0.85)", cornerRadius: 3 }));
  label.add(new Konva.Text({ text, padding: 4, fontSize: 12, fill: "#ffffff", fontFamily: "system-ui, sans-serif" }));
  layer.add(label);
}
