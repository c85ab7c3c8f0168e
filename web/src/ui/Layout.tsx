import type { ReactNode } from "react";
import { Link } from "./router";
import { useSession } from "./session";

/** Management pages: a light top bar with the product, the main links and the account. */
export function Layout({ children, crumbs }: { children: ReactNode; crumbs?: ReactNode }) {
  const { user, signOut } = useSession();
  return (
    <div className="mgmt">
      <header className="mgmt-bar">
        <Link to="/" className="brand">
          <span className="logo">◧</span> labelhub
        </Link>
        <nav className="crumbs">{crumbs}</nav>
        <span className="spacer" />
        <Link to="/tokens">API tokens</Link>
        <span className="who" title={user.is_admin ? "Administrator" : "User"}>
          {user.display_name || user.username}
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}

export const STATE_ORDER = ["accepted", "submitted", "in_review", "in_progress", "rejected", "skipped", "queued"] as const;
export const STATE_LABEL: Record<string, string> = {
  accepted: "Accepted",
  submitted: "Submitted",
  in_review: "In review",
  in_progress: "In progress",
  rejected: "Rejected",
  skipped: "Skipped",
  queued: "Queued",
};

/** A stacked bar of task counts by state, with a legend in the tooltip. */
export function ProgressBar({ counts }: { counts: Record<string, number> }) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const done = (counts.accepted ?? 0) + (counts.submitted ?? 0) + (counts.in_review ?? 0);
  const title = STATE_ORDER.filter((s) => counts[s]).map((s) => `${STATE_LABEL[s]}: ${counts[s]}`).join(" · ") || "No tasks yet";
  return (
    <div className="progress" title={title} role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="progress-track">
        {total > 0 && STATE_ORDER.map((s) => (counts[s] ? <span key={s} className={`seg st-${s}`} style={{ width: `${(100 * (counts[s] ?? 0)) / total}%` }} /> : null))}
      </div>
      <span className="progress-label">{total === 0 ? "no tasks" : `${done} / ${total}`}</span>
    </div>
  );
}
