import { useState } from "react";
import type { Project, Role } from "../api";
import { api, ApiError, call, must } from "../api";
import { Layout, ProgressBar } from "../ui/Layout";
import { Link, navigate } from "../ui/router";
import { Async, ErrorState, useLoad } from "../ui/states";
import { AiReport } from "./AiReport";
import { Dashboard } from "./Dashboard";
import { ExportTab } from "./Export";
import { ImportTab } from "./Import";
import { MembersTab } from "./Members";
import { SettingsTab } from "./Settings";
import { ReportViewer } from "./privacy/ReportView";
import { loadQuarantine } from "./privacy/Quarantine";

const RANK: Record<Role, number> = { labeler: 0, reviewer: 1, manager: 2 };
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];

const TABS: { id: string; label: string; min: Role }[] = [
  { id: "overview", label: "Overview", min: "labeler" },
  { id: "import", label: "Import", min: "manager" },
  { id: "export", label: "Export", min: "manager" },
  { id: "members", label: "Members", min: "manager" },
  { id: "ai", label: "AI report", min: "manager" },
  { id: "settings", label: "Settings", min: "manager" },
];

/** `reportId`: the de-identification report viewer (/projects/:id/deid-reports/:reportId), under the Import tab. */
export function ProjectPage({ projectId, tab, reportId }: { projectId: number; tab: string; reportId?: string }) {
  const [project, reload] = useLoad(() => must(api.GET("/api/v1/projects/{project_id}", { params: { path: { project_id: projectId } } })), [projectId]);
  return (
    <Layout
      crumbs={
        <>
          <Link to="/">Projects</Link>
          <span className="sep">/</span>
          <span>{project.state === "ready" ? project.data.name : "…"}</span>
        </>
      }
    >
      <Async value={project} retry={reload}>
        {(p) => <ProjectBody project={p} tab={tab} reload={reload} reportId={reportId} />}
      </Async>
    </Layout>
  );
}

function ProjectBody({ project, tab, reload, reportId }: { project: Project; tab: string; reload: () => void; reportId?: string | undefined }) {
  const visible = TABS.filter((t) => atLeast(project.role, t.min));
  const current = TABS.find((t) => t.id === tab);
  const allowed = current && atLeast(project.role, current.min);
  const manager = atLeast(project.role, "manager");
  // Files held by de-identification wait for a manager: a count on the Import tab says so.
  const [held] = useLoad(() => (manager ? loadQuarantine(project.id).then((l) => l.length) : Promise.resolve(0)), [project.id, manager, project.task_counts]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{project.name}</h1>
          <ProgressBar counts={project.task_counts ?? {}} />
        </div>
        <span className="spacer" />
        <QueueButtons project={project} />
      </div>
      <nav className="tabs" aria-label="Project">
        {visible.map((t) => (
          <Link key={t.id} to={`/projects/${project.id}${t.id === "overview" ? "" : `/${t.id}`}`} className={t.id === tab ? "tab active" : "tab"}>
            {t.label}
            {t.id === "import" && held.state === "ready" && held.data > 0 && (
              <span className="count-badge" title="Files in quarantine, waiting for a manager's decision" aria-label={`${held.data} in quarantine`}>
                {held.data}
              </span>
            )}
          </Link>
        ))}
      </nav>
      {!current ? (
        <ErrorState error={new ApiError(404, `This project has no "${tab}" page.`)} />
      ) : !allowed ? (
        <ErrorState error={new ApiError(403, `Only the project's managers can open ${current.label.toLowerCase()}. Your role here is ${project.role}.`)} />
      ) : reportId ? (
        <ReportViewer projectId={project.id} reportId={reportId} />
      ) : tab === "import" ? (
        <ImportTab project={project} onImported={reload} />
      ) : tab === "export" ? (
        <ExportTab project={project} />
      ) : tab === "ai" ? (
        <AiReport project={project} />
      ) : tab === "members" ? (
        <MembersTab project={project} />
      ) : tab === "settings" ? (
        <SettingsTab project={project} onSaved={reload} />
      ) : (
        <Dashboard project={project} />
      )}
    </>
  );
}

/** "Start labeling" leases the next task and opens the editor; reviewers also get "Start reviewing". */
function QueueButtons({ project }: { project: Project }) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = (kind: "label" | "review") => {
    setBusy(true);
    setMessage(null);
    const path = { params: { path: { project_id: project.id } } };
    const pending = kind === "label" ? api.POST("/api/v1/projects/{project_id}/next-task", path) : api.POST("/api/v1/projects/{project_id}/review/next", path);
    call(pending).then(
      (detail) => {
        setBusy(false);
        if (detail) navigate(kind === "label" ? `/tasks/${detail.task.id}` : `/tasks/${detail.task.id}/review`);
        else setMessage(kind === "label" ? "Nothing left to label — every task is taken or done." : "Nothing waiting for review.");
      },
      (err: unknown) => {
        setBusy(false);
        setMessage(err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <div className="queue-buttons">
      {message && (
        <span className="muted" role="status">
          {message}
        </span>
      )}
      {atLeast(project.role, "reviewer") && (
        <button disabled={busy} onClick={() => start("review")}>
          Start reviewing
        </button>
      )}
      <button className="primary" disabled={busy} onClick={() => start("label")}>
        Start labeling
      </button>
    </div>
  );
}
