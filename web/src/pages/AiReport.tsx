import type { Project } from "../api";
import { api, must } from "../api";
import { Async, useLoad } from "../ui/states";
import { formatSeconds } from "./Dashboard";
import { BarChart } from "./Histogram";
import type { Bar } from "./Histogram";
import "../labeling/assist.css";

/** One row of the breakdown (the whole project, a model version or a labeler), as the server sends it. */
export interface Breakdown {
  suggestions: number;
  unchanged: number;
  location_changed: number;
  class_changed: number;
  class_and_location_changed: number;
  deleted: number;
  new: number;
  edited_untracked: number;
  unchanged_rate: number | null;
}

export interface TimeDistribution {
  tasks: number;
  median_seconds: number | null;
  p25_seconds: number | null;
  p75_seconds: number | null;
  mean_seconds?: number | null;
  histogram: { from_seconds: number; to_seconds: number; tasks: number }[];
}

/** What became of the suggestions, in the order the bar stacks them (green = kept … red = deleted). */
export const OUTCOMES: { key: keyof Breakdown; label: string; what: string; color: string; tone: string }[] = [
  { key: "unchanged", label: "Kept", what: "accepted as they were", color: "#3fb950", tone: "good" },
  { key: "location_changed", label: "Moved", what: "outline corrected", color: "#58a6ff", tone: "" },
  { key: "class_changed", label: "Re-classed", what: "class corrected", color: "#d29922", tone: "warn" },
  { key: "class_and_location_changed", label: "Re-classed and moved", what: "class and outline corrected", color: "#db6d28", tone: "warn" },
  { key: "deleted", label: "Deleted", what: "dropped by the labeler", color: "#f85149", tone: "bad" },
];

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function toBreakdown(raw: Record<string, unknown> | undefined): Breakdown {
  const r = raw ?? {};
  return {
    suggestions: num(r.suggestions),
    unchanged: num(r.unchanged),
    location_changed: num(r.location_changed),
    class_changed: num(r.class_changed),
    class_and_location_changed: num(r.class_and_location_changed),
    deleted: num(r.deleted),
    new: num(r.new),
    edited_untracked: num(r.edited_untracked),
    unchanged_rate: typeof r.unchanged_rate === "number" ? r.unchanged_rate : null,
  };
}

export const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)} %` : "—");

/** "2.5 min" for the per-asset times (they are usually minutes; seconds under one). */
export function minutes(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  return seconds < 60 ? formatSeconds(seconds) : `${(seconds / 60).toFixed(1)} min`;
}

/** How much faster the median asset was with suggestions, as a sentence (null without both medians). */
export function savingText(withAi: TimeDistribution, without: TimeDistribution): string | null {
  const a = withAi.median_seconds;
  const b = without.median_seconds;
  if (a == null || b == null || b <= 0) return null;
  const change = (b - a) / b;
  if (Math.abs(change) < 0.01) return "Assets with suggestions take about as long as those without.";
  return change > 0
    ? `The median asset with suggestions took ${Math.round(change * 100)} % less time (${minutes(b - a)} saved per asset).`
    : `The median asset with suggestions took ${Math.round(-change * 100)} % longer.`;
}

/** Bin edges as the chart labels them: whole seconds, or tenths under ten seconds, or whole minutes from ten minutes. */
export const edge = (s: number): number => (s >= 600 ? Math.round(s / 60) * 60 : s >= 10 ? Math.round(s) : Math.round(s * 10) / 10);

/** A bin edge as a short tick label: "0.4s", "12s", "3.5m", "2h". */
export function edgeLabel(s: number): string {
  if (s < 60) return `${edge(s)}s`;
  if (s < 3600) return `${+(s / 60).toFixed(s < 600 ? 1 : 0)}m`;
  return `${+(s / 3600).toFixed(1)}h`;
}

/** Histogram bins as bars: each labelled by where it starts (every other one when there are many), the range in the tooltip. */
export function timeBars(bins: TimeDistribution["histogram"]): Bar[] {
  const every = bins.length > 8 ? 2 : 1;
  return bins.map((b, i) => ({
    label: i % every === 0 ? edgeLabel(b.from_seconds) : "",
    count: b.tasks,
    title: `${edgeLabel(b.from_seconds)} – ${edgeLabel(b.to_seconds)}: ${b.tasks} task${b.tasks === 1 ? "" : "s"}`,
  }));
}

function toDistribution(raw: unknown): TimeDistribution {
  const r = (raw ?? {}) as Partial<TimeDistribution>;
  return {
    tasks: num(r.tasks),
    median_seconds: r.median_seconds ?? null,
    p25_seconds: r.p25_seconds ?? null,
    p75_seconds: r.p75_seconds ?? null,
    mean_seconds: r.mean_seconds ?? null,
    histogram: Array.isArray(r.histogram) ? r.histogram : [],
  };
}

/** The project's "AI report" tab (managers): what the model suggestions were worth. */
export function AiReport({ project }: { project: Project }) {
  const [report, reload] = useLoad(() => must(api.GET("/api/v1/projects/{project_id}/reports/ai", { params: { path: { project_id: project.id } } })), [project.id]);
  return (
    <Async value={report} retry={reload}>
      {(r) => {
        const total = toBreakdown(r.total as Record<string, unknown>);
        const times = (r.time_per_asset ?? {}) as Record<string, unknown>;
        const withAi = toDistribution(times.with_suggestions);
        const without = toDistribution(times.without_suggestions);
        const models = (r.by_model_version as Record<string, unknown>[]).map((m) => ({ name: String(m.model ?? "?"), b: toBreakdown(m) }));
        const labelers = (r.by_labeler as Record<string, unknown>[]).map((m) => ({ name: String(m.labeler ?? "?"), b: toBreakdown(m) }));
        const saving = savingText(withAi, without);
        return (
          <div className="ai-report" data-testid="ai-report">
            <section className="card">
              <h2>What the model suggestions became</h2>
              <p className="muted small">
                {r.tasks_compared} finished task{r.tasks_compared === 1 ? "" : "s"} compared, {r.tasks_with_suggestions} with suggestions · a location counts as unchanged at IoU ≥ {r.iou_threshold}
              </p>
              {total.suggestions === 0 ? (
                <p>
                  No model suggestions reached a finished task yet. Attach a model (Auto Detect in the editor, or pre-label the project) and this page fills in as tasks are submitted.
                </p>
              ) : (
                <>
                  <div className="kpis">
                    <div className="kpi" data-testid="kpi-suggestions">
                      <span className="n">{total.suggestions}</span>
                      <span className="what">suggestions</span>
                    </div>
                    {OUTCOMES.map((o) => (
                      <div key={o.key} className={`kpi ${o.tone}`} data-testid={`kpi-${o.key}`}>
                        <span className="n">{total[o.key]}</span>
                        <span className="pct">{percent(num(total[o.key]), total.suggestions)}</span>
                        <span className="what">
                          <b>{o.label}</b> · {o.what}
                        </span>
                      </div>
                    ))}
                  </div>
                  <div className="stack" role="img" aria-label={OUTCOMES.map((o) => `${o.label} ${total[o.key]}`).join(", ")}>
                    {OUTCOMES.map((o) => (
                      <span key={o.key} title={`${o.label}: ${total[o.key]} (${percent(num(total[o.key]), total.suggestions)})`} style={{ width: `${(100 * num(total[o.key])) / total.suggestions}%`, background: o.color }} />
                    ))}
                  </div>
                  <div className="legend">
                    {OUTCOMES.map((o) => (
                      <span key={o.key}>
                        <i style={{ background: o.color }} />
                        {o.label}
                      </span>
                    ))}
                  </div>
                </>
              )}
              <p className="muted small">
                Besides: {total.new} object{total.new === 1 ? "" : "s"} drawn by labelers with no suggestion{total.edited_untracked > 0 ? ` · ${total.edited_untracked} derived from suggestions this server never served` : ""}.
              </p>
            </section>
            <section className="card">
              <h2>Labeling time per asset</h2>
              <div className="times">
                {(
                  [
                    ["with AI suggestions", withAi, "with"],
                    ["without suggestions", without, "without"],
                  ] as const
                ).map(([title, d, id]) => (
                  <div key={id} data-testid={`time-${id}`}>
                    <div className="time-head">
                      <span className="n">{minutes(d.median_seconds)}</span>
                      <span className="muted">median · {title}</span>
                    </div>
                    <p className="muted small">
                      {d.tasks} task{d.tasks === 1 ? "" : "s"}
                      {d.tasks > 0 && ` · middle half ${minutes(d.p25_seconds)} – ${minutes(d.p75_seconds)}`}
                    </p>
                    {d.histogram.length > 0 ? <BarChart bars={timeBars(d.histogram)} label={`Labeling time per asset, ${title}`} height={120} /> : <p className="muted small">No finished tasks.</p>}
                  </div>
                ))}
              </div>
              {saving && <p className="saving">{saving}</p>}
            </section>
            {models.length > 0 && <BreakdownTable title="By model version" first="Model" rows={models} />}
            {labelers.length > 0 && <BreakdownTable title="By labeler" first="Labeler" rows={labelers} />}
          </div>
        );
      }}
    </Async>
  );
}

function BreakdownTable({ title, first, rows }: { title: string; first: string; rows: { name: string; b: Breakdown }[] }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <table>
        <thead>
          <tr>
            <th>{first}</th>
            <th>Suggestions</th>
            {OUTCOMES.map((o) => (
              <th key={o.key}>{o.label}</th>
            ))}
            <th>New</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, b }) => (
            <tr key={name}>
              <td>{name}</td>
              <td>{b.suggestions}</td>
              {OUTCOMES.map((o) => (
                <td key={o.key}>
                  {b[o.key]} <span className="muted small">{percent(num(b[o.key]), b.suggestions)}</span>
                </td>
              ))}
              <td>{b.new}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
