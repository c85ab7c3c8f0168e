import { memo, useEffect, useRef, useState } from "react";
import type { PlaneName } from "./planes";
import { overlayTable, renderSlice, WindowLut } from "./render";
import type { VolumeSession } from "./session";
import { drawOverlay } from "./drawOverlay";
import type { Placement } from "./viewMath";
import { placement } from "./viewMath";
import { useSliceGestures } from "./useSliceGestures";

export const PLANE_COLOURS: Record<PlaneName, string> = { axial: "#4c8dff", sagittal: "#e0b341", coronal: "#3fb950" };

/**
 * One plane: the slice drawn through ImageData (no server round trip), crosshair, boxes, markers
 * and readouts. Memoized: it redraws its canvas on session changes itself and re-renders its
 * readouts only when they change, not with every render of the viewer.
 */
export const SliceView = memo(function SliceView({ session, plane }: { session: VolumeSession; plane: PlaneName }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const place = useRef<Placement | null>(null);
  const [, setTick] = useState(0);
  const map = session.maps[plane];

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const image = document.createElement("canvas");
    image.width = map.width;
    image.height = map.height;
    const imageCtx = image.getContext("2d");
    const ctx = c.getContext("2d");
    if (!imageCtx || !ctx) return;
    const data = imageCtx.createImageData(map.width, map.height);
    const words = new Uint32Array(data.data.buffer);
    const lut = new WindowLut(session.center, session.width);
    let overlay = overlayTable(0.45, session.hiddenLabels);
    let hiddenKey = "";
    let frame = 0;
    let drawnKey = "";
    let overlayKey = "";
    const draw = () => {
      frame = 0;
      const dpr = window.devicePixelRatio || 1;
      const cw = c.clientWidth;
      const ch = c.clientHeight;
      if (cw === 0 || ch === 0) return;
      if (c.width !== Math.round(cw * dpr) || c.height !== Math.round(ch * dpr)) {
        c.width = Math.round(cw * dpr);
        c.height = Math.round(ch * dpr);
      }
      const s = session.slice(plane);
      const hk = [...session.hiddenLabels].join(",");
      if (hk !== hiddenKey) {
        overlay = overlayTable(0.45, session.hiddenLabels);
        hiddenKey = hk;
      }
      const key = `${s}|${session.center}|${session.width}|${session.labels.version}|${hk}`;
      if (key !== drawnKey) {
        renderSlice(session.volume, map, s, words, { center: session.center, width: session.width, lut, labels: session.labels.data, overlay });
        imageCtx.putImageData(data, 0, 0);
        drawnKey = key;
        session.frames++;
      }
      const pl = placement(map, session.views[plane], cw, ch);
      place.current = pl;
      session.placements[plane] = pl;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, cw, ch);
      ctx.imageSmoothingEnabled = session.views[plane].zoom < 3;
      ctx.drawImage(image, pl.ox, pl.oy, map.width * pl.sx, map.height * pl.sy);
      drawOverlay(ctx, session, plane, pl, cw, ch, PLANE_COLOURS);
      const readout = `${s}|${session.center}|${session.width}|${session.tool}|${session.maximized}|${session.views[plane].zoom}|${session.lastPlane}`;
      if (readout !== overlayKey) {
        overlayKey = readout;
        setTick((t) => t + 1);
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const stop = session.subscribe(schedule);
    const resize = new ResizeObserver(schedule);
    resize.observe(c);
    schedule();
    return () => {
      stop();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [session, plane, map]);

  const gestures = useSliceGestures(session, plane, place);
  const s = session.slice(plane);
  const pos = session.slicePositionMm(plane);
  const m = map.markers;
  const hover = gestures.hover;
  const value = hover ? session.volume.voxels[(hover[2] * session.volume.nj + hover[1]) * session.volume.ni + hover[0]] : undefined;
  const maxed = session.maximized === plane;
  return (
    <div className={`vv-view vv-${plane}${session.lastPlane === plane ? " vv-current" : ""}`} data-plane={plane} style={{ borderColor: session.lastPlane === plane ? PLANE_COLOURS[plane] : undefined }}>
      <canvas
        ref={canvas}
        className={`vv-canvas tool-${session.tool}`}
        tabIndex={-1}
        onContextMenu={(e) => e.preventDefault()}
        onDoubleClick={() => session.set("maximized", maxed ? null : plane)}
        {...gestures.handlers}
      />
      <div className="vv-label vv-tl">
        <span className="vv-plane" style={{ color: PLANE_COLOURS[plane] }}>
          {plane[0]?.toUpperCase() + plane.slice(1)}
        </span>
        <span className="vv-slice" data-testid={`slice-${plane}`}>
          {s + 1} / {map.depth}
        </span>
        <span>
          {pos.letter} {pos.mm.toFixed(2)} mm
        </span>
      </div>
      <div className="vv-label vv-tr">
        <button className="vv-max" title={maxed ? "Restore the three views (double-click)" : "Maximize this view (double-click)"} onClick={() => session.set("maximized", maxed ? null : plane)}>
          {maxed ? "⤡" : "⤢"}
        </button>
      </div>
      <div className="vv-label vv-bl">
        {hover ? (
          <span>
            ({hover[0]}, {hover[1]}, {hover[2]}) {value !== undefined ? Math.round(value * 10) / 10 : ""}
          </span>
        ) : null}
        <span data-testid={`wl-${plane}`}>
          W {Math.round(session.width)} L {Math.round(session.center)}
        </span>
      </div>
      <div className="vv-label vv-br">{Math.round(session.views[plane].zoom * 100)}%</div>
      <div className="vv-marker vv-m-top">{m.top}</div>
      <div className="vv-marker vv-m-bottom">{m.bottom}</div>
      <div className="vv-marker vv-m-left">{m.left}</div>
      <div className="vv-marker vv-m-right" data-testid={`marker-right-${plane}`}>
        {m.right}
      </div>
    </div>
  );
});

