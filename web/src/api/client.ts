import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

/** Wire types, generated from web/openapi.json (never edit schema.d.ts by hand: `npm run api:generate`). */
export type Schemas = components["schemas"];
export type Project = Schemas["ProjectPublic"];
export type Task = Schemas["TaskPublic"];
export type TaskDetail = Schemas["TaskDetail"];
export type Asset = Schemas["AssetPublic"];
export type Job = Schemas["JobPublic"];
export type User = Schemas["UserPublic"];
export type Member = Schemas["MemberPublic"];
export type Token = Schemas["TokenPublic"];
export type Revision = Schemas["RevisionPublic"];
export type Draft = Schemas["DraftPublic"];
export type ReviewEvent = Schemas["ReviewEventPublic"];
export type Role = Project["role"];

export const API_BASE = "/api/v1";

/** A failed request, carrying the server's problem details (RFC 9457) when there were any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** True when the request never reached the server (offline, server down). */
  get offline(): boolean {
    return this.status === 0;
  }
}

export function readCookie(name: string, cookies: string = typeof document === "undefined" ? "" : document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Headers every unsafe request needs: the CSRF token from the readable `lh_csrf` cookie. */
export function csrfHeaders(method: string): Record<string, string> {
  const token = readCookie("lh_csrf");
  return UNSAFE.has(method.toUpperCase()) && token ? { "X-CSRF-Token": token } : {};
}

const csrf: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(csrfHeaders(request.method))) request.headers.set(k, v);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** The message a person should read for a problem body (FastAPI validation errors included). */
export function problemMessage(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.detail === "string") return b.detail;
    if (Array.isArray(b.detail)) return b.detail.map((d) => (d as { msg?: string }).msg ?? String(d)).join("; ");
    if (typeof b.title === "string") return b.title;
  }
  return status === 0 ? "Cannot reach the server." : `Request failed (${status}).`;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws ApiError (status 0 when the
 * network failed). A 204 gives `null`.
 */
export async function call<T>(pending: Promise<FetchResult<T>>): Promise<T | null> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (e) {
    throw new ApiError(0, e instanceof Error ? `Cannot reach the server (${e.message}).` : "Cannot reach the server.");
  }
  const { response } = result;
  if (!response.ok) {
    const body = result.error;
    throw new ApiError(response.status, problemMessage(response.status, body), body && typeof body === "object" ? (body as Record<string, unknown>) : {});
  }
  if (response.status === 204) return null;
  return result.data as T;
}

/** `call` for routes that always return a body. */
export async function must<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  const data = await call(pending);
  if (data === null) throw new ApiError(204, "The server returned no content.");
  return data;
}
