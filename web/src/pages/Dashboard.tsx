import type { Project, Schemas } from "../api";
import { api, must } from "../api";
import { STATE_LABEL, STATE_ORDER } from "../ui/Layout";
import { Async, Empty, useLoad } from "../ui/states";
import { atLeast } from "./Project";
import { BarChart, dailyBars, Histogram } from "./Histogram";

/** The days the throughput chart shows (the server sends the last 30). */
const THROUGHPUT_DAYS = 30;

export type ProjectStats = Schemas["ProjectStats"];

export function formatSeconds(s: number | null | undefined): string {
  if (s == null) return "—";
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function Dashboard({ project }: { project: Project }) {
  if (!atLeast(project.role, "reviewer")) {
    return (
      <section className="card">
        <h2>Your work</h2>
        <p>Press <b>Start labeling</b> to open the next task. Drafts save as you go; Ctrl+Enter submits.</p>
        <StateCounts counts={project.task_counts ?? {}} />
      </section>
    );
  }
  return <ManagerDashboard project={project} />;
}

function ManagerDashboard({ project }: { project: Project }) {
  const [stats, reload] = useLoad(
    () => must(api.GET("/api/v1/projects/{project_id}/stats", { params: { path: { project_id: project.id } } })),
    [project.id],
  );
  return (
    <Async value={stats} retry={reload}>
      {(s) =>
        s.tasks_total === 0 ? (
          <Empty title="No tasks yet">
            <p>Import images to create one task per image, then invite labelers under Members.</p>
          </Empty>
        ) : (
          <div className="dashboard">
            <section className="card">
              <h2>Tasks by state</h2>
              <StateCounts counts={s.tasks_by_state} />
            </section>
            <section className="card">
              <h2>Label time per submitted task</h2>
              <p className="muted small">
                {s.time_per_submitted_task.count} submitted · median {formatSeconds(s.time_per_submitted_task.median)} · p90 {formatSeconds(s.time_per_submitted_task.p90)}
              </p>
              <Histogram bins={s.time_per_submitted_task.histogram} />
            </section>
            <section className="card span2">
              <h2>Submitted per day</h2>
              <p className="muted small">
                Last {THROUGHPUT_DAYS} days (UTC) · {s.submitted_per_day.reduce((n, d) => n + d.submitted, 0)} submitted
              </p>
              <BarChart
                bars={dailyBars(s.submitted_per_day, new Date().toISOString().slice(0, 10), THROUGHPUT_DAYS)}
                label="Submitted tasks per day"
                height={120}
                width={960}
              />
            </section>
            <section className="card span2">
              <h2>Labelers</h2>
              <LabelerTable labelers={s.labelers} />
            </section>
          </div>
        )
      }
    </Async>
  );
}

function StateCounts({ counts }: { counts: Record<string, number> }) {
  return (
    <div className="state-counts">
      {STATE_ORDER.map((st) => (
        <div key={st} className="count" data-state={st}>
          <span className={`dot st-${st}`} />
          <span className="n">{counts[st] ?? 0}</span>
          <span className="muted">{STATE_LABEL[st]}</span>
        </div>
      ))}
    </div>
  );
}

function LabelerTable({ labelers }: { labelers: ProjectStats["labelers"] }) {
  if (labelers.length === 0) return <p className="muted">Nobody has opened a task yet.</p>;
  const most = Math.max(1, ...labelers.map((l) => l.submitted));
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Labeler</th>
          <th className="num">Tasks opened</th>
          <th className="wide">Submitted</th>
          <th className="num">Active time</th>
          <th className="num">Mean per task</th>
        </tr>
      </thead>
      <tbody>
        {labelers.map((l) => (
          <tr key={l.user_id}>
            <td>{l.username}</td>
            <td className="num">{l.assignments}</td>
            <td>
              <div className="inline-bar">
                <span style={{ width: `${(100 * l.submitted) / most}%` }} />
                <b>{l.submitted}</b>
              </div>
            </td>
            <td className="num">{formatSeconds(l.active_seconds)}</td>
            <td className="num">{formatSeconds(l.mean_seconds_per_submitted)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
