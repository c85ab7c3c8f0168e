import type { OntologyClass } from "../../schema";
import type { ImportResult, Mapping } from "./model";
import { CREATE_TOOLS, mappingRows, targetText } from "./model";

/** Each label of the file with its object count and class; unknown labels get a choice: an existing class, create, or drop. */
export function MappingTable(props: { preview: ImportResult; classes: OntologyClass[]; mapping: Mapping; onChange: (m: Mapping) => void; disabled: boolean }) {
  const { preview, classes, mapping, onChange, disabled } = props;
  const rows = mappingRows(preview, mapping);
  const className = (id: string) => classes.find((c) => c.id === id)?.name;
  if (rows.length === 0) return <p className="muted small">The file holds no labelled objects.</p>;
  return (
    <table className="table dense mapping" aria-label="Label mapping">
      <thead>
        <tr>
          <th>Label in the file</th>
          <th className="num">Objects</th>
          <th>Goes to</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} className={r.choose && !mapping[r.label] ? "unknown" : ""}>
            <td>
              <code>{r.label}</code>
              {r.target === "?" && !mapping[r.label] && <span className="small"> · not a class of this project</span>}
            </td>
            <td className="num">{r.objects}</td>
            <td>
              {r.choose ? (
                <select aria-label={`Map ${r.label}`} value={mapping[r.label] ?? ""} disabled={disabled} onChange={(e) => onChange({ ...mapping, [r.label]: e.target.value })}>
                  <option value="">Choose…</option>
                  <optgroup label="Existing class">
                    {classes.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name === c.id ? c.id : `${c.name} (${c.id})`}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label="New class">
                    <option value="create">Create “{r.label}” (drawn like its shapes)</option>
                    {CREATE_TOOLS.map(([tool, name]) => (
                      <option key={tool} value={`create:${tool}`}>
                        Create “{r.label}” as {name}
                      </option>
                    ))}
                  </optgroup>
                  <option value="drop">Drop these objects</option>
                </select>
              ) : (
                <span className={r.target === "drop" ? "muted" : ""}>{targetText(r.target, className)}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
