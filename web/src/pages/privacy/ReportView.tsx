import { Fragment, useState } from "react";
import { api, must } from "../../api";
import { Link } from "../../ui/router";
import { Async, useLoad } from "../../ui/states";
import type { DeidReport, StatusFilter } from "./model";
import { filterRows, parseReport, quarantineSplit, reasonText, reportFilename, reportUrl, statusCounts, summaryFacts } from "./model";
import "./privacy.css";

export const loadReport = (reportId: string) => must(api.GET("/api/v1/deid-reports/{report_id}", { params: { path: { report_id: reportId } } })).then(parseReport);

export const reportRoute = (projectId: number, reportId: string) => `/projects/${projectId}/deid-reports/${encodeURIComponent(reportId)}`;

/** Same-origin link to the report JSON; the `download` attribute saves it instead of opening it. */
export function DownloadReport({ reportId }: { reportId: string }) {
  return (
    <a className="button-link" href={reportUrl(reportId)} download={reportFilename(reportId)}>
      Download JSON
    </a>
  );
}

function Facts({ report }: { report: DeidReport }) {
  const s = report.summary;
  return (
    <dl className="report-counts">
      {summaryFacts(s).map(([k, n]) => (
        <div key={k} className={(k === "quarantined" || k === "rejected") && n > 0 ? "warn" : ""}>
          <dt>{k}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

function Profile({ report }: { report: DeidReport }) {
  const s = report.summary;
  return (
    <p className="small muted deid-profile">
      {s.deidentified ? s.profile || "de-identified" : <b className="bad">stored without de-identification (turned off by an admin)</b>}
      {s.dates && <> · dates {s.dates}</>}
    </p>
  );
}

function QuarantineNote({ projectId, report }: { projectId: number; report: DeidReport }) {
  const { held, notStored } = quarantineSplit(report);
  return (
    <>
      {held > 0 && (
        <p className="small">
          {held === 1 ? "1 file is" : `${held} files are`} held for a manager's decision and not shown to labelers until released under{" "}
          <Link to={`/projects/${projectId}/import?what=quarantine`}>Import → Quarantine</Link>.
        </p>
      )}
      {notStored > 0 && (
        <p className="small bad">
          {notStored === 1 ? "1 file was" : `${notStored} files were`} not stored: identifying values survived de-identification (see the report for the elements).
        </p>
      )}
    </>
  );
}

/** The compact summary an import shows when it names a de-identification report. */
export function DeidSummary({ projectId, reportId }: { projectId: number; reportId: string }) {
  const [report, reload] = useLoad(() => loadReport(reportId), [reportId]);
  return (
    <div className="card deid-summary" aria-label="De-identification report">
      <div className="deid-head">
        <strong>De-identification</strong>
        <span className="spacer" />
        <Link to={reportRoute(projectId, reportId)} className="button-link">
          View report
        </Link>
        <DownloadReport reportId={reportId} />
      </div>
      <Async value={report} retry={reload}>
        {(r) => (
          <>
            <Facts report={r} />
            <Profile report={r} />
            <QuarantineNote projectId={projectId} report={r} />
          </>
        )}
      </Async>
    </div>
  );
}

const FILTERS: { id: StatusFilter; label: string }[] = [
  { id: "all", label: "All" },
  { id: "ok", label: "OK" },
  { id: "quarantined", label: "Quarantined" },
  { id: "rejected", label: "Rejected" },
];

/** The full report: summary, warnings, and the per-file table filterable by status. */
export function ReportViewer({ projectId, reportId }: { projectId: number; reportId: string }) {
  const [report, reload] = useLoad(() => loadReport(reportId), [reportId]);
  return (
    <section className="deid-report">
      <div className="deid-head">
        <Link to={`/projects/${projectId}/import`}>← Import</Link>
        <h2>De-identification report</h2>
        <code className="muted small">{reportId}</code>
        <span className="spacer" />
        <DownloadReport reportId={reportId} />
      </div>
      <Async value={report} retry={reload}>
        {(r) => <ReportBody report={r} />}
      </Async>
    </section>
  );
}

function ReportBody({ report }: { report: DeidReport }) {
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [open, setOpen] = useState<number | null>(null);
  const counts = statusCounts(report.rows);
  const rows = filterRows(report.rows, filter);
  return (
    <>
      <div className="card">
        <Facts report={report} />
        <Profile report={report} />
        {report.summary.warnings.length > 0 && (
          <details className="report-warnings">
            <summary>{report.summary.warnings.length} warnings</summary>
            <ul>
              {report.summary.warnings.map((w, n) => (
                <li key={n}>{w}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <div className="subtabs" role="tablist" aria-label="Filter by status">
        {FILTERS.map((f) => (
          <button key={f.id} role="tab" aria-selected={filter === f.id} onClick={() => setFilter(f.id)}>
            {f.label} ({counts[f.id]})
          </button>
        ))}
      </div>
      <table className="table dense deid-files" aria-label="Files">
        <thead>
          <tr>
            <th>File (as stored)</th>
            <th>Status</th>
            <th>Reason</th>
            <th className="num">Removed</th>
            <th className="num">Replaced</th>
            <th className="num">Kept</th>
            <th>Verification</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No files with this status.
              </td>
            </tr>
          )}
          {rows.map((f) => (
            <Fragment key={f.index}>
              <tr data-status={f.status}>
                <td>
                  <code>{f.file}</code>
                </td>
                <td>
                  <span className={`deid-status ds-${f.status}`}>{f.status === "stored_without_deidentification" ? "stored as is" : f.status}</span>
                </td>
                <td className="small">{f.reason ? reasonText(f.reason) : <span className="muted">—</span>}</td>
                <td className="num">{f.removed}</td>
                <td className="num">{f.replaced}</td>
                <td className="num">{f.kept}</td>
                <td className="small">
                  {f.verified === null ? (
                    <span className="muted">not run</span>
                  ) : f.verified ? (
                    <span className="ok">passed</span>
                  ) : (
                    <span className="bad">failed: {f.failedElements.join(", ") || "?"}</span>
                  )}
                  {f.verified !== null && <span className="muted"> ({f.valuesChecked} values checked)</span>}
                </td>
                <td>
                  {f.lists.length > 0 && (
                    <button className="link" aria-expanded={open === f.index} onClick={() => setOpen(open === f.index ? null : f.index)}>
                      {open === f.index ? "Hide" : "Attributes"}
                    </button>
                  )}
                </td>
              </tr>
              {open === f.index && (
                <tr className="deid-detail">
                  <td colSpan={8}>
                    <dl>
                      {f.lists.map(([label, names]) => (
                        <div key={label}>
                          <dt>
                            {label} ({names.length})
                          </dt>
                          <dd>{names.join(", ")}</dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      <p className="small muted">The report names attributes, never their values. Removed counts private attributes too; replaced covers emptied, dummy, cleaned, new UIDs and shifted dates.</p>
    </>
  );
}
