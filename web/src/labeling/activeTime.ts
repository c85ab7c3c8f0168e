/**
 * Active labeling time: time counts only while the labeler was active (pointer or key input)
 * within the last `idleMs`; after that it pauses until the next input. `take()` returns the
 * seconds not yet reported (the editor POSTs them to /tasks/{id}/time as a heartbeat).
 */
export class ActiveTimer {
  private lastActivity: number;
  private lastTick: number;
  private unreported = 0;
  total = 0;

  constructor(private readonly now: () => number = () => performance.now(), private readonly idleMs = 60_000) {
    this.lastActivity = now();
    this.lastTick = this.lastActivity;
  }

  /** Counts time up to now; call on a regular tick and before reading. */
  tick(): void {
    const t = this.now();
    const activeUntil = Math.min(t, this.lastActivity + this.idleMs);
    if (activeUntil > this.lastTick) {
      const seconds = (activeUntil - this.lastTick) / 1000;
      this.unreported += seconds;
      this.total += seconds;
    }
    this.lastTick = t;
  }

  activity(): void {
    this.tick();
    this.lastActivity = this.now();
  }

  get idle(): boolean {
    return this.now() - this.lastActivity > this.idleMs;
  }

  take(): number {
    this.tick();
    const s = this.unreported;
    this.unreported = 0;
    return s;
  }

  /** Puts back seconds whose report failed. */
  giveBack(seconds: number): void {
    this.unreported += seconds;
  }
}

export function formatClock(seconds: number): string {
  const s = Math.floor(seconds);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}
