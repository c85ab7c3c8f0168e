import type { MaskBitmap, Vec2 } from "../../../geometry";

export type MaskToolStates = "idle" | "painting";

export interface MaskToolMemo {
  /** 1 paints (brush), 0 erases (eraser). */
  value: 0 | 1;
  classId: string;
  /** The mask object being edited, or null when the brush starts a new one. */
  targetId: string | null;
  bitmap: MaskBitmap | null;
  last: Vec2;
  version: number;
}

export const createMaskToolMemo = (value: 0 | 1) => (): MaskToolMemo => ({
  value,
  classId: "",
  targetId: null,
  bitmap: null,
  last: { x: 0, y: 0 },
  version: 0,
});
