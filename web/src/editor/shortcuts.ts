import type { Editor } from "./editor";
import type { ToolKeyEvent } from "./events";

export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = 200;
const ZOOM_STEP = 1.25;

/** [ and ]: about 20% smaller or larger, at least 1 pixel. */
export function nextBrushRadius(radius: number, grow: boolean): number {
  const step = Math.max(1, Math.round(radius * 0.2));
  const next = grow ? radius + step : radius - step;
  return Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, next));
}

function withModifier(editor: Editor, e: ToolKeyEvent): boolean {
  switch (e.key.toLowerCase()) {
    case "z":
      if (e.shift) editor.redo();
      else editor.undo();
      return true;
    case "y":
      editor.redo();
      return true;
    case "c":
      editor.copy();
      return true;
    case "v":
      editor.paste();
      return true;
    default:
      return false;
  }
}

/** N / Shift+N: select the next / previous object on the page. */
function cycleSelection(editor: Editor, backwards: boolean): void {
  const ids = editor.objects().filter((o) => !editor.hidden.has(o.id)).map((o) => o.id);
  if (ids.length === 0) return;
  const current = ids.indexOf(editor.selectedIds[0] ?? "");
  const next = current < 0 ? (backwards ? ids.length - 1 : 0) : (current + (backwards ? -1 : 1) + ids.length) % ids.length;
  editor.select([ids[next] as string]);
}

/** A tool hotkey: among the available tools on that key, the next one after the current (K: point, keypoints). */
function switchTool(editor: Editor, key: string): boolean {
  const candidates = editor.availableTools().filter((t) => t.hotkey === key);
  if (candidates.length === 0) return false;
  const at = candidates.findIndex((t) => t.id === editor.toolId);
  const next = candidates[(at + 1) % candidates.length] ?? candidates[0];
  if (next) editor.setTool(next.id);
  return true;
}

/** Shortcuts that apply whatever the tool, for keys the tool did not use. Returns whether the key was used. */
export function handleGlobalKey(editor: Editor, e: ToolKeyEvent): boolean {
  if (e.mod) return withModifier(editor, e);
  switch (e.key) {
    case "Escape":
      if (editor.activeTool.isIdle) editor.select([]);
      else editor.activeTool.cancel();
      return true;
    case "Delete":
    case "Backspace":
      editor.deleteSelected();
      return true;
    case "[":
    case "]":
      editor.brushRadius = nextBrushRadius(editor.brushRadius, e.key === "]");
      return true;
    case "0":
      editor.fitToScreen();
      return true;
    case "+":
    case "=":
      editor.zoomBy(ZOOM_STEP);
      return true;
    case "-":
      editor.zoomBy(1 / ZOOM_STEP);
      return true;
  }
  if (/^[1-9]$/.test(e.key)) {
    const cls = editor.ontology.classes.find((c) => c.hotkey === e.key);
    if (cls) editor.setActiveClass(cls.id);
    return cls !== undefined;
  }
  if (e.key.toLowerCase() === "n") {
    cycleSelection(editor, e.shift);
    return true;
  }
  if (!editor.activeTool.isIdle) return false;
  return switchTool(editor, e.key.toLowerCase());
}
