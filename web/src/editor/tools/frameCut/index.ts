import { defineTool } from "../machine";
import { FrameCutBoxing } from "./boxing";
import { FrameCutIdle } from "./idle";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { createFrameCutMemo } from "./memo";
import { FrameCutRefining } from "./refining";

/**
 * F: drag a box around one object; the server cuts it out (POST assist/frame-cut) and the outline
 * is shown as a pending object. Click inside to add what is missing, right-click (or Shift+click)
 * to remove what is not the object; Enter accepts, Esc cancels.
 */
export const frameCutTool = defineTool<FrameCutMemo, FrameCutStates>({
  id: "frame_cut",
  label: "Frame Cut",
  hotkey: "f",
  serves: ["polygon", "mask"],
  initial: "idle",
  createMemo: createFrameCutMemo,
  states: { idle: FrameCutIdle, boxing: FrameCutBoxing, refining: FrameCutRefining },
});

export type { AssistPort, AssistFailure, AssistGuide, AssistMark, AssistToolId, FrameCutAnswer, FrameCutClick, FrameCutRequest, ScissorsAnswer, ScissorsRequest } from "./port";
export { AssistStatus, assistOf, attachAssist, toFailure } from "./port";
export type { FrameCutMemo } from "./memo";
