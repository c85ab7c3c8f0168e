import type { PlaneName } from "./planes";
import { imageOf, PLANES } from "./planes";
import { labelColour } from "./render";
import { polygonToImage } from "./polygonTool";
import type { VolumeSession } from "./session";
import type { Placement } from "./viewMath";
import { boxOnSlice, toScreen } from "./viewMath";

const rgb = (c: [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

/** Crosshair (the other planes' lines in their colours, with a gap at the centre), 3-D boxes and the brush outline. */
export function drawOverlay(ctx: CanvasRenderingContext2D, session: VolumeSession, plane: PlaneName, pl: Placement, cw: number, ch: number, colours: Record<PlaneName, string>): void {
  const map = session.maps[plane];
  const s = session.slice(plane);
  const at = imageOf(map, session.cursor);
  const [cx, cy] = toScreen(pl, at.pu, at.pv);
  const gap = 12;
  ctx.lineWidth = 1;
  for (const other of PLANES) {
    if (other === plane) continue;
    const fixed = session.maps[other].fixed;
    ctx.strokeStyle = colours[other];
    ctx.globalAlpha = 0.75;
    ctx.beginPath();
    if (fixed === map.u) {
      ctx.moveTo(Math.round(cx) + 0.5, 0);
      ctx.lineTo(Math.round(cx) + 0.5, cy - gap);
      ctx.moveTo(Math.round(cx) + 0.5, cy + gap);
      ctx.lineTo(Math.round(cx) + 0.5, ch);
    } else if (fixed === map.v) {
      ctx.moveTo(0, Math.round(cy) + 0.5);
      ctx.lineTo(cx - gap, Math.round(cy) + 0.5);
      ctx.moveTo(cx + gap, Math.round(cy) + 0.5);
      ctx.lineTo(cw, Math.round(cy) + 0.5);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  for (const box of session.boxes) {
    const r = boxOnSlice(map, box, s);
    if (!r) continue;
    const [x0, y0] = toScreen(pl, r[0], r[1]);
    const [x1, y1] = toScreen(pl, r[2], r[3]);
    const selected = session.selectedBox === box.id;
    ctx.strokeStyle = rgb(labelColour(session.boxClassIndex(box.classId)));
    ctx.lineWidth = selected ? 2 : 1.25;
    ctx.setLineDash(selected ? [] : [5, 3]);
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    ctx.setLineDash([]);
    if (selected) {
      ctx.fillStyle = ctx.strokeStyle;
      for (const [hx, hy] of [[x0, y0], [x1, y0], [x0, y1], [x1, y1], [(x0 + x1) / 2, y0], [(x0 + x1) / 2, y1], [x0, (y0 + y1) / 2], [x1, (y0 + y1) / 2]] as const)
        ctx.fillRect(hx - 3, hy - 3, 6, 6);
    }
  }
  for (const polygon of session.polygons) {
    if (polygon.slice !== s) continue;
    const pts = polygonToImage(map, polygon);
    if (!pts) continue;
    const selected = session.selectedPolygon === polygon.id;
    const colour = session.polygonColours.get(polygon.classId) ?? "#ffd166";
    ctx.beginPath();
    pts.forEach(([pu, pv], n) => {
      const [x, y] = toScreen(pl, pu, pv);
      if (n === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.closePath();
    ctx.fillStyle = colour;
    ctx.globalAlpha = selected ? 0.35 : 0.2;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.lineWidth = selected ? 2 : 1.25;
    ctx.stroke();
  }
  const poly = session.draftPolygon;
  if (poly && poly.plane === plane && poly.slice === s) {
    const screen = poly.points.map(([pu, pv]) => toScreen(pl, pu, pv));
    const colour = (session.activePolygonClass && session.polygonColours.get(session.activePolygonClass)) || "#fff";
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    screen.forEach(([x, y], n) => (n === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    const pointer = session.pointer;
    if (pointer && pointer.plane === plane) ctx.lineTo(pointer.x, pointer.y);
    ctx.stroke();
    ctx.fillStyle = colour;
    screen.forEach(([x, y], n) => {
      const r = n === 0 ? 5 : 3;
      ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
    });
  }
  const draft = session.draftBox;
  if (draft && draft.plane === plane) {
    const [x0, y0] = toScreen(pl, draft.a[0], draft.a[1]);
    const [x1, y1] = toScreen(pl, draft.b[0], draft.b[1]);
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    ctx.setLineDash([]);
  }
  const pointer = session.pointer;
  if (pointer && pointer.plane === plane && (session.tool === "brush" || session.tool === "eraser")) {
    ctx.strokeStyle = session.tool === "eraser" ? "#ddd" : rgb(labelColour(session.activeLabel));
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.ellipse(pointer.x, pointer.y, (session.brushMm / map.spacingU) * pl.sx, (session.brushMm / map.spacingV) * pl.sy, 0, 0, Math.PI * 2);
    ctx.stroke();
  }
}
