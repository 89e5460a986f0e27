/**
 * Sign-in through Supabase Auth. Loaded on demand (import("./supabase-auth")), so supabase-js is
 * never part of a page's first-load JS. supabase-js keeps the session in localStorage and refreshes
 * it; we mirror its access token into lib/session.ts, which the API client sends as the bearer.
 */
import { createClient, isAuthApiError, isAuthRetryableFetchError, type AuthError, type Session, type SupabaseClient } from "@supabase/supabase-js";
import { ApiError } from "./api/errors";
import { supabaseConfig } from "./auth-config";
import { clearSession, saveSupabaseSession } from "./session";

let client: Promise<SupabaseClient> | null = null;

function mirror(session: Session) {
  saveSupabaseSession(session.access_token, session.expires_at ?? Math.floor(Date.now() / 1000) + session.expires_in);
}

export function supabaseClient(): Promise<SupabaseClient> {
  client ??= supabaseConfig()
    .then((config) => {
      if (!config) throw new ApiError("This server no longer uses Supabase sign-in. Please sign in again.", 401, "supabase_off");
      const c = createClient(config.url, config.anon_key, {
        auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
      });
      // Fires for refreshes (ours and other tabs') and sign-outs; keep the mirror in step.
      c.auth.onAuthStateChange((event, session) => {
        if (session) mirror(session);
        else if (event === "SIGNED_OUT") clearSession();
      });
      return c;
    })
    .catch((e) => {
      client = null;
      throw e;
    });
  return client;
}

const FRIENDLY: Record<string, string> = {
  invalid_credentials: "The email or password is not right.",
  email_not_confirmed: "Confirm your email address first: open the link we sent you, then sign in.",
  user_already_exists: "An account with this email already exists. Sign in instead.",
  over_request_rate_limit: "Too many attempts. Please wait a moment and try again.",
};

/** Supabase's error, in the same shape (and words) as the API's. */
export function toSupabaseApiError(error: AuthError): ApiError {
  if (isAuthRetryableFetchError(error)) return new ApiError("Could not reach the sign-in service. Check your connection and try again.", 0, "network");
  const code = error.code ?? "supabase_error";
  return new ApiError(FRIENDLY[code] ?? error.message, error.status ?? 400, code);
}

export async function signInWithSupabase(body: { email: string; password: string }): Promise<void> {
  const { data, error } = await (await supabaseClient()).auth.signInWithPassword(body);
  if (error) throw toSupabaseApiError(error);
  mirror(data.session);
}

/** Signs up; `confirmEmail` when the project wants the address confirmed before the first sign-in. */
export async function signUpWithSupabase(body: { email: string; password: string; name?: string }): Promise<{ confirmEmail: boolean }> {
  const { data, error } = await (await supabaseClient()).auth.signUp({
    email: body.email,
    password: body.password,
    options: { data: body.name ? { full_name: body.name } : {} },
  });
  if (error) throw toSupabaseApiError(error);
  if (!data.session) return { confirmEmail: true };
  mirror(data.session);
  return { confirmEmail: false };
}

/** The current access token; supabase-js refreshes it first when it is about to expire. */
export async function supabaseAccessToken(): Promise<string | null> {
  const { data, error } = await (await supabaseClient()).auth.getSession();
  if (data.session) {
    mirror(data.session);
    return data.session.access_token;
  }
  if (error && isAuthRetryableFetchError(error)) throw toSupabaseApiError(error); // offline: keep the session
  clearSession();
  return null;
}

/** After the API refused the token: a fresh one, or null when the session is over. */
export async function refreshSupabaseSession(): Promise<string | null> {
  const { data, error } = await (await supabaseClient()).auth.refreshSession();
  if (data.session) {
    mirror(data.session);
    return data.session.access_token;
  }
  if (error && isAuthApiError(error)) clearSession();
  return null;
}

/** Signs this browser out of Supabase (its refresh token is revoked there too). */
export async function signOutOfSupabase(): Promise<void> {
  try {
    await (await supabaseClient()).auth.signOut({ scope: "local" });
  } finally {
    clearSession();
  }
}

/** Supabase does not ask for the current password, so it is checked by signing in with it first. */
export async function changeSupabasePassword(current: string, next: string): Promise<void> {
  const c = await supabaseClient();
  const email = (await c.auth.getSession()).data.session?.user.email;
  if (!email) throw new ApiError("Your session has ended. Please sign in again.", 401, "invalid_token");
  const check = await c.auth.signInWithPassword({ email, password: current });
  if (check.error) {
    if (check.error.code === "invalid_credentials") throw new ApiError("Your current password is not right.", 400, "wrong_password");
    throw toSupabaseApiError(check.error);
  }
  const { error } = await c.auth.updateUser({ password: next });
  if (error) throw toSupabaseApiError(error);
}
