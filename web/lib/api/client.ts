import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { ApiError, toApiError } from "./errors";
import { accessToken, clearSession, refreshSession } from "../session";

/**
 * fetch with the bearer token; on 401 invalid_token, refresh once and retry.
 * Used by the typed client and by raw calls (uploads use XHR, see lib/upload.ts).
 */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const token = await accessToken();
  if (token) input.headers.set("authorization", `Bearer ${token}`);
  const res = await fetch(input);
  if (res.status !== 401 || !token) return res;
  const code = await res
    .clone()
    .json()
    .then((b) => b?.error?.code as string | undefined)
    .catch(() => undefined);
  if (code !== "invalid_token") {
    if (code === "missing_token") clearSession();
    return res;
  }
  const fresh = await refreshSession(token);
  if (!fresh) {
    clearSession();
    return res;
  }
  retry.headers.set("authorization", `Bearer ${fresh}`);
  return fetch(retry);
}

export const api = createClient<paths>({ baseUrl: "", fetch: authFetch });

/** Unwraps an openapi-fetch result: the data, or throws an ApiError with the server's words. */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await p;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0, "network");
  }
  if (!result.response.ok) throw toApiError(result.error ?? null, result.response.status);
  return result.data as T;
}

/** For endpoints not (yet) in the OpenAPI schema: same auth and error handling. */
export async function rawJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    const headers = new Headers(init.headers);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    res = await authFetch(new Request(path, { ...init, headers }));
  } catch {
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0, "network");
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw toApiError(body, res.status);
  return body as T;
}
