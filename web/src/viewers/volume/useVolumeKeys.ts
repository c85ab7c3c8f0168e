import { useEffect } from "react";
import { interpolateActive } from "./VolumePanel";
import type { VolumeSession } from "./session";
import { polygonInput } from "./useSliceGestures";
import { TOOLS } from "./VolumeRail";

/** Page-wide keys of the volume workbench: tools, classes 1-9, brush size, undo/redo, interpolate, Del, Ctrl+Enter; Enter/Esc/Backspace while a polygon is drawn. */
export function useVolumeKeys(session: VolumeSession | null, submit: () => void): void {
  useEffect(() => {
    if (!session) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA") && (target as HTMLInputElement).type !== "range") return;
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let used = true;
      const drawing = session.draftPolygon !== null;
      if (drawing && !ctrl && (e.key === "Enter" || e.key === "Escape" || e.key === "Backspace"))
        polygonInput(session, { kind: e.key === "Enter" ? "enter" : e.key === "Escape" ? "escape" : "backspace" });
      else if (ctrl && e.key === "Enter") submit();
      else if (ctrl && (key === "z" || key === "y")) {
        if ((key === "z" && e.shiftKey) || key === "y" ? session.labels.redo() : session.labels.undo()) session.documentChanged();
      } else if (ctrl) used = false;
      else if (e.key === "[" || e.key === "]") session.set("brushMm", Math.max(0.5, Math.min(40, Math.round(session.brushMm * (e.key === "]" ? 1.25 : 0.8) * 2) / 2)));
      else if (/^[1-9]$/.test(e.key)) session.set("activeLabel", Number(e.key));
      else if (key === "i") interpolateActive(session);
      else if ((e.key === "Delete" || e.key === "Backspace") && session.selectedBox) {
        session.boxes = session.boxes.filter((b) => b.id !== session.selectedBox);
        session.selectedBox = null;
        session.documentChanged();
      } else if ((e.key === "Delete" || e.key === "Backspace") && session.selectedPolygon) {
        session.polygons = session.polygons.filter((p) => p.id !== session.selectedPolygon);
        session.selectedPolygon = null;
        session.documentChanged();
      } else if (e.key === "Escape") {
        session.draftBox = null;
        session.selectedBox = null;
        session.selectedPolygon = null;
        session.notify();
      } else {
        const tool = TOOLS.find((t) => t.key.toLowerCase() === key);
        if (tool) session.set("tool", tool.id);
        else used = false;
      }
      if (used) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session, submit]);
}
