import { formatBytes, reportFacts, shortHash } from "./model";

type Json = Record<string, unknown>;

/** The finished export's report: file, dataset version, counts, breakdowns and the warnings (dropped shapes). */
export function ExportReport({ result }: { result: unknown }) {
  const r = (result && typeof result === "object" ? result : {}) as Json;
  const { counts, breakdowns, warnings } = reportFacts(r.report);
  const sha = typeof r.sha256 === "string" ? r.sha256 : "";
  return (
    <div className="export-report" aria-label="Export report">
      <p className="small">
        {typeof r.filename === "string" && <code>{r.filename}</code>}
        {typeof r.bytes === "number" && <span className="muted"> · {formatBytes(r.bytes)}</span>}
        {sha && (
          <span className="muted" title={sha}>
            {" "}
            · sha256 <code>{shortHash(sha)}</code>
          </span>
        )}
        {typeof r.dataset_version === "number" && <span className="muted"> · recorded as dataset version #{r.dataset_version}</span>}
      </p>
      <dl className="report-counts">
        {counts.map(([k, n]) => (
          <div key={k} className={(k === "dropped total" || k === "clipped") && n > 0 ? "warn" : ""}>
            <dt>{k}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {breakdowns.map(([k, entries]) => (
        <p key={k} className="small report-breakdown">
          <span className="muted">{k}:</span> {entries.map(([name, n]) => `${name} ${n}`).join(" · ")}
        </p>
      ))}
      {warnings.length > 0 && (
        <details className="report-warnings" open={warnings.length <= 5}>
          <summary>
            {warnings.length} warning{warnings.length === 1 ? "" : "s"}
            {warnings.length >= 50 ? " (the first 50)" : ""}
          </summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
