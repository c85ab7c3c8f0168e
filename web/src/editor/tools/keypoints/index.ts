import { defineTool } from "../machine";
import { DraggingHandle } from "../shared/handleDrag";
import { KeypointsIdle } from "./idle";
import type { KeypointsMemo, KeypointsStates } from "./memo";
import { createKeypointsMemo } from "./memo";
import { KeypointsPlacing } from "./placing";

/** K: places the class skeleton's points in order. */
export const keypointsTool = defineTool<KeypointsMemo, KeypointsStates>({
  id: "keypoints",
  label: "Keypoints",
  hotkey: "k",
  serves: ["keypoints"],
  initial: "idle",
  createMemo: createKeypointsMemo,
  states: { idle: KeypointsIdle, placing: KeypointsPlacing, dragging_handle: DraggingHandle },
});
