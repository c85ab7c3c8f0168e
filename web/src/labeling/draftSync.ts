import type { Annotation } from "../schema";

export type SyncStatus = "saved" | "pending" | "saving" | "offline" | "error";

export interface SyncOptions {
  /** PUT the draft; rejects with an error whose `offline` is true when the server could not be reached. */
  save: (body: Annotation, options: { keepalive: boolean }) => Promise<void>;
  /** Quiet time after the last change before saving (ms), for changes that are not a finished edit (e.g. a drag in progress). */
  delayMs?: number;
  /** Delay after a finished edit (`changed(body, { soon: true })`) before saving (ms): short, to coalesce a burst. */
  soonMs?: number;
  /** How long an unsaved body may wait before it is copied to the backup (ms); a failed save copies it at once. */
  backupDelayMs?: number;
  /** First retry delay while offline (ms); doubles up to 30 s. */
  retryMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Keeps the unsaved body somewhere that survives a reload (localStorage in the browser). */
  backup?: { write: (body: Annotation) => void; clear: () => void };
}

/**
 * Background draft sync: edits apply locally at once; soon after a finished edit (create, delete,
 * move released, undo: `soonMs`), a couple of seconds after other changes, or on `flush` (e.g. when
 * leaving the page) the latest body is saved. At most one save is in flight and one body waits
 * (the latest; changes made meanwhile replace it). A network failure keeps the body, says
 * "offline" and retries with backoff; any other failure says "error" with the server's message.
 *
 * The backup (localStorage) is off the hot path: a body still unsaved after `backupDelayMs` is
 * copied once, a failed save copies at once, and `flush(true)` (leaving the page) copies before
 * sending; a save that succeeds with nothing waiting clears it.
 */
export class DraftSync {
  status: SyncStatus = "saved";
  error: string | null = null;
  private latest: Annotation | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: unknown = null;
  /** The pending timer is a short one (a finished edit, or a queued save): later changes keep it. */
  private timerSoon = false;
  private sending: Annotation | null = null;
  private backupTimer: unknown = null;
  private backedUp: Annotation | null = null;
  private retryDelay: number;
  private readonly listeners = new Set<() => void>();
  private readonly delayMs: number;
  private readonly soonMs: number;
  private readonly backupDelayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: SyncOptions) {
    this.delayMs = options.delayMs ?? 2000;
    this.soonMs = options.soonMs ?? 0;
    this.backupDelayMs = options.backupDelayMs ?? 1500;
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

  /** The document changed to `body`; `soon`: a finished edit, saved after `soonMs` rather than the quiet time. */
  changed(body: Annotation, { soon = false }: { soon?: boolean } = {}): void {
    this.latest = body;
    this.scheduleBackup();
    if (this.status !== "offline" && this.status !== "saving") this.set("pending");
    if (this.status === "offline") this.schedule(this.retryDelay);
    else if (this.timer !== null && this.timerSoon) return; // a save is due shortly anyway and takes the latest body
    else if (soon) this.schedule(this.soonMs, true);
    else this.schedule(this.delayMs);
  }

  /** Saves now (no wait); `keepalive` lets the request outlive the page (and the backup is written first). */
  async flush(keepalive = false): Promise<void> {
    this.cancelTimer();
    if (keepalive) this.writeBackup();
    // One save at a time: wait for the one in flight (and any that another flush started meanwhile).
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.latest === null) return;
    const body = this.latest;
    this.latest = null;
    this.sending = body;
    this.set("saving");
    const attempt = this.options.save(body, { keepalive });
    this.inFlight = attempt.then(
      () => undefined,
      () => undefined,
    );
    try {
      await attempt;
      this.inFlight = null;
      this.sending = null;
      this.retryDelay = this.options.retryMs ?? 1000;
      if (this.latest === null) {
        this.cancelBackup();
        this.backedUp = null;
        this.options.backup?.clear();
        this.set("saved");
      } else this.schedule(0, true);
    } catch (e) {
      this.inFlight = null;
      this.sending = null;
      if (this.latest === null) this.latest = body;
      this.writeBackup();
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
    this.cancelBackup();
    this.latest = null;
    this.backedUp = null;
    this.options.backup?.clear();
    this.set("saved");
  }

  dispose(): void {
    this.cancelTimer();
    this.cancelBackup();
    this.listeners.clear();
  }

  /** Copies the newest unsaved body to the backup (once per body). */
  private writeBackup(): void {
    const body = this.latest ?? this.sending;
    if (body === null || body === this.backedUp || !this.options.backup) return;
    this.backedUp = body;
    this.options.backup.write(body);
  }

  private scheduleBackup(): void {
    if (this.backupTimer !== null || !this.options.backup) return;
    this.backupTimer = this.setTimer(() => {
      this.backupTimer = null;
      this.writeBackup();
    }, this.backupDelayMs);
  }

  private cancelBackup(): void {
    if (this.backupTimer !== null) this.clearTimer(this.backupTimer);
    this.backupTimer = null;
  }

  /** Saves `ms` from now (replacing any timer). */
  private schedule(ms: number, soon = false): void {
    this.cancelTimer();
    this.timerSoon = soon;
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
