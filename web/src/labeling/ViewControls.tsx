import { useEffect, useState } from "react";

export interface ImageAdjust {
  brightness: number;
  contrast: number;
  gamma: number;
}

export const NEUTRAL: ImageAdjust = { brightness: 1, contrast: 1, gamma: 1 };
const KEY = "labelhub.imageAdjust";

/** The CSS filter for the image layer; gamma goes through the SVG filter that `GammaFilter` renders. */
export function imageFilter(a: ImageAdjust): string {
  if (a.brightness === 1 && a.contrast === 1 && a.gamma === 1) return "none";
  return `brightness(${a.brightness}) contrast(${a.contrast})${a.gamma === 1 ? "" : " url(#lh-gamma)"}`;
}

/** Brightness, contrast and gamma, kept per browser (a labeler's reading preference, not the task's). */
export function useImageAdjust(): [ImageAdjust, (a: ImageAdjust) => void] {
  const [adjust, setAdjust] = useState<ImageAdjust>(() => {
    try {
      return { ...NEUTRAL, ...(JSON.parse(window.localStorage.getItem(KEY) ?? "{}") as Partial<ImageAdjust>) };
    } catch {
      return NEUTRAL;
    }
  });
  useEffect(() => window.localStorage.setItem(KEY, JSON.stringify(adjust)), [adjust]);
  return [adjust, setAdjust];
}

/** An SVG gamma curve (out = in^(1/gamma)) referenced by the image layer's CSS filter. */
export function GammaFilter({ gamma }: { gamma: number }) {
  const exponent = String(1 / gamma);
  return (
    <svg width="0" height="0" style={{ position: "absolute" }} aria-hidden>
      <filter id="lh-gamma" colorInterpolationFilters="sRGB">
        <feComponentTransfer>
          <feFuncR type="gamma" exponent={exponent} />
          <feFuncG type="gamma" exponent={exponent} />
          <feFuncB type="gamma" exponent={exponent} />
        </feComponentTransfer>
      </filter>
    </svg>
  );
}

const SLIDERS: { key: keyof ImageAdjust; label: string; min: number; max: number }[] = [
  { key: "brightness", label: "Brightness", min: 0.2, max: 3 },
  { key: "contrast", label: "Contrast", min: 0.2, max: 3 },
  { key: "gamma", label: "Gamma", min: 0.2, max: 3 },
];

/** Top-bar button with a popover of three sliders and a reset. */
export function ViewControls({ adjust, onChange }: { adjust: ImageAdjust; onChange: (a: ImageAdjust) => void }) {
  const [open, setOpen] = useState(false);
  const changed = imageFilter(adjust) !== "none";
  return (
    <span className="popover-anchor">
      <button className={changed ? "on" : ""} aria-expanded={open} aria-label="Image adjustments" title="Brightness, contrast, gamma" onClick={() => setOpen(!open)}>
        ◐
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Image adjustments" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {SLIDERS.map((s) => (
            <label key={s.key} className="slider">
              <span>
                {s.label} <b>{adjust[s.key].toFixed(2)}</b>
              </span>
              <input
                type="range"
                aria-label={s.label}
                min={s.min}
                max={s.max}
                step={0.05}
                value={adjust[s.key]}
                onChange={(e) => onChange({ ...adjust, [s.key]: Number(e.target.value) })}
                onKeyDown={(e) => e.stopPropagation()}
              />
            </label>
          ))}
          <div className="popover-actions">
            <button disabled={!changed} onClick={() => onChange(NEUTRAL)}>
              Reset
            </button>
            <button onClick={() => setOpen(false)}>Close</button>
          </div>
        </div>
      )}
    </span>
  );
}
