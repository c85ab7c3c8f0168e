import { defineTool } from "../machine";
import { MaskIdle } from "../mask/idle";
import type { MaskToolMemo, MaskToolStates } from "../mask/memo";
import { createMaskToolMemo } from "../mask/memo";
import { MaskPainting } from "../mask/painting";

/** X: erase from a mask with a round brush; [ and ] change the radius. */
export const eraserTool = defineTool<MaskToolMemo, MaskToolStates>({
  id: "eraser",
  label: "Eraser",
  hotkey: "x",
  serves: ["mask"],
  initial: "idle",
  createMemo: createMaskToolMemo(0),
  states: { idle: MaskIdle, painting: MaskPainting },
});
