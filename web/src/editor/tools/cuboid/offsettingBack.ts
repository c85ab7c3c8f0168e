import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { cuboidFromFront } from "../../shapes";
import { StateBase } from "../types";
import type { CuboidMemo, CuboidStates } from "./memo";

/** The back face follows the pointer (offset from where the front was released); a click or Enter commits. */
export class CuboidOffsettingBack extends StateBase<CuboidMemo, CuboidStates> {
  onEnter(): void {
    this.show();
  }

  onPointerMove(e: ToolPointerEvent): void {
    this.memo.offset = { x: e.point.x - this.memo.offsetFrom.x, y: e.point.y - this.memo.offsetFrom.y };
    this.show();
  }

  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    this.onPointerMove(e);
    this.commit();
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    if (e.key !== "Enter") return false;
    this.commit();
    return true;
  }

  onCancel(): void {
    this.memo.front = null;
    this.host.setDraft(null);
    this.transition("idle");
  }

  private show(): void {
    const cls = this.host.classForTool("cuboid");
    if (!cls || !this.memo.front) return;
    this.host.setDraft({ kind: "geometry", classId: cls.id, geometry: cuboidFromFront(this.memo.front, this.memo.offset.x, this.memo.offset.y) });
  }

  private commit(): void {
    const cls = this.host.classForTool("cuboid");
    const front = this.memo.front;
    this.onCancel();
    if (cls && front) this.host.createObject("Create cuboid", cls.id, cuboidFromFront(front, this.memo.offset.x, this.memo.offset.y));
  }
}
