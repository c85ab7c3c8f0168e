import type { Keypoint } from "../../../schema";
import type { ToolPointerEvent } from "../../events";
import type { HandleDragMemo } from "../shared/handleDrag";

export type KeypointsStates = "idle" | "placing" | "dragging_handle";

export interface KeypointsMemo extends HandleDragMemo {
  classId: string;
  /** Skeleton point names, in placing order. */
  names: string[];
  placed: Keypoint[];
  /** The click that started placing; the placing state places it on entry. */
  firstClick: ToolPointerEvent | null;
}

export const createKeypointsMemo = (): KeypointsMemo => ({ drag: null, classId: "", names: [], placed: [], firstClick: null });
