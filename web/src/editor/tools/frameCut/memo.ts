import type { Vec2 } from "../../../geometry";
import type { FrameCutAnswer, FrameCutClick } from "./port";

export type FrameCutStates = "idle" | "boxing" | "refining";

export interface FrameCutMemo {
  /** Where the box drag started (asset and screen pixels). */
  origin: Vec2;
  originScreen: Vec2;
  /** The drawn box [x1, y1, x2, y2] in asset pixels, clamped to the asset. */
  box: [number, number, number, number] | null;
  /** Refinement clicks, in order; every request sends them all with the box. */
  clicks: FrameCutClick[];
  /** The class the pending object will get and how it is stored. */
  classId: string | null;
  kind: "polygon" | "mask";
  /** The answer to the latest request that came back (what is shown as the pending object). */
  result: FrameCutAnswer | null;
  /** Number of the latest request sent; answers to any other are stale and dropped. */
  latest: number;
  /** Number of the latest request that settled (answered or failed). */
  settled: number;
  /** Enter was pressed while a request was in flight: accept as soon as it answers. */
  acceptWhenReady: boolean;
  /** A press while refining, not yet a click (a drag from it draws a new box instead). */
  press: { point: Vec2; screen: Vec2; positive: boolean } | null;
}

export const createFrameCutMemo = (): FrameCutMemo => ({
  origin: { x: 0, y: 0 },
  originScreen: { x: 0, y: 0 },
  box: null,
  clicks: [],
  classId: null,
  kind: "polygon",
  result: null,
  latest: 0,
  settled: 0,
  acceptWhenReady: false,
  press: null,
});

/** Fewer asset pixels than this on a side and the box is not sent (the server needs 2 x 2). */
export const MIN_BOX = 2;
