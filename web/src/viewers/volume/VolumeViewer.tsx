import type { KeyboardEvent as ReactKeyboardEvent } from "react";
import { useEffect, useState } from "react";
import type { PlaneName } from "./planes";
import { PLANES } from "./planes";
import type { VolumeSession } from "./session";
import { PLANE_COLOURS, SliceView } from "./SliceView";
import "./volume.css";

/** Re-renders the component when the session changes (coalesced to one render per frame). */
export function useSessionTick(session: VolumeSession): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    let frame = 0;
    const stop = session.subscribe(() => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setTick((t) => t + 1);
        });
    });
    return () => {
      stop();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [session]);
}

/** Keys of the viewer: slices (arrows, PageUp/PageDown, Home/End), maximize (M), zoom reset (0). */
export function viewerKey(session: VolumeSession, e: { key: string; shiftKey: boolean }): boolean {
  const plane = session.lastPlane;
  const step = e.shiftKey ? 10 : 1;
  const keys: Record<string, () => void> = {
    ArrowUp: () => session.scroll(plane, -step),
    ArrowDown: () => session.scroll(plane, step),
    ArrowLeft: () => session.scroll(plane, -step),
    ArrowRight: () => session.scroll(plane, step),
    PageUp: () => session.scroll(plane, -10),
    PageDown: () => session.scroll(plane, 10),
    Home: () => session.setSlice(plane, 0),
    End: () => session.setSlice(plane, session.maps[plane].depth - 1),
    m: () => session.set("maximized", session.maximized ? null : plane),
    "0": () => {
      for (const p of PLANES) session.views[p] = { zoom: 1, panX: 0, panY: 0 };
      session.notify();
    },
  };
  const run = keys[e.key];
  if (!run) return false;
  run();
  return true;
}

/** Three planes side by side (or one maximized), a slice slider for the current plane and the window presets. */
export function VolumeViewer({ session }: { session: VolumeSession }) {
  useSessionTick(session);
  const plane = session.lastPlane;
  const map = session.maps[plane];
  const shown: readonly PlaneName[] = session.maximized ? [session.maximized] : PLANES;
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (viewerKey(session, e)) e.preventDefault();
  };
  return (
    <div className="vv-root" onKeyDown={onKeyDown} tabIndex={0} data-testid="volume-viewer">
      <div className={`vv-grid vv-n${shown.length}`}>
        {shown.map((p) => (
          <SliceView key={p} session={session} plane={p} />
        ))}
      </div>
      <div className="vv-strip">
        <span className="vv-strip-plane" style={{ color: PLANE_COLOURS[plane] }}>
          {plane}
        </span>
        <span className="vv-slider-wrap">
          <input
            type="range"
            className="vv-slider"
            aria-label={`${plane} slice`}
            data-testid="slice-slider"
            min={0}
            max={map.depth - 1}
            value={session.slice(plane)}
            onChange={(e) => session.setSlice(plane, Number(e.target.value))}
          />
          {map.fixed === 2 &&
            map.depth > 1 &&
            session.answeredSlices.map((k) => (
              <span key={k} className="vv-slice-mark" data-testid="slice-mark" title={`Slice ${k + 1}: answered`} style={{ left: `calc(7px + (100% - 14px) * ${k / (map.depth - 1)})` }} />
            ))}
        </span>
        <span className="vv-strip-num">
          {session.slice(plane) + 1}/{map.depth}
        </span>
        <span className="vv-sep" />
        {session.presets.map((p, n) => (
          <button
            key={p.name}
            className={`vv-preset${session.center === p.center && session.width === p.width ? " active" : ""}`}
            title={`Window ${p.width} / level ${p.center} (F${n + 1})`}
            onClick={() => session.setWindow(p.center, p.width)}
          >
            {p.name}
          </button>
        ))}
        <span className="vv-wl">
          W {Math.round(session.width)} · L {Math.round(session.center)}
        </span>
      </div>
    </div>
  );
}
