import type { ReactNode } from "react";
import { useEditorChannels } from "../app/useEditorTick";
import type { Editor } from "../editor";
import { Link } from "../ui/router";
import { formatClock } from "./activeTime";
import type { SyncStatus } from "./draftSync";

const SYNC_TEXT: Record<SyncStatus, string> = {
  saved: "Saved",
  pending: "Saving…",
  saving: "Saving…",
  offline: "Offline — changes kept",
  error: "Not saved",
};

export function SyncBadge({ status, error }: { status: SyncStatus | null; error: string | null }) {
  if (status === null) return null;
  return (
    <span className={`sync sync-${status}`} data-testid="sync-status" title={error ?? SYNC_TEXT[status]} role="status">
      <span className="dot" />
      {SYNC_TEXT[status]}
    </span>
  );
}

interface Props {
  editor: Editor;
  projectId: number;
  title: ReactNode;
  position: string;
  seconds: number;
  idle: boolean;
  sync: SyncStatus | null;
  syncError: string | null;
  /** View buttons shown before undo/redo (adjustments, theme, shortcuts). */
  tools?: ReactNode;
  children: ReactNode;
}

/** Editor top bar: where you are, timer, save state, undo/redo, then the page's actions. */
export function TopBar({ editor, projectId, title, position, seconds, idle, sync, syncError, tools, children }: Props) {
  useEditorChannels(editor, ["document"]);
  const history = editor.document.history;
  return (
    <header className="topbar">
      <Link to={`/projects/${projectId}`} className="back" title="Back to the project">
        ‹
      </Link>
      <span className="title">{title}</span>
      <span className="muted position" title="This task among all of the project's tasks" data-testid="task-position">
        {position}
      </span>
      <span className={idle ? "timer idle" : "timer"} title={idle ? "Paused: no input for a minute" : "Active time on this task"}>
        {formatClock(seconds)}
        {idle && " · paused"}
      </span>
      <SyncBadge status={sync} error={syncError} />
      <span className="spacer" />
      {tools}
      <span className="sep" />
      <button disabled={!history.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" onClick={() => (editor.undo(), editor.notify())}>
        ↶
      </button>
      <button disabled={!history.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" onClick={() => (editor.redo(), editor.notify())}>
        ↷
      </button>
      {children}
    </header>
  );
}
