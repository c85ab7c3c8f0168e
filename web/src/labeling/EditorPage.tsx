import { Link } from "../ui/router";
import { ErrorState, Loading, useLoad } from "../ui/states";
import type { EditorMode } from "./loadTask";
import { loadTask } from "./loadTask";
import { Workbench } from "./Workbench";
import { VolumeWorkbench } from "../viewers/volume";
import { TextWorkbench } from "../viewers/text";

/** /tasks/:id (labeling) and /tasks/:id/review: loads everything, then hands over to the workbench. */
export function EditorPage({ taskId, mode }: { taskId: number; mode: EditorMode }) {
  const [loaded, reload] = useLoad(() => loadTask(taskId, mode), [taskId, mode]);
  if (loaded.state === "loading")
    return (
      <div className="editor-loading">
        <Loading label={`Opening task ${taskId}…`} />
      </div>
    );
  if (loaded.state === "error")
    return (
      <div className="editor-loading">
        <ErrorState error={loaded.error} retry={reload} />
        <Link to="/">Back to projects</Link>
      </div>
    );
  if (loaded.data.detail.asset.kind === "volume") return <VolumeWorkbench task={loaded.data} mode={mode} />;
  if (loaded.data.detail.asset.kind === "text") return <TextWorkbench task={loaded.data} mode={mode} />;
  return <Workbench task={loaded.data} mode={mode} />;
}
