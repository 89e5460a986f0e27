import type { components } from "./api/schema";
import { ApiError, toApiError } from "./api/errors";

export type SupabaseConfig = components["schemas"]["SupabaseClientConfig"];

let cached: Promise<SupabaseConfig | null> | null = null;

/**
 * How this server signs people in: the Supabase project to use, or null for the built-in accounts.
 * Asked once per page load. Plain fetch on purpose: the typed client asks for an access token
 * first, and in Supabase mode that token needs this very answer.
 */
export function supabaseConfig(): Promise<SupabaseConfig | null> {
  cached ??= fetch("/api/v1/auth/config", { headers: { accept: "application/json" } })
    .then(async (res) => {
      if (res.status === 404) return null; // a server from before Supabase sign-in: built-in accounts
      const body = await res.json().catch(() => null);
      if (!res.ok) throw toApiError(body, res.status);
      return (body as components["schemas"]["AuthConfig"]).supabase ?? null;
    })
    .catch((e) => {
      cached = null; // ask again next time
      throw e instanceof ApiError ? e : new ApiError("Could not reach the server. Check your connection and try again.", 0, "network");
    });
  return cached;
}

/** For tests. */
export function forgetAuthConfig() {
  cached = null;
}
