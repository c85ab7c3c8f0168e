import type { Vec2 } from "../../../geometry";
import type { ToolPointerEvent } from "../../events";
import { translateShape } from "../../shapes";
import { StateBase } from "../types";
import type { SelectMemo, SelectStateName } from "./memo";

/** Moving the selection with the pointer; Shift locks to the dominant axis. One undo step on release. */
export class SelectTranslating extends StateBase<SelectMemo, SelectStateName> {
  onEnter(): void {
    const ids = this.host.selectedIds;
    this.memo.moving = ids.flatMap((id) => {
      const o = this.host.getObject(id);
      return o ? [o] : [];
    });
    this.host.beginEdit(ids);
    this.moveTo(this.memo.lastPoint, false);
  }

  onPointerMove(e: ToolPointerEvent): void {
    this.moveTo(e.point, e.shift);
  }

  onPointerUp(e: ToolPointerEvent): void {
    this.moveTo(e.point, e.shift);
    this.host.finishEdit("Move");
    this.transition("idle");
  }

  onCancel(): void {
    this.host.cancelEdit();
    this.transition("idle");
  }

  private moveTo(p: Vec2, axisLock: boolean): void {
    let dx = p.x - this.memo.downPoint.x;
    let dy = p.y - this.memo.downPoint.y;
    if (axisLock) {
      if (Math.abs(dx) >= Math.abs(dy)) dy = 0;
      else dx = 0;
    }
    this.host.previewEdit(this.memo.moving.map((o) => ({ ...o, geometry: translateShape(o.geometry, dx, dy) })));
  }
}
