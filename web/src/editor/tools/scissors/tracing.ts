import type { XY } from "../../../schema";
import type { ToolKeyEvent, ToolPointerEvent } from "../../events";
import { assistOf, toFailure } from "../frameCut/port";
import type { ToolContext } from "../types";
import { StateBase } from "../types";
import type { ScissorsMemo, ScissorsStates } from "./memo";
import { ANCHOR_RADIUS_PX, SIMPLIFY_TOLERANCE } from "./memo";
import { simplifyRing } from "./simplify";

type Ctx = ToolContext<ScissorsMemo, ScissorsStates>;

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The path so far: frozen segments, then the live path, then a straight piece to the cursor if the live path lags. */
export function tracedPath(memo: ScissorsMemo): XY[] {
  const out: XY[] = [];
  const push = (p: XY) => {
    const last = out.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  };
  memo.anchors.forEach((a, i) => {
    push(a);
    for (const p of memo.segments[i] ?? []) push(p);
  });
  if (!memo.closing) {
    for (const p of memo.live ?? []) push(p);
    if (memo.cursor) push(memo.cursor);
  }
  return out;
}

function showTrace(ctx: Ctx): void {
  const { memo, host } = ctx;
  const status = assistOf(host)?.status;
  if (status) {
    status.guide =
      memo.anchors.length === 0
        ? null
        : {
            tool: "scissors",
            marks: memo.anchors.map(([x, y], i) => ({ x, y, kind: i === 0 ? ("first-anchor" as const) : ("anchor" as const) })),
            hint: memo.closing
              ? "Closing the outline…"
              : memo.anchors.length < 3
                ? "Follow the edge and click to add anchors · Backspace: last anchor off · Esc: cancel"
                : "Click the first anchor, double-click or press Enter to close · Backspace: last anchor off · Esc: cancel",
            outline: memo.classId ? { classId: memo.classId, points: tracedPath(memo), closed: memo.closing } : null,
          };
  }
  if (!memo.classId || memo.anchors.length === 0) return host.setDraft(null);
  const pts = tracedPath(memo);
  const geometry = memo.closing && pts.length >= 3 ? { type: "polygon" as const, points_xy: pts } : { type: "polyline" as const, points_xy: pts };
  host.setDraft({ kind: "geometry", classId: memo.classId, geometry });
}

/**
 * Asks for the live path to `cursor`. At most one request is in flight: a cursor that moves
 * meanwhile is queued (only the newest position) and asked about when the answer comes. An answer
 * for an older set of anchors (a click or Backspace happened meanwhile) is dropped.
 */
export function requestPath(ctx: Ctx, cursor: XY): void {
  const { memo, host } = ctx;
  const port = assistOf(host);
  if (!port || memo.anchors.length === 0 || memo.closing) return;
  if (memo.inFlight) {
    memo.queued = cursor;
    return;
  }
  memo.inFlight = true;
  memo.queued = null;
  const generation = memo.generation;
  const settle = () => {
    memo.inFlight = false;
    const next = memo.queued;
    memo.queued = null;
    if (next && memo.anchors.length > 0 && !memo.closing) requestPath(ctx, next);
    port.changed();
  };
  port.scissors({ anchors: memo.anchors.map((a): XY => [a[0], a[1]]), cursor, close: false, page: host.page }).then(
    (answer) => {
      if (generation === memo.generation) {
        memo.live = answer.path;
        memo.liveCursor = cursor;
        port.status.succeeded("scissors");
        showTrace(ctx);
      }
      settle();
    },
    (error: unknown) => {
      if (generation === memo.generation) {
        port.status.fail("scissors", "Smart Scissors", toFailure(error));
        if (port.status.blocked("scissors")) resetScissors(ctx);
      }
      settle();
    },
  );
}

/** Esc, or after closing: forget the trace; answers still on their way are dropped. */
export function resetScissors(ctx: Ctx): void {
  const { memo, host } = ctx;
  memo.generation++;
  memo.anchors = [];
  memo.segments = [];
  memo.live = null;
  memo.liveCursor = null;
  memo.cursor = null;
  memo.queued = null;
  memo.closing = false;
  const status = assistOf(host)?.status;
  status?.setBusy("scissors", false);
  if (status?.guide?.tool === "scissors") status.guide = null;
  host.setDraft(null);
  ctx.transition("idle");
}

/** Closes the outline through every anchor (close: true) and makes it a polygon object. */
export function closeScissors(ctx: Ctx): void {
  const { memo, host } = ctx;
  const port = assistOf(host);
  if (!port || memo.anchors.length < 3 || memo.closing || !memo.classId) return;
  memo.closing = true;
  memo.generation++;
  memo.queued = null;
  const generation = memo.generation;
  const classId = memo.classId;
  port.status.setBusy("scissors", true);
  showTrace(ctx);
  port.scissors({ anchors: memo.anchors.map((a): XY => [a[0], a[1]]), cursor: null, close: true, page: host.page }).then(
    (answer) => {
      if (generation !== memo.generation) return;
      const outline = answer.path.length >= 3 ? answer.path : tracedPath(memo);
      const points_xy = simplifyRing(outline, SIMPLIFY_TOLERANCE);
      port.status.succeeded("scissors");
      resetScissors(ctx);
      if (points_xy.length >= 3) host.createObject("Smart Scissors", classId, { type: "polygon", points_xy });
      port.changed();
    },
    (error: unknown) => {
      if (generation !== memo.generation) return;
      port.status.setBusy("scissors", false);
      port.status.fail("scissors", "Smart Scissors", toFailure(error));
      memo.closing = false;
      if (port.status.blocked("scissors")) resetScissors(ctx);
      else showTrace(ctx);
      port.changed();
    },
  );
}

/**
 * Tracing: the path from the last anchor snaps to edges as the pointer moves; a click freezes it
 * and adds an anchor; a click on the first anchor, a double-click or Enter closes the outline.
 * Backspace removes the last anchor, Esc abandons the trace.
 */
export class ScissorsTracing extends StateBase<ScissorsMemo, ScissorsStates> {
  onEnter(): void {
    showTrace(this.ctx);
  }

  onPointerMove(e: ToolPointerEvent): void {
    if (this.memo.closing) return;
    const p = this.clamp(e.point.x, e.point.y);
    this.memo.cursor = p;
    showTrace(this.ctx);
    requestPath(this.ctx, p);
  }

  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0 || this.memo.closing) return;
    const p = this.clamp(e.point.x, e.point.y);
    const tolerance = this.host.screenToAssetDistance(ANCHOR_RADIUS_PX);
    const anchors = this.memo.anchors;
    const first = anchors[0];
    const last = anchors.at(-1);
    if (!first || !last) return;
    if (anchors.length >= 3 && dist(p, first) <= tolerance) {
      closeScissors(this.ctx);
      return;
    }
    if (dist(p, last) <= tolerance) return; // the second press of a double-click
    const live = this.memo.live;
    const liveCursor = this.memo.liveCursor;
    const segment: XY[] = live && live.length > 0 && liveCursor && dist(liveCursor, p) <= tolerance ? live.map((q): XY => [q[0], q[1]]) : [];
    const end = segment.at(-1);
    if (!end || dist(end, p) > 0.5) segment.push(p);
    this.memo.segments.push(segment);
    anchors.push(p);
    this.memo.live = null;
    this.memo.liveCursor = null;
    this.memo.generation++;
    showTrace(this.ctx);
  }

  onDoubleClick(): void {
    closeScissors(this.ctx);
  }

  onKeyDown(e: ToolKeyEvent): boolean {
    if (e.key === "Enter") {
      closeScissors(this.ctx);
      return true;
    }
    if (e.key === "Backspace") {
      if (this.memo.closing) return true;
      if (this.memo.anchors.length <= 1) {
        resetScissors(this.ctx);
        return true;
      }
      this.memo.anchors.pop();
      this.memo.segments.pop();
      this.memo.live = null;
      this.memo.liveCursor = null;
      this.memo.generation++;
      showTrace(this.ctx);
      if (this.memo.cursor) requestPath(this.ctx, this.memo.cursor);
      return true;
    }
    return false;
  }

  onCancel(): void {
    resetScissors(this.ctx);
  }

  private clamp(x: number, y: number): XY {
    const { width, height } = this.host.assetSize;
    return [Math.max(0, Math.min(width - 1, x)), Math.max(0, Math.min(height - 1, y))];
  }
}
