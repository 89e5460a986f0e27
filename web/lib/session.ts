/**
 * The signed-in session: a short-lived access token and a rotating refresh token.
 * Both live in localStorage so other tabs share them; refreshing is serialised across
 * tabs with the Web Locks API (a refresh token may be used once: a second use would
 * look like theft and revoke the whole family).
 *
 * With Supabase Auth, supabase-js owns the session (and refreshes it); a copy of its access
 * token is kept here, marked `provider: "supabase"`, so pages can tell synchronously whether
 * someone is signed in. The Supabase code is loaded only when such a session exists.
 */
export type Tokens = { access_token: string; refresh_token: string; expires_in: number };
type Stored = { access: string; refresh: string; expiresAt: number; provider?: "supabase" };

const KEY = "parley.session";
const listeners = new Set<() => void>();

function read(): Stored | null {
  if (typeof localStorage === "undefined") return null;
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function getSession(): Stored | null {
  return read();
}

export function isSignedIn(): boolean {
  return read() !== null;
}

export function saveTokens(t: Tokens) {
  const stored: Stored = { access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 };
  localStorage.setItem(KEY, JSON.stringify(stored));
  listeners.forEach((l) => l());
}

/** Mirrors supabase-js's session; only a new token is written (and announced). */
export function saveSupabaseSession(accessToken: string, expiresAtSeconds: number) {
  if (read()?.access === accessToken) return;
  const stored: Stored = { access: accessToken, refresh: "", expiresAt: expiresAtSeconds * 1000, provider: "supabase" };
  localStorage.setItem(KEY, JSON.stringify(stored));
  listeners.forEach((l) => l());
}

export function isSupabaseSession(): boolean {
  return read()?.provider === "supabase";
}

const supabaseAuth = () => import("./supabase-auth");

export function clearSession() {
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === KEY && listener();
  if (typeof window !== "undefined") window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    if (typeof window !== "undefined") window.removeEventListener("storage", onStorage);
  };
}

let inflight: Promise<string | null> | null = null;

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) return locks.request("parley-refresh", fn) as Promise<T>;
  return fn();
}

/**
 * Exchange the refresh token for a new pair. Returns the new access token, or null when the
 * session is over (then it is cleared). `staleAccess` is the token that failed: if another tab
 * already refreshed, its fresh token is used instead of spending the refresh token again.
 */
export function refreshSession(staleAccess?: string): Promise<string | null> {
  if (isSupabaseSession()) return supabaseAuth().then((m) => m.refreshSupabaseSession());
  if (inflight) return inflight;
  inflight = withLock(async () => {
    const current = read();
    if (!current) return null;
    if (staleAccess && current.access !== staleAccess && current.expiresAt - Date.now() > 10_000) return current.access;
    try {
      const res = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: current.refresh }),
      });
      if (res.ok) {
        const tokens = (await res.json()) as Tokens;
        saveTokens(tokens);
        return tokens.access_token;
      }
      if (res.status === 401 || res.status === 400 || res.status === 422) clearSession();
      return null;
    } catch {
      return null; // offline: keep the session, the request fails with a network error
    }
  }).finally(() => {
    inflight = null;
  });
  return inflight;
}

/** A usable access token, refreshed first if it expires within 30 s. */
export async function accessToken(): Promise<string | null> {
  const s = read();
  if (!s) return null;
  if (s.provider === "supabase") return supabaseAuth().then((m) => m.supabaseAccessToken());
  if (s.expiresAt - Date.now() < 30_000) return refreshSession(s.access);
  return s.access;
}
