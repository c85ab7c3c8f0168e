import { useCallback, useEffect, useState } from "react";
import type { User } from "../api";
import { api, ApiError, call } from "../api";
import { App as Demo } from "../app";
import { EditorPage } from "../labeling/EditorPage";
import { LoginPage } from "../pages/Login";
import { ProjectsPage } from "../pages/Projects";
import { ProjectPage } from "../pages/Project";
import { TokensPage } from "../pages/Tokens";
import { ErrorState, Loading } from "./states";
import { matchRoute, navigate, usePath } from "./router";
import { SessionContext } from "./session";

type Me = { state: "loading" } | { state: "anonymous" } | { state: "error"; error: unknown } | { state: "user"; user: User };

/** Signs the user in (GET /auth/me), then routes. */
export function Root() {
  const path = usePath();
  const [me, setMe] = useState<Me>({ state: "loading" });
  const fetchMe = useCallback(() => {
    call(api.GET("/api/v1/auth/me")).then(
      (user) => setMe(user ? { state: "user", user } : { state: "anonymous" }),
      (error: unknown) => setMe(error instanceof ApiError && error.status === 401 ? { state: "anonymous" } : { state: "error", error }),
    );
  }, []);
  useEffect(fetchMe, [fetchMe]);
  const load = () => {
    setMe({ state: "loading" });
    fetchMe();
  };
  const signOut = useCallback(() => {
    void call(api.POST("/api/v1/auth/logout")).finally(() => {
      setMe({ state: "anonymous" });
      navigate("/login");
    });
  }, []);

  if (path === "/demo") return <Demo />;
  if (me.state === "loading") return <Loading label="Starting labelhub…" />;
  if (me.state === "error") return <ErrorState error={me.error} retry={load} />;
  if (me.state === "anonymous") return <LoginPage onSignedIn={(user) => setMe({ state: "user", user })} />;
  return (
    <SessionContext.Provider value={{ user: me.user, signOut }}>
      <Routes path={path} />
    </SessionContext.Provider>
  );
}

function Routes({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = matchRoute("/tasks/:taskId/review", path))) return <EditorPage key={path} taskId={Number(m.taskId)} mode="review" />;
  if ((m = matchRoute("/tasks/:taskId", path))) return <EditorPage key={path} taskId={Number(m.taskId)} mode="label" />;
  if ((m = matchRoute("/projects/:id/deid-reports/:reportId", path))) return <ProjectPage projectId={Number(m.id)} tab="import" reportId={m.reportId} />;
  if ((m = matchRoute("/projects/:id/:tab", path))) return <ProjectPage projectId={Number(m.id)} tab={m.tab ?? "overview"} />;
  if ((m = matchRoute("/projects/:id", path))) return <ProjectPage projectId={Number(m.id)} tab="overview" />;
  if (matchRoute("/tokens", path)) return <TokensPage />;
  if (path === "/" || path === "/login" || matchRoute("/projects", path)) {
    if (path === "/login") navigate("/", { replace: true });
    return <ProjectsPage />;
  }
  return (
    <div className="page">
      <ErrorState error={new ApiError(404, `There is no page at ${path}.`)} retry={() => navigate("/")} />
    </div>
  );
}
