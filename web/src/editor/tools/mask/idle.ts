import { createMask, decodeRle, stampDisk } from "../../../geometry";
import type { AnnotationObject } from "../../../schema";
import type { ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { MaskToolMemo, MaskToolStates } from "./memo";

const isMask = (o: AnnotationObject | undefined): o is AnnotationObject & { geometry: { type: "mask" } } =>
  o?.geometry.type === "mask";

/**
 * Idle: a press starts a stroke. The brush paints into the selected mask of
 * the active class, or a new mask; the eraser erases from the selected mask,
 * or the mask under the pointer, and does nothing elsewhere.
 */
export class MaskIdle extends StateBase<MaskToolMemo, MaskToolStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    const target = this.memo.value === 1 ? this.brushTarget() : this.eraserTarget(e);
    if (target === undefined) return;
    if (target) {
      this.memo.targetId = target.id;
      this.memo.classId = target.class_id;
      this.memo.bitmap = decodeRle(target.geometry.type === "mask" ? target.geometry.rle : { size: [0, 0], counts: [0] });
    } else {
      const cls = this.host.classForTool("mask");
      if (!cls) return;
      this.memo.targetId = null;
      this.memo.classId = cls.id;
      this.memo.bitmap = createMask(this.host.assetSize.width, this.host.assetSize.height);
    }
    this.memo.last = e.point;
    stampDisk(this.memo.bitmap, e.point, this.host.brushRadius, this.memo.value);
    this.transition("painting");
  }

  /** The selected mask of the active mask class; null for "start a new mask"; undefined for "no mask class". */
  private brushTarget(): AnnotationObject | null | undefined {
    const cls = this.host.classForTool("mask");
    if (!cls) return undefined;
    const [only, ...rest] = this.host.selectedIds;
    const selected = only && rest.length === 0 ? this.host.getObject(only) : undefined;
    return isMask(selected) && selected.class_id === cls.id ? selected : null;
  }

  private eraserTarget(e: ToolPointerEvent): AnnotationObject | undefined {
    const selected = this.host.selectedIds.map((id) => this.host.getObject(id)).find(isMask);
    return selected ?? this.host.hitTestObject(e.point, isMask) ?? undefined;
  }
}
