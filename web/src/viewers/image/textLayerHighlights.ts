import Konva from "konva";
import type { Editor } from "../../editor";
import type { Box, TextLayer } from "../../editor/tools/textSpan";
import { isTextSpanObject, spanObjectRuns, spanRuns, textSpanContext } from "../../editor/tools/textSpan";
import { classColor, hexToRgb } from "./style";

interface Plan {
  key: unknown[];
  /** One path per class colour (the spans that are neither selected nor hovered), then the outlined ones. */
  fills: { color: string; path: Path2D }[];
  outlines: { color: string; path: Path2D; selected: boolean }[];
}

const FILL_ALPHA = 0.3;

function rgba(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function addRuns(path: Path2D, runs: readonly Box[]): void {
  for (const [x0, y0, x1, y1] of runs) path.rect(x0, y0, x1 - x0, y1 - y0);
}

const sameKey = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Text spans of the shown PDF page as translucent highlights over their characters (one rectangle
 * per line of each span, cached per span version), the selected span outlined, and the selection
 * being dragged dashed. The paths are rebuilt only when the spans, the page, its layer, the
 * selection or the hover changed; other frames (panning, zooming) fill a handful of paths.
 */
export function textSpanHighlights(editor: Editor): Konva.Shape {
  let plan: Plan | null = null;
  const build = (layer: TextLayer, key: unknown[]): Plan => {
    const fills = new Map<string, Path2D>();
    const outlines: Plan["outlines"] = [];
    for (const o of editor.objects()) {
      if (!isTextSpanObject(o) || editor.hidden.has(o.id)) continue;
      const runs = spanObjectRuns(o, layer);
      const color = classColor(editor.ontology, o.class_id);
      let fill = fills.get(color);
      if (!fill) fills.set(color, (fill = new Path2D()));
      addRuns(fill, runs);
      const selected = editor.selectedIds.includes(o.id);
      if (selected || editor.hoveredId === o.id) {
        const path = new Path2D();
        addRuns(path, runs);
        outlines.push({ color, path, selected });
      }
    }
    return { key, fills: [...fills].map(([color, path]) => ({ color, path })), outlines };
  };
  return new Konva.Shape({
    listening: false,
    perfectDrawEnabled: false,
    sceneFunc: (konvaContext) => {
      const context = textSpanContext(editor);
      const layer = context?.source.get(editor.page);
      if (!context || !layer) return;
      const ctx = konvaContext._context;
      const key = [editor.store.version, editor.page, layer, editor.selectedIds, editor.hoveredId, editor.hidden.version];
      if (!plan || !sameKey(plan.key, key)) plan = build(layer, key);
      const zoom = editor.viewport.zoom;
      ctx.save();
      for (const { color, path } of plan.fills) {
        ctx.fillStyle = rgba(color, FILL_ALPHA);
        ctx.fill(path);
      }
      for (const { color, path, selected } of plan.outlines) {
        ctx.strokeStyle = color;
        ctx.lineWidth = (selected ? 2 : 1) / zoom;
        ctx.stroke(path);
      }
      const preview = context.preview;
      if (preview && preview.page === editor.page) {
        const path = new Path2D();
        addRuns(path, spanRuns(layer, preview.start, preview.end));
        const color = classColor(editor.ontology, preview.classId);
        ctx.fillStyle = rgba(color, 0.2);
        ctx.fill(path);
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5 / zoom;
        ctx.setLineDash([4 / zoom, 3 / zoom]);
        ctx.stroke(path);
      }
      ctx.restore();
      if (context.message) drawMessage(ctx, context.message, editor.viewSize.width);
    },
  });
}

/** A refused selection's reason, at the top of the view (screen space). */
function drawMessage(ctx: CanvasRenderingContext2D, text: string, width: number): void {
  ctx.save();
  const ratio = Konva.pixelRatio;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.font = "13px system-ui, sans-serif";
  const w = Math.min(width - 16, ctx.measureText(text).width + 16);
  ctx.fillStyle = "rgba(13, 17, 23, 0.88)";
  ctx.fillRect(8, 8, w, 26);
  ctx.fillStyle = "#ffb4a8";
  ctx.fillText(text, 16, 26, w - 16);
  ctx.restore();
}
