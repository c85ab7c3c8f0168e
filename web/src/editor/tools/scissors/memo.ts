import type { XY } from "../../../schema";

export type ScissorsStates = "idle" | "tracing";

export interface ScissorsMemo {
  classId: string | null;
  /** Clicked anchors, in order. */
  anchors: XY[];
  /** Frozen path pieces: segments[i] runs from anchors[i] to anchors[i + 1]. */
  segments: XY[][];
  /** The live path from the last anchor towards the cursor (the latest answer for this anchor set). */
  live: XY[] | null;
  /** The cursor the live path was computed for. */
  liveCursor: XY | null;
  /** Where the pointer is now. */
  cursor: XY | null;
  /** A path request is on its way (at most one at a time). */
  inFlight: boolean;
  /** The cursor to ask about when the request in flight comes back. */
  queued: XY | null;
  /** Bumped whenever the anchors change or the trace ends: answers for another generation are dropped. */
  generation: number;
  /** The closing request is on its way. */
  closing: boolean;
}

export const createScissorsMemo = (): ScissorsMemo => ({
  classId: null,
  anchors: [],
  segments: [],
  live: null,
  liveCursor: null,
  cursor: null,
  inFlight: false,
  queued: null,
  generation: 0,
  closing: false,
});

/** Screen pixels within which a click counts as on an anchor. */
export const ANCHOR_RADIUS_PX = 8;
/** Douglas-Peucker tolerance (asset pixels) for the closed outline that becomes the polygon. */
export const SIMPLIFY_TOLERANCE = 0.7;
