import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { translateShape } from "../../shapes";
import { tryStartHandleDrag } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { SelectMemo, SelectStateName } from "./memo";

const NUDGE: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** Waiting: down on a handle drags it, on an object selects it, on nothing clears the selection. */
export class SelectIdle extends StateBase<SelectMemo, SelectStateName> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    if (tryStartHandleDrag(this.ctx, e)) return;
    this.memo.downPoint = e.point;
    this.memo.downScreen = e.screen;
    this.memo.lastPoint = e.point;
    const hit = this.host.hitTestObject(e.point);
    const selected = this.host.selectedIds;
    if (!hit) {
      if (!e.shift) this.host.select([]);
      this.transition("pointing_canvas");
      return;
    }
    if (e.shift) {
      const next = selected.includes(hit.id) ? selected.filter((id) => id !== hit.id) : [...selected, hit.id];
      this.host.select(next);
      if (!next.includes(hit.id)) return;
    } else if (!selected.includes(hit.id)) {
      this.host.select([hit.id]);
    }
    this.transition("pointing_shape");
  }

  /** Arrow keys move the selection 1 asset pixel (10 with Shift), one undo step per press. */
  onKeyDown(e: ToolKeyEvent): boolean {
    const direction = NUDGE[e.key];
    if (!direction || e.mod || this.host.selectedIds.length === 0) return false;
    const step = e.shift ? 10 : 1;
    const moved = this.host.selectedIds.flatMap((id) => {
      const o = this.host.getObject(id);
      return o ? [{ ...o, geometry: translateShape(o.geometry, direction[0] * step, direction[1] * step) }] : [];
    });
    this.host.commit("Nudge", moved, []);
    return true;
  }
}
