import { useCallback, useMemo, useState } from "react";
import "./export/export.css";
import type { Project } from "../api";
import { api, must } from "../api";
import { toOntology } from "../labeling/loadTask";
import { Async, useLoad } from "../ui/states";
import { DatasetVersions } from "./export/DatasetVersions";
import { ExportForm } from "./export/ExportForm";

/**
 * The export page: format and filters (states, classes, labelers), split, media; the job's
 * progress and report; below, the project's dataset versions (every finished export).
 */
export function ExportTab({ project }: { project: Project }) {
  const path = { params: { path: { project_id: project.id } } };
  const [setup, reload] = useLoad(
    () => Promise.all([must(api.GET("/api/v1/formats")).then((f) => f.exporters ?? []), must(api.GET("/api/v1/projects/{project_id}/members", path))]),
    [project.id],
  );
  const classes = useMemo(() => toOntology(project.ontology as Record<string, unknown> | null).classes, [project.ontology]);
  const [generation, setGeneration] = useState(0);
  const exported = useCallback(() => setGeneration((g) => g + 1), []);
  return (
    <Async value={setup} retry={reload}>
      {([formats, members]) => (
        <>
          <ExportForm project={project} formats={formats} classes={classes} members={members} onDone={exported} />
          <DatasetVersions project={project} members={members} generation={generation} />
        </>
      )}
    </Async>
  );
}
