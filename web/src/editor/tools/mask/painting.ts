import { encodeRle, isMaskEmpty, stampSegment } from "../../../geometry";
import type { ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { MaskToolMemo, MaskToolStates } from "./memo";

/**
 * A stroke in progress: each move stamps the segment from the last point with
 * the round brush. Release stores the mask as COCO RLE in one undo step
 * (erasing a mask to nothing deletes the object); Esc discards the stroke.
 */
export class MaskPainting extends StateBase<MaskToolMemo, MaskToolStates> {
  onEnter(): void {
    this.show();
  }

  onPointerMove(e: ToolPointerEvent): void {
    if (!this.memo.bitmap) return;
    stampSegment(this.memo.bitmap, this.memo.last, e.point, this.host.brushRadius, this.memo.value);
    this.memo.last = e.point;
    this.show();
  }

  onPointerUp(e: ToolPointerEvent): void {
    this.onPointerMove(e);
    const bitmap = this.memo.bitmap;
    const target = this.memo.targetId ? this.host.getObject(this.memo.targetId) : undefined;
    this.onCancel();
    if (!bitmap) return;
    const empty = isMaskEmpty(bitmap);
    const label = this.memo.value === 1 ? "Brush" : "Erase";
    if (target && empty) this.host.commit(label, [], [target.id], []);
    else if (target) this.host.commit(label, [{ ...target, geometry: { type: "mask", rle: encodeRle(bitmap) } }], [], [target.id]);
    else if (!empty) this.host.createObject(label, this.memo.classId, { type: "mask", rle: encodeRle(bitmap) });
  }

  onCancel(): void {
    this.memo.bitmap = null;
    this.host.setDraft(null);
    this.transition("idle");
  }

  private show(): void {
    if (!this.memo.bitmap) return;
    this.memo.version++;
    this.host.setDraft({
      kind: "mask",
      classId: this.memo.classId,
      targetId: this.memo.targetId,
      bitmap: this.memo.bitmap,
      version: this.memo.version,
    });
  }
}
