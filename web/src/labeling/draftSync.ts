import type { Annotation } from "../schema";

export type SyncStatus = "saved" | "pending" | "saving" | "offline" | "error";

export interface SyncOptions {
  /** PUT the draft; rejects with an error whose `offline` is true when the server could not be reached. */
  save: (body: Annotation, options: { keepalive: boolean }) => Promise<void>;
  /** Quiet time after the last change before saving (ms). */
  delayMs?: number;
  /** First retry delay while offline (ms); doubles up to 30 s. */
  retryMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Keeps the unsaved body somewhere that survives a reload (localStorage in the browser). */
  backup?: { write: (body: Annotation) => void; clear: () => void };
}

/**
 * Background draft sync: edits apply locally at once; a few seconds after the last change (or
 * on `flush`, e.g. when leaving the page) the latest body is saved. Only one save is in flight;
 * changes made meanwhile are saved after it. A network failure keeps the body, says "offline"
 * and retries with backoff; any other failure says "error" with the server's message.
 */
export class DraftSync {
  status: SyncStatus = "saved";
  error: string | null = null;
  private latest: Annotation | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: unknown = null;
  private retryDelay: number;
  private readonly listeners = new Set<() => void>();
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: SyncOptions) {
    this.delayMs = options.delayMs ?? 2000;
    this.retryDelay = options.retryMs ?? 1000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True while there is a body not yet saved. */
  get dirty(): boolean {
    return this.latest !== null || this.inFlight !== null;
  }

  changed(body: Annotation): void {
    this.latest = body;
    this.options.backup?.write(body);
    if (this.status !== "offline" && this.status !== "saving") this.set("pending");
    this.schedule(this.status === "offline" ? this.retryDelay : this.delayMs);
  }

  /** Saves now (no wait); `keepalive` lets the request outlive the page. */
  async flush(keepalive = false): Promise<void> {
    this.cancelTimer();
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.latest === null) return;
    const body = this.latest;
    this.latest = null;
    this.set("saving");
    const attempt = this.options.save(body, { keepalive });
    this.inFlight = attempt.then(
      () => undefined,
      () => undefined,
    );
    try {
      await attempt;
      this.inFlight = null;
      this.retryDelay = this.options.retryMs ?? 1000;
      if (this.latest === null) {
        this.options.backup?.clear();
        this.set("saved");
      } else this.schedule(0);
    } catch (e) {
      this.inFlight = null;
      if (this.latest === null) this.latest = body;
      const offline = typeof e === "object" && e !== null && (e as { offline?: boolean }).offline === true;
      this.error = e instanceof Error ? e.message : String(e);
      this.set(offline ? "offline" : "error");
      if (offline) {
        this.schedule(this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
      }
    }
  }

  /** Forget pending changes (after a submit saved them another way). */
  reset(): void {
    this.cancelTimer();
    this.latest = null;
    this.options.backup?.clear();
    this.set("saved");
  }

  dispose(): void {
    this.cancelTimer();
    this.listeners.clear();
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private set(status: SyncStatus): void {
    if (status !== "error" && status !== "offline") this.error = null;
    this.status = status;
    for (const l of this.listeners) l();
  }
}
