import type { ToolPointerEvent } from "../../events";
import type { ToolHost } from "../host";
import { StateBase } from "../types";
import type { FrameCutMemo, FrameCutStates } from "./memo";
import { assistOf } from "./port";

/** The class Frame Cut draws: the active class when it is a polygon or mask class, else the first polygon class, else the first mask class. */
export function frameCutClass(host: ToolHost): { id: string; kind: "polygon" | "mask" } | null {
  const polygon = host.classForTool("polygon");
  const mask = host.classForTool("mask");
  const active = (host as { activeClassId?: string | null }).activeClassId ?? null;
  if (mask && mask.id === active) return { id: mask.id, kind: "mask" };
  if (polygon) return { id: polygon.id, kind: "polygon" };
  if (mask) return { id: mask.id, kind: "mask" };
  return null;
}

/** Idle: a press starts the box (unless the tool is off: no server, or the server refused). */
export class FrameCutIdle extends StateBase<FrameCutMemo, FrameCutStates> {
  onPointerDown(e: ToolPointerEvent): void {
    if (e.button !== 0) return;
    const port = assistOf(this.host);
    if (!port || port.status.blocked("frame_cut")) return;
    const cls = frameCutClass(this.host);
    if (!cls) return;
    this.memo.classId = cls.id;
    this.memo.kind = cls.kind;
    this.memo.origin = e.point;
    this.memo.originScreen = e.screen;
    this.transition("boxing");
  }
}
