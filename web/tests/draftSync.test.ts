import { describe, expect, it } from "vitest";
import { DraftSync } from "../src/labeling/draftSync";
import type { Annotation } from "../src/schema";

function fakeTimers() {
  let now = 0;
  let tasks: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    set: (fn: () => void, ms: number) => {
      tasks.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clear: (id: unknown) => (tasks = tasks.filter((t) => t.id !== id)),
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = tasks.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        tasks = tasks.filter((t) => t !== due);
        due.fn();
        await new Promise((r) => setTimeout(r, 0));
      }
      now = until;
    },
  };
}

const body = (n: number): Annotation => ({ objects: [], classifications: { n: String(n) } });

/** A save that stays in flight until `finish()` is called. */
function slowServer() {
  const saved: Annotation[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: (() => void)[] = [];
  return {
    saved,
    get maxInFlight() {
      return maxInFlight;
    },
    get waiting() {
      return pending.length;
    },
    save: (b: Annotation) =>
      new Promise<void>((resolve) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        pending.push(() => {
          inFlight--;
          saved.push(b);
          resolve();
        });
      }),
    async finish() {
      pending.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe("DraftSync scheduling", () => {
  it("saves a finished edit after soonMs, not after the quiet time", async () => {
    const t = fakeTimers();
    const saved: Annotation[] = [];
    const sync = new DraftSync({ save: async (b) => void saved.push(b), delayMs: 2000, soonMs: 30, setTimer: t.set, clearTimer: t.clear });
    sync.changed(body(1)); // a drag in progress
    sync.changed(body(2), { soon: true }); // released
    await t.advance(29);
    expect(saved).toEqual([]);
    await t.advance(1);
    expect(saved).toEqual([body(2)]);
    expect(sync.status).toBe("saved");
    // A live change right after a finished one keeps the short timer (and is saved with it).
    sync.changed(body(3), { soon: true });
    sync.changed(body(4));
    await t.advance(30);
    expect(saved).toEqual([body(2), body(4)]);
  });

  it("keeps at most one save in flight and one body waiting (the latest)", async () => {
    const t = fakeTimers();
    const server = slowServer();
    const sync = new DraftSync({ save: server.save, soonMs: 0, setTimer: t.set, clearTimer: t.clear });
    sync.changed(body(1), { soon: true });
    await t.advance(0);
    expect(server.waiting).toBe(1);
    for (let n = 2; n <= 5; n++) {
      sync.changed(body(n), { soon: true });
      await t.advance(0);
    }
    void sync.flush(); // e.g. the page is hidden meanwhile
    expect(server.waiting).toBe(1);
    await server.finish();
    await t.advance(0);
    expect(server.saved).toEqual([body(1)]);
    expect(server.waiting).toBe(1);
    await server.finish();
    await t.advance(0);
    expect(server.saved).toEqual([body(1), body(5)]);
    expect(server.waiting).toBe(0);
    expect(server.maxInFlight).toBe(1);
    expect(sync.status).toBe("saved");
  });

  it("writes the backup only for a body that stays unsaved, and on leaving the page", async () => {
    const t = fakeTimers();
    const server = slowServer();
    const backup: (Annotation | null)[] = [];
    const sync = new DraftSync({
      save: server.save,
      soonMs: 0,
      backupDelayMs: 1000,
      setTimer: t.set,
      clearTimer: t.clear,
      backup: { write: (b) => backup.push(b), clear: () => backup.push(null) },
    });
    // Saved quickly: no copy, only the clear of an older one.
    sync.changed(body(1), { soon: true });
    await t.advance(0);
    await server.finish();
    expect(backup).toEqual([null]);
    await t.advance(2000);
    expect(backup).toEqual([null]);
    // A slow save: one copy after backupDelayMs, however many edits.
    for (let n = 2; n <= 6; n++) {
      sync.changed(body(n), { soon: true });
      await t.advance(300);
    }
    expect(backup).toEqual([null, body(5)]); // body 2 was still in flight at 1,000 ms; body 5 the newest
    // Leaving the page copies the newest body before sending.
    sync.changed(body(7));
    void sync.flush(true);
    expect(backup).toEqual([null, body(5), body(7)]);
  });
});
