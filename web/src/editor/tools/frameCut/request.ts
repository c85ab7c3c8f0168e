import { decodeRle } from "../../../geometry";
import type { Geometry } from "../../../schema";
import type { ToolContext } from "../types";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { assistOf, toFailure } from "./port";

type Ctx = ToolContext<FrameCutMemo, FrameCutStates>;

const EMPTY = "Frame Cut found no object in this box: click inside the object (or Esc and draw the box again).";

/** Shows the pending object: the answer's outline (or mask), else the box while the first answer is on its way. */
export function showPending(ctx: Ctx): void {
  const { memo, host } = ctx;
  const status = assistOf(host)?.status;
  if (status) {
    status.guide =
      memo.box === null
        ? null
        : {
            tool: "frame_cut",
            marks: memo.clicks.map((c) => ({ x: c.x, y: c.y, kind: c.positive ? ("positive" as const) : ("negative" as const) })),
            hint: memo.result
              ? "Click: add to the object · Right-click or Shift+click: remove · Backspace: undo click · Enter: accept · Esc: cancel"
              : "Cutting the object out of the box… · Esc: cancel",
            outline: memo.classId && memo.result && memo.result.polygon.length >= 3 ? { classId: memo.classId, points: memo.result.polygon, closed: true } : null,
          };
  }
  if (!memo.classId || !memo.box) return host.setDraft(null);
  const r = memo.result;
  if (r && memo.kind === "mask" && r.mask) {
    host.setDraft({ kind: "mask", classId: memo.classId, targetId: null, bitmap: decodeRle(r.mask), version: memo.settled });
  } else if (r && r.polygon.length >= 3) {
    host.setDraft({ kind: "geometry", classId: memo.classId, geometry: { type: "polygon", points_xy: r.polygon } });
  } else {
    host.setDraft({ kind: "geometry", classId: memo.classId, geometry: { type: "bbox", xyxy: memo.box } });
  }
}

/**
 * Sends the box with every click so far. Only the latest request counts: an answer to an
 * earlier one (the labeler clicked again meanwhile), or one that arrives after Enter or Esc,
 * is dropped.
 */
export function sendFrameCut(ctx: Ctx): void {
  const { memo, host } = ctx;
  const port = assistOf(host);
  if (!port || !memo.box) return;
  const id = ++memo.latest;
  port.status.setBusy("frame_cut", true);
  showPending(ctx);
  const request = { box: memo.box, clicks: memo.clicks.map((c) => ({ ...c })), page: host.page };
  port.frameCut(request).then(
    (answer) => {
      if (id !== memo.latest) return;
      memo.settled = id;
      port.status.setBusy("frame_cut", false);
      port.status.succeeded("frame_cut");
      memo.result = answer;
      if (!pendingGeometry(memo)) port.status.notice("frame_cut", EMPTY);
      if (memo.acceptWhenReady) acceptFrameCut(ctx);
      else showPending(ctx);
      port.changed();
    },
    (error: unknown) => {
      if (id !== memo.latest) return;
      memo.settled = id;
      port.status.setBusy("frame_cut", false);
      port.status.fail("frame_cut", "Frame Cut", toFailure(error));
      if (port.status.blocked("frame_cut") || !memo.result) resetFrameCut(ctx);
      else {
        // Keep the last good outline; the click that failed is taken back.
        memo.clicks.pop();
        memo.acceptWhenReady = false;
        showPending(ctx);
      }
      port.changed();
    },
  );
}

/** The geometry the pending object would be committed with, or null when there is none yet. */
export function pendingGeometry(memo: FrameCutMemo): Geometry | null {
  const r = memo.result;
  if (!r) return null;
  if (memo.kind === "mask") return r.mask && r.mask.counts.length > 1 ? { type: "mask", rle: r.mask } : null;
  return r.polygon.length >= 3 ? { type: "polygon", points_xy: r.polygon } : null;
}

/** Enter: the pending object becomes a human object (one undo step). While a request is in flight, accepts its answer when it comes. */
export function acceptFrameCut(ctx: Ctx): void {
  const { memo, host } = ctx;
  if (memo.latest !== memo.settled) {
    memo.acceptWhenReady = true;
    return;
  }
  const geometry = pendingGeometry(memo);
  const classId = memo.classId;
  if (!geometry && memo.result) {
    // Nothing to accept: keep the box so the labeler can click inside the object.
    memo.acceptWhenReady = false;
    assistOf(host)?.status.notice("frame_cut", EMPTY);
    return;
  }
  resetFrameCut(ctx);
  if (geometry && classId) host.createObject("Frame Cut", classId, geometry);
}

/** Esc (or accept): forget the box, the clicks and the answer; any answer still on its way is dropped. */
export function resetFrameCut(ctx: Ctx): void {
  const { memo, host } = ctx;
  memo.latest++;
  memo.settled = memo.latest;
  memo.box = null;
  memo.clicks = [];
  memo.result = null;
  memo.acceptWhenReady = false;
  const status = assistOf(host)?.status;
  status?.setBusy("frame_cut", false);
  if (status?.guide?.tool === "frame_cut") status.guide = null;
  host.setDraft(null);
  ctx.transition("idle");
}
