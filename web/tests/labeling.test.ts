import { describe, expect, it } from "vitest";
import { ActiveTimer, formatClock } from "../src/labeling/activeTime";
import { answerAndPrune } from "../src/labeling/answers";
import { DraftSync } from "../src/labeling/draftSync";
import type { Annotation, Question } from "../src/schema";
import { matchRoute } from "../src/ui/router";

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
      now += ms;
      for (;;) {
        const due = tasks.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        tasks = tasks.filter((t) => t !== due);
        due.fn();
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

const body = (n: number): Annotation => ({ objects: [], classifications: { n: String(n) } });

describe("DraftSync", () => {
  it("saves the latest body once, a while after the last change", async () => {
    const t = fakeTimers();
    const saved: Annotation[] = [];
    const sync = new DraftSync({ save: async (b) => void saved.push(b), delayMs: 2000, setTimer: t.set, clearTimer: t.clear });
    sync.changed(body(1));
    await t.advance(1000);
    sync.changed(body(2));
    expect(sync.status).toBe("pending");
    await t.advance(1999);
    expect(saved).toEqual([]);
    await t.advance(1);
    expect(saved).toEqual([body(2)]);
    expect(sync.status).toBe("saved");
  });

  it("goes offline on a network failure, keeps the body and retries", async () => {
    const t = fakeTimers();
    let up = false;
    const saved: Annotation[] = [];
    const backup: (Annotation | null)[] = [];
    const sync = new DraftSync({
      save: async (b) => {
        if (!up) throw Object.assign(new Error("down"), { offline: true });
        saved.push(b);
      },
      delayMs: 100,
      retryMs: 1000,
      setTimer: t.set,
      clearTimer: t.clear,
      backup: { write: (b) => backup.push(b), clear: () => backup.push(null) },
    });
    sync.changed(body(1));
    await t.advance(100);
    expect(sync.status).toBe("offline");
    expect(sync.dirty).toBe(true);
    up = true;
    await t.advance(1000);
    expect(saved).toEqual([body(1)]);
    expect(sync.status).toBe("saved");
    expect(backup).toEqual([body(1), null]);
  });

  it("reports a refused save as an error with the server's message", async () => {
    const sync = new DraftSync({ save: async () => Promise.reject(new Error("Unknown class 'x'.")) });
    sync.changed(body(1));
    await sync.flush();
    expect(sync.status).toBe("error");
    expect(sync.error).toBe("Unknown class 'x'.");
    sync.dispose();
  });
});

describe("ActiveTimer", () => {
  it("counts time only until the idle limit after the last input", () => {
    let now = 0;
    const timer = new ActiveTimer(() => now, 60_000);
    now = 30_000;
    timer.tick();
    expect(timer.total).toBeCloseTo(30);
    now = 200_000;
    timer.tick();
    expect(timer.total).toBeCloseTo(60);
    expect(timer.idle).toBe(true);
    timer.activity();
    now = 210_000;
    expect(timer.take()).toBeCloseTo(70);
    expect(timer.take()).toBe(0);
    expect(formatClock(3725)).toBe("1:02:05");
    expect(formatClock(65)).toBe("01:05");
  });
});

describe("answerAndPrune", () => {
  const questions: Question[] = [
    {
      id: "finding",
      name: "Finding",
      kind: "radio",
      required: true,
      options: [
        { id: "nodule", name: "Nodule", questions: [{ id: "size", name: "Size", kind: "number", required: true }] },
        { id: "none", name: "None" },
      ],
    },
  ];

  it("drops nested answers when their parent option is un-chosen", () => {
    const a = answerAndPrune(questions, {}, "finding", "nodule");
    const b = answerAndPrune(questions, a, "size", 4);
    expect(b).toEqual({ finding: "nodule", size: 4 });
    expect(answerAndPrune(questions, b, "finding", "none")).toEqual({ finding: "none" });
    expect(answerAndPrune(questions, b, "finding", null)).toEqual({});
  });
});

describe("matchRoute", () => {
  it("matches patterns with params", () => {
    expect(matchRoute("/projects/:id/:tab", "/projects/3/import?x=1")).toEqual({ id: "3", tab: "import" });
    expect(matchRoute("/tasks/:taskId", "/tasks/9/review")).toBeNull();
  });
});
