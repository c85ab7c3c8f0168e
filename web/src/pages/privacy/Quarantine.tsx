import { useState } from "react";
import type { Asset, Project } from "../../api";
import { api, must } from "../../api";
import { Dialog } from "../../labeling/Dialog";
import { Link } from "../../ui/router";
import { Async, Empty, useLoad } from "../../ui/states";
import type { DeidReport } from "./model";
import { reasonText, rowForAsset } from "./model";
import { loadReport, reportRoute } from "./ReportView";
import "./privacy.css";

export interface Held {
  asset: Asset;
  reportId: string | null;
  reason: string;
}

export const loadQuarantine = (projectId: number) =>
  must(api.GET("/api/v1/projects/{project_id}/quarantine", { params: { path: { project_id: projectId }, query: { limit: 500 } } }));

/** The quarantined assets with the reason their import's report gives (one report fetch per import). */
async function loadHeld(projectId: number): Promise<Held[]> {
  const assets = await loadQuarantine(projectId);
  const reports = new Map<string, Promise<DeidReport | null>>();
  return Promise.all(
    assets.map(async (asset): Promise<Held> => {
      const raw = await must(api.GET("/api/v1/assets/{asset_id}/deid-report", { params: { path: { asset_id: asset.id } } })).catch(() => null);
      const id = raw && typeof raw.id === "string" ? raw.id : null;
      if (!id) return { asset, reportId: null, reason: "" };
      if (!reports.has(id)) reports.set(id, loadReport(id).catch(() => null));
      const report = await reports.get(id);
      const row = report ? rowForAsset(report, asset.filename) : undefined;
      return { asset, reportId: id, reason: row?.reason ?? "" };
    }),
  );
}

function Thumb({ asset }: { asset: Asset }) {
  const [failed, setFailed] = useState(false);
  const src = asset.has_thumbnail ? `/api/v1/assets/${asset.id}/thumbnail` : asset.kind === "image" || asset.kind === "multipage_image" ? `/api/v1/assets/${asset.id}/pages/0.png` : null;
  if (!src || failed) return <span className="thumb none">no preview</span>;
  return <img className="thumb" src={src} alt={`Preview of ${asset.filename}`} onError={() => setFailed(true)} />;
}

/** Import → Quarantine: files held for a manager's decision (suspected burned-in annotation); release or delete with a note. */
export function QuarantineTab({ project, onDecided }: { project: Project; onDecided: () => void }) {
  const [held, reload] = useLoad(() => loadHeld(project.id), [project.id]);
  const [asking, setAsking] = useState<{ held: Held; decision: "release" | "delete" } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const decide = (h: Held, decision: "release" | "delete", note: string) => {
    setAsking(null);
    must(api.POST("/api/v1/assets/{asset_id}/quarantine-decision", { params: { path: { asset_id: h.asset.id } }, body: { decision, note } })).then(
      (r) => {
        setMessage({ ok: true, text: decision === "release" ? `Released ${h.asset.filename}${r.task_id ? ` (task #${r.task_id})` : ""}: labelers can now see it.` : `Deleted ${h.asset.filename}.` });
        reload();
        onDecided();
      },
      (e: unknown) => {
        setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
        reload();
      },
    );
  };

  return (
    <section className="quarantine-list" aria-label="Quarantine">
      <p className="small muted quarantine-intro">
        Files suspected of burned-in patient data in their pixels (BurnedInAnnotation = YES, or ultrasound, secondary capture and similar modalities) are stored de-identified but held here: labelers do not see them and
        they have no task. Look at each file, then release it (it becomes a normal asset with a task) or delete it.
      </p>
      {message && (
        <p role="status" className={message.ok ? "ok" : "form-error"}>
          {message.text}
        </p>
      )}
      <Async value={held} retry={reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="Nothing in quarantine">Files held by de-identification on upload appear here for a manager's decision.</Empty>
          ) : (
            <table className="table" aria-label="Quarantined files">
              <thead>
                <tr>
                  <th />
                  <th>File</th>
                  <th>Kind</th>
                  <th>Reason</th>
                  <th>Imported</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((h) => (
                  <tr key={h.asset.id} data-asset={h.asset.id}>
                    <td>
                      <Thumb asset={h.asset} />
                    </td>
                    <td>
                      <code>{h.asset.filename}</code>
                      <div className="small muted">asset #{h.asset.id}</div>
                    </td>
                    <td>
                      {h.asset.kind}
                      {h.asset.pages > 1 && <span className="muted"> · {h.asset.pages} frames</span>}
                    </td>
                    <td className="small">{h.reason ? reasonText(h.reason) : <span className="muted">held for review</span>}</td>
                    <td className="small muted">{new Date(h.asset.created_at).toLocaleString()}</td>
                    <td>
                      <div className="actions">
                        {h.reportId && (
                          <Link to={reportRoute(project.id, h.reportId)} className="button-link">
                            View report
                          </Link>
                        )}
                        <button onClick={() => setAsking({ held: h, decision: "release" })}>Release…</button>
                        <button className="danger" onClick={() => setAsking({ held: h, decision: "delete" })}>
                          Delete…
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
      {asking && (
        <Dialog
          title={asking.decision === "release" ? `Release ${asking.held.asset.filename}?` : `Delete ${asking.held.asset.filename}?`}
          label={
            asking.decision === "release"
              ? "Release makes this file visible to labelers: it gets a task and a thumbnail. Only release it if its pixels carry no patient data. Note (required, kept in the audit log; no patient data)"
              : "Delete removes the file and its stored copy for good. Note (required, kept in the audit log; no patient data)"
          }
          placeholder={asking.decision === "release" ? "e.g. checked all frames, no burned-in text" : "e.g. patient name burned into the image"}
          confirm={asking.decision === "release" ? "Release to labelers" : "Delete file"}
          danger={asking.decision === "delete"}
          onConfirm={(note) => decide(asking.held, asking.decision, note)}
          onCancel={() => setAsking(null)}
        />
      )}
    </section>
  );
}
