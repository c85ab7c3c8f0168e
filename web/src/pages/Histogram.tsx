/**
 * A bar chart in plain SVG. The dashboard draws two small bar charts with at most a dozen
 * bins; a charting library would add 100+ kB for that, and SVG keeps it crisp and themeable.
 */
export interface Bin {
  from: number;
  to: number | null;
  count: number;
}

function short(s: number): string {
  return s < 60 ? `${s}s` : s < 3600 ? `${s / 60}m` : `${s / 3600}h`;
}

export function binLabel(b: Bin): string {
  return b.to === null ? `≥${short(b.from)}` : `${short(b.from)}–${short(b.to)}`;
}

export function Histogram({ bins, height = 140 }: { bins: Bin[]; height?: number }) {
  if (bins.length === 0) return <p className="muted">No submitted tasks yet.</p>;
  const width = 480;
  const pad = { top: 16, bottom: 22, left: 8, right: 8 };
  const max = Math.max(1, ...bins.map((b) => b.count));
  const slot = (width - pad.left - pad.right) / bins.length;
  const plot = height - pad.top - pad.bottom;
  return (
    <svg className="histogram" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Label time histogram">
      <line x1={pad.left} x2={width - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} className="axis" />
      {bins.map((b, i) => {
        const h = (plot * b.count) / max;
        const x = pad.left + i * slot + slot * 0.15;
        const y = height - pad.bottom - h;
        return (
          <g key={i}>
            <title>{`${binLabel(b)}: ${b.count}`}</title>
            <rect x={x} y={y} width={slot * 0.7} height={Math.max(h, b.count ? 1 : 0)} rx={2} className="bar" />
            {b.count > 0 && (
              <text x={x + slot * 0.35} y={y - 4} textAnchor="middle" className="value">
                {b.count}
              </text>
            )}
            <text x={x + slot * 0.35} y={height - 6} textAnchor="middle" className="tick">
              {binLabel(b)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
