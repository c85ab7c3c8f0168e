import { useEffect, useState } from "react";
import { api, call } from "../api";
import { ActiveTimer } from "./activeTime";

const REPORT_EVERY_MS = 15_000;
const IDLE_MS = 60_000;

/**
 * Counts active time (pausing after a minute without input) and reports it every 15 s with
 * POST /tasks/{id}/time, which also renews the lease. Returns the timer and seconds shown.
 */
export function useActiveTime(taskId: number, alreadySeconds: number, report: boolean): { timer: ActiveTimer; seconds: number; idle: boolean } {
  const [timer] = useState(() => new ActiveTimer(() => performance.now(), IDLE_MS));
  const [shown, setShown] = useState({ seconds: alreadySeconds, idle: false });
  useEffect(() => {
    const mark = () => timer.activity();
    const events = ["pointerdown", "pointermove", "keydown", "wheel"] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true, capture: true });
    const tick = window.setInterval(() => {
      timer.tick();
      setShown({ seconds: alreadySeconds + timer.total, idle: timer.idle });
    }, 1000);
    const send = (keepalive = false) => {
      const seconds = timer.take();
      if (!report || seconds < 0.5) {
        timer.giveBack(seconds);
        return;
      }
      const body = { active_seconds: Math.min(seconds, 3600) };
      call(api.POST("/api/v1/tasks/{task_id}/time", { params: { path: { task_id: taskId } }, body, ...(keepalive ? { keepalive: true } : {}) })).catch(() => timer.giveBack(seconds));
    };
    const reporter = window.setInterval(send, REPORT_EVERY_MS);
    // Leaving or reloading the page reports the seconds since the last heartbeat.
    const leave = () => send(true);
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("pagehide", leave);
      for (const e of events) window.removeEventListener(e, mark, { capture: true });
      window.clearInterval(tick);
      window.clearInterval(reporter);
    };
  }, [timer, taskId, alreadySeconds, report]);
  return { timer, ...shown };
}
