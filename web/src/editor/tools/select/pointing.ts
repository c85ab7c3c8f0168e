import type { ToolPointerEvent } from "../../events";
import { movedBeyond } from "../shared/handleDrag";
import { StateBase } from "../types";
import type { SelectMemo, SelectStateName } from "./memo";

/** Down on a selected object: a drag past the threshold starts moving, a release is just a click. */
export class SelectPointingShape extends StateBase<SelectMemo, SelectStateName> {
  onPointerMove(e: ToolPointerEvent): void {
    if (!movedBeyond(this.memo.downScreen, e)) return;
    this.memo.lastPoint = e.point;
    this.transition("translating");
  }

  onPointerUp(): void {
    this.transition("idle");
  }

  onCancel(): void {
    this.transition("idle");
  }
}

/** Down on empty canvas (selection already cleared); waits for the release. */
export class SelectPointingCanvas extends StateBase<SelectMemo, SelectStateName> {
  onPointerUp(): void {
    this.transition("idle");
  }

  onCancel(): void {
    this.transition("idle");
  }
}
