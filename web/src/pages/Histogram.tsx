/**
 * Bar charts in plain SVG. The dashboard draws small bar charts with at most a few dozen bars;
 * a charting library would add 100+ kB for that, and SVG keeps them crisp and themeable.
 */
export interface Bin {
  from: number;
  to: number | null;
  count: number;
}

export interface Bar {
  label: string;
  count: number;
  /** Hover text; the label and count when absent. */
  title?: string;
}

function short(s: number): string {
  return s < 60 ? `${s}s` : s < 3600 ? `${s / 60}m` : `${s / 3600}h`;
}

export function binLabel(b: Bin): string {
  return b.to === null ? `≥${short(b.from)}` : `${short(b.from)}–${short(b.to)}`;
}

/** One bar per UTC day from `days - 1` days before `today` to `today` (YYYY-MM-DD), zero where absent. */
export function dailyBars(counts: { day: string; submitted: number }[], today: string, days: number): Bar[] {
  const byDay = new Map(counts.map((c) => [c.day, c.submitted]));
  const end = Date.parse(`${today}T00:00:00Z`);
  const bars: Bar[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    const count = byDay.get(day) ?? 0;
    // a tick every 7 days, counted back from today, so the newest bar is always labelled
    bars.push({ label: i % 7 === 0 ? day.slice(5) : "", count, title: `${day}: ${count} submitted` });
  }
  return bars;
}

/** `width` is the drawing's own width: give a wide card a wide drawing so that its text keeps its size. */
export function BarChart({ bars, label, height = 140, width = 480 }: { bars: Bar[]; label: string; height?: number; width?: number }) {
  const pad = { top: 16, bottom: 22, left: 8, right: 8 };
  const max = Math.max(1, ...bars.map((b) => b.count));
  const slot = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const plot = height - pad.top - pad.bottom;
  const values = slot >= 22; // numbers above the bars only while they fit
  return (
    <svg className="histogram" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <line x1={pad.left} x2={width - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} className="axis" />
      {bars.map((b, i) => {
        const h = (plot * b.count) / max;
        const x = pad.left + i * slot + slot * 0.15;
        const y = height - pad.bottom - h;
        return (
          <g key={i}>
            <title>{b.title ?? `${b.label}: ${b.count}`}</title>
            <rect x={x} y={y} width={slot * 0.7} height={Math.max(h, b.count ? 1 : 0)} rx={2} className="bar" />
            {values && b.count > 0 && (
              <text x={x + slot * 0.35} y={y - 4} textAnchor="middle" className="value">
                {b.count}
              </text>
            )}
            {b.label && (
              <text x={x + slot * 0.35} y={height - 6} textAnchor="middle" className="tick">
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function Histogram({ bins, height = 140 }: { bins: Bin[]; height?: number }) {
  if (bins.length === 0) return <p className="muted">No submitted tasks yet.</p>;
  const bars = bins.map((b) => ({ label: binLabel(b), count: b.count }));
  return <BarChart bars={bars} label="Label time histogram" height={height} />;
}
