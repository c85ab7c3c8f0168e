import type { Member, Project } from "../../api";
import { api, API_BASE, must } from "../../api";
import { STATE_LABEL } from "../../ui/Layout";
import { Async, useLoad } from "../../ui/states";
import { countsSummary, filterSummary, formatBytes, shortHash } from "./model";

const stateLabel = (s: string) => (STATE_LABEL as Record<string, string>)[s] ?? s;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** Every finished export of the project (newest first), with its filter and hash, downloadable again. */
export function DatasetVersions({ project, members, generation }: { project: Project; members: Member[]; generation: number }) {
  const [versions, reload] = useLoad(
    () => must(api.GET("/api/v1/projects/{project_id}/dataset-versions", { params: { path: { project_id: project.id } } })),
    [project.id, generation],
  );
  const who = (id: number | null) => {
    if (id === null) return "—";
    const m = members.find((x) => x.user_id === id);
    return m ? m.username : `user #${id}`;
  };
  return (
    <section className="card dataset-versions">
      <h2>Dataset versions</h2>
      <Async value={versions} retry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted small">No exports yet. Each finished export is recorded here with its filter and content hash.</p>
          ) : (
            <table className="table dense" aria-label="Dataset versions">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Time</th>
                  <th>Format</th>
                  <th>Filter</th>
                  <th>Contents</th>
                  <th>SHA-256</th>
                  <th>By</th>
                  <th>Download again</th>
                </tr>
              </thead>
              <tbody>
                {list.map((v) => (
                  <tr key={v.id} data-version={v.id}>
                    <td className="num">{v.id}</td>
                    <td className="nowrap">{when(v.created_at)}</td>
                    <td>
                      <code>{v.format}</code>
                    </td>
                    <td className="filter">{filterSummary(v.filter, stateLabel)}</td>
                    <td className="nowrap">{countsSummary(v.report)}</td>
                    <td>
                      <code title={v.content_sha256}>{shortHash(v.content_sha256)}</code>
                    </td>
                    <td>{who(v.created_by)}</td>
                    <td className="nowrap">
                      <a href={`${API_BASE}/dataset-versions/${v.id}/download`} download title={`Download version ${v.id} again (the same bytes)`}>
                        {v.filename}
                      </a>{" "}
                      <span className="muted small">{formatBytes(v.size_bytes)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
    </section>
  );
}
