import type { Keypoint } from "../../../schema";
import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { KeypointsMemo, KeypointsStates } from "./memo";

/**
 * Placing the skeleton's points in order: click = visible (v 2), Shift+click =
 * occluded (v 1), Tab = absent (v 0, at 0,0). Backspace steps back, Enter
 * finishes with the rest absent, Esc abandons. The last point commits.
 */
export class KeypointsPlacing extends StateBase<KeypointsMemo, KeypointsStates> {
  onEnter(): void {
    const first = this.memo.firstClick;
    this.memo.firstClick = null;
    if (first) this.place([first.point.x, first.point.y, first.shift ? 1 : 2]);
  }

  onPointerDown(e: ToolPointerEvent): void {
    if (e.button === 0) this.place([e.point.x, e.point.y, e.shift ? 1 : 2]);
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    switch (e.key) {
      case "Tab":
        this.place([0, 0, 0]);
        return true;
      case "Backspace":
        this.memo.placed.pop();
        if (this.memo.placed.length === 0) this.onCancel();
        else this.show();
        return true;
      case "Enter":
        while (this.memo.placed.length < this.memo.names.length) this.memo.placed.push([0, 0, 0]);
        this.finish();
        return true;
      default:
        return false;
    }
  }

  onCancel(): void {
    this.memo.placed = [];
    this.end();
  }

  private place(k: Keypoint): void {
    this.memo.placed.push(k);
    if (this.memo.placed.length >= this.memo.names.length) this.finish();
    else this.show();
  }

  private show(): void {
    this.host.setDraft({ kind: "geometry", classId: this.memo.classId, geometry: { type: "keypoints", points: [...this.memo.placed] } });
    this.host.setHud({ nextKeypoint: this.memo.names[this.memo.placed.length] ?? "" });
  }

  private finish(): void {
    const points = this.memo.placed;
    this.memo.placed = [];
    this.end();
    if (points.some((k) => k[2] > 0)) this.host.createObject("Create keypoints", this.memo.classId, { type: "keypoints", points });
  }

  private end(): void {
    this.host.setDraft(null);
    this.host.setHud(null);
    this.transition("idle");
  }
}
