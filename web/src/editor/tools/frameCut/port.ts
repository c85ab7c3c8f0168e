import type { Rle, XY } from "../../../schema";

/**
 * What the AI-assist tools (Frame Cut, Smart Scissors) need from outside the editor: the server
 * calls and a way to re-render after an answer arrives. The editor stays DOM- and network-free;
 * the labeling screen attaches a port to its editor (attachAssist) and the tools look it up.
 * With no port attached the tools do nothing (and say so through their status).
 */
export type AssistToolId = "frame_cut" | "scissors";

export interface FrameCutClick {
  x: number;
  y: number;
  positive: boolean;
}

export interface FrameCutRequest {
  box: [number, number, number, number];
  clicks: FrameCutClick[];
  page: number;
}

export interface FrameCutAnswer {
  /** Simplified outline in asset pixels (empty when nothing was found). */
  polygon: XY[];
  /** The exact mask, COCO RLE (uncompressed counts) of the whole asset. */
  mask: Rle | null;
  score: number;
  method: string;
}

export interface ScissorsRequest {
  anchors: XY[];
  cursor: XY | null;
  close: boolean;
  page: number;
}

export interface ScissorsAnswer {
  /** Pixel centres from the last anchor to the cursor, or the whole closed outline. */
  path: XY[];
  closed: boolean;
}

/** A failed request: `status` is the HTTP status (0 when the server could not be reached). */
export interface AssistFailure {
  status: number;
  message: string;
}

/** A point the screen marks over the canvas while a tool works (asset pixels). */
export interface AssistMark {
  x: number;
  y: number;
  kind: "positive" | "negative" | "anchor" | "first-anchor";
}

/** What the screen draws over the canvas for the gesture in progress: its points and a one-line hint. */
export interface AssistGuide {
  tool: AssistToolId;
  marks: AssistMark[];
  hint: string;
  /** The pending outline (Frame Cut's answer, the Scissors' path) drawn boldly over the image. */
  outline?: { classId: string; points: [number, number][]; closed: boolean } | null;
}

/**
 * Busy flags, disabled tools and the last message, shared by the tools and the screen.
 * Mutated by the tools; the screen reads it on every editor notify.
 */
export class AssistStatus {
  private readonly busyTools = new Set<string>();
  /** Tool id -> why it is off (503: library missing; 4xx: not allowed here). */
  readonly disabled = new Map<string, string>();
  /** The last problem to show (cleared when the next request of that tool succeeds). */
  message: { tool: string; text: string } | null = null;
  /** The gesture in progress (click marks, anchors, hint), or null. */
  guide: AssistGuide | null = null;

  setBusy(tool: string, busy: boolean): void {
    if (busy) this.busyTools.add(tool);
    else this.busyTools.delete(tool);
  }

  isBusy(tool: string): boolean {
    return this.busyTools.has(tool);
  }

  get anyBusy(): boolean {
    return this.busyTools.size > 0;
  }

  /** Why `tool` is off, or null when it may be used. */
  blocked(tool: string): string | null {
    return this.disabled.get(tool) ?? null;
  }

  /**
   * Records a failed request. 503 (the server lacks the library) and 401/403/404/409 (no access,
   * lease ended) turn the tool off; a 400/422 is about this one input (a box too small, a page out
   * of range), and a network failure may pass, so those only show the message.
   */
  fail(tool: string, label: string, failure: AssistFailure): void {
    const text = `${label}: ${failure.message}`;
    const permanent = failure.status === 503 || (failure.status >= 401 && failure.status < 500 && failure.status !== 422);
    if (permanent) this.disabled.set(tool, text);
    this.message = { tool, text: permanent ? `${text} — ${label} is turned off for this task.` : text };
  }

  /** A message that is not a failure (e.g. nothing found); the tool stays on. */
  notice(tool: string, text: string): void {
    this.message = { tool, text };
  }

  /** The labeler closed the message. */
  dismiss(): void {
    this.message = null;
  }

  succeeded(tool: string): void {
    if (this.message?.tool === tool) this.message = null;
  }
}

export interface AssistPort {
  frameCut(request: FrameCutRequest): Promise<FrameCutAnswer>;
  scissors(request: ScissorsRequest): Promise<ScissorsAnswer>;
  /** Re-render: called after an answer (or a failure) changed what the editor shows. */
  changed(): void;
  readonly status: AssistStatus;
}

const ports = new WeakMap<object, AssistPort>();

/** Gives the assist tools of `host` (the editor) their server; null detaches. */
export function attachAssist(host: object, port: AssistPort | null): void {
  if (port) ports.set(host, port);
  else ports.delete(host);
}

export function assistOf(host: object): AssistPort | null {
  return ports.get(host) ?? null;
}

/** Turns whatever a port's promise rejected with into a status and a message. */
export function toFailure(error: unknown): AssistFailure {
  if (error && typeof error === "object") {
    const e = error as { status?: unknown; message?: unknown };
    const status = typeof e.status === "number" ? e.status : 0;
    const message = typeof e.message === "string" && e.message ? e.message : String(error);
    return { status, message };
  }
  return { status: 0, message: String(error) };
}
