import { defineTool } from "../machine";
import { MaskIdle } from "../mask/idle";
import type { MaskToolMemo, MaskToolStates } from "../mask/memo";
import { createMaskToolMemo } from "../mask/memo";
import { MaskPainting } from "../mask/painting";

/** G: paint a mask with a round brush; [ and ] change the radius. */
export const brushTool = defineTool<MaskToolMemo, MaskToolStates>({
  id: "brush",
  label: "Brush",
  hotkey: "g",
  serves: ["mask"],
  initial: "idle",
  createMemo: createMaskToolMemo(1),
  states: { idle: MaskIdle, painting: MaskPainting },
});
