import type { ReactNode } from "react";
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api";

/** Loading / error / empty states, designed once and used by every page. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state-box loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden />
      {label}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? error.status : null;
  const title = status === 0 ? "Cannot reach the server" : status === 403 ? "Not allowed" : status === 404 ? "Not found" : "Something went wrong";
  return (
    <div className="state-box error" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {retry && <button onClick={retry}>Try again</button>}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state-box empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export type Loadable<T> = { state: "loading" } | { state: "error"; error: unknown } | { state: "ready"; data: T };

/** Runs `load` on mount and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loadable<T>, () => void, (data: T) => void] {
  const [value, setValue] = useState<Loadable<T>>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setValue({ state: "ready", data }),
      (error: unknown) => live && setValue({ state: "error", error }),
    );
    return () => {
      live = false;
    };
    // `deps` are the caller's dependencies of `load`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation, ...deps]);
  const reload = useCallback(() => {
    // Keep showing data while it refreshes (children keep their state); only an error shows loading again.
    setValue((v) => (v.state === "error" ? { state: "loading" } : v));
    setGeneration((g) => g + 1);
  }, []);
  const set = useCallback((data: T) => setValue({ state: "ready", data }), []);
  return [value, reload, set];
}

/** Renders the loading or error state, or `children(data)` when ready. */
export function Async<T>({ value, retry, children }: { value: Loadable<T>; retry?: () => void; children: (data: T) => ReactNode }) {
  if (value.state === "loading") return <Loading />;
  if (value.state === "error") return <ErrorState error={value.error} {...(retry ? { retry } : {})} />;
  return <>{children(value.data)}</>;
}
