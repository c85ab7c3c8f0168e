import { defineTool } from "../machine";
import { ScissorsIdle } from "./idle";
import type { ScissorsMemo, ScissorsStates } from "./memo";
import { createScissorsMemo } from "./memo";
import { ScissorsTracing } from "./tracing";

/**
 * S: Smart Scissors. Click an anchor on the object's edge; the path to the pointer follows the
 * edge (POST assist/scissors, one request in flight). Click to add anchors; click the first anchor,
 * double-click or press Enter to close the outline into a polygon. Backspace: last anchor off; Esc: cancel.
 */
export const scissorsTool = defineTool<ScissorsMemo, ScissorsStates>({
  id: "scissors",
  label: "Smart Scissors",
  hotkey: "s",
  serves: ["polygon"],
  initial: "idle",
  createMemo: createScissorsMemo,
  states: { idle: ScissorsIdle, tracing: ScissorsTracing },
});

export type { ScissorsMemo } from "./memo";
export { simplifyPath, simplifyRing } from "./simplify";
export { tracedPath } from "./tracing";
