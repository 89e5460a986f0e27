import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

// supabase-js, reduced to what lib/supabase-auth.ts calls. Errors carry the flags its type guards read.
const auth = {
  signInWithPassword: vi.fn(),
  signUp: vi.fn(),
  getSession: vi.fn(),
  refreshSession: vi.fn(),
  signOut: vi.fn(),
  updateUser: vi.fn(),
};
let authListener: ((event: string, s: unknown) => void) | null = null;
const onAuthStateChange = (cb: typeof authListener) => {
  authListener = cb;
  return { data: { subscription: { unsubscribe() {} } } };
};
const createClient = vi.fn(() => ({ auth: { ...auth, onAuthStateChange } }));
vi.mock("@supabase/supabase-js", () => ({
  createClient: (...args: unknown[]) => (createClient as (...a: unknown[]) => unknown)(...args),
  isAuthApiError: (e: { kind?: string }) => e?.kind === "api",
  isAuthRetryableFetchError: (e: { kind?: string }) => e?.kind === "network",
}));

import { accessToken, getSession, refreshSession, saveTokens } from "@/lib/session";
import { changeSupabasePassword, signInWithSupabase, signOutOfSupabase, signUpWithSupabase } from "@/lib/supabase-auth";
import { forgetAuthConfig } from "@/lib/auth-config";

const session = (token: string) => ({ access_token: token, expires_at: Math.floor(Date.now() / 1000) + 3600, expires_in: 3600, user: { email: "ada@example.com" } });
const apiError = (code: string, message: string, status = 400) => ({ kind: "api", code, message, status });
const fetchMock = vi.fn(async () => new Response(JSON.stringify({ provider: "supabase", supabase: { url: "https://abcd.supabase.co", anon_key: "sb_publishable_x" } })));
vi.stubGlobal("fetch", fetchMock);
afterAll(() => vi.unstubAllGlobals());

beforeEach(() => {
  Object.values(auth).forEach((f) => f.mockReset());
});

describe("Supabase sign-in", () => {
  it("creates one client from the server's config and mirrors the session's access token", async () => {
    auth.signInWithPassword.mockResolvedValue({ data: { session: session("sb-token-1") }, error: null });
    await signInWithSupabase({ email: "ada@example.com", password: "correct horse" });
    expect(createClient).toHaveBeenCalledWith("https://abcd.supabase.co", "sb_publishable_x", expect.objectContaining({ auth: expect.objectContaining({ autoRefreshToken: true }) }));
    expect(getSession()).toMatchObject({ access: "sb-token-1", provider: "supabase" });
    await signInWithSupabase({ email: "ada@example.com", password: "correct horse" });
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("explains Supabase's refusals in the API's words", async () => {
    auth.signInWithPassword.mockResolvedValue({ data: { session: null }, error: apiError("invalid_credentials", "Invalid login credentials") });
    await expect(signInWithSupabase({ email: "ada@example.com", password: "nope" })).rejects.toMatchObject({ message: "The email or password is not right.", code: "invalid_credentials" });
    auth.signInWithPassword.mockResolvedValue({ data: { session: null }, error: { kind: "network", message: "Failed to fetch", status: 0 } });
    await expect(signInWithSupabase({ email: "ada@example.com", password: "x" })).rejects.toMatchObject({ status: 0, code: "network" });
    expect(getSession()).toBeNull();
  });

  it("passes the name as full_name and reports when the email must be confirmed first", async () => {
    auth.signUp.mockResolvedValue({ data: { session: null, user: { id: "u1" } }, error: null });
    expect(await signUpWithSupabase({ email: "ada@example.com", password: "correct horse", name: "Ada" })).toEqual({ confirmEmail: true });
    expect(auth.signUp).toHaveBeenCalledWith({ email: "ada@example.com", password: "correct horse", options: { data: { full_name: "Ada" } } });
    expect(getSession()).toBeNull();
  });
});

describe("the API bearer in Supabase mode", () => {
  beforeEach(() => {
    auth.signInWithPassword.mockResolvedValue({ data: { session: session("sb-token-1") }, error: null });
    return signInWithSupabase({ email: "ada@example.com", password: "correct horse" });
  });

  it("comes from supabase-js, which refreshes it", async () => {
    auth.getSession.mockResolvedValue({ data: { session: session("sb-token-2") }, error: null });
    expect(await accessToken()).toBe("sb-token-2");
    expect(getSession()?.access).toBe("sb-token-2");
  });

  it("is refreshed through Supabase when the API refuses it, and the session ends when Supabase does", async () => {
    auth.refreshSession.mockResolvedValue({ data: { session: session("sb-token-3") }, error: null });
    expect(await refreshSession("sb-token-1")).toBe("sb-token-3");
    auth.refreshSession.mockResolvedValue({ data: { session: null }, error: apiError("refresh_token_not_found", "Invalid Refresh Token") });
    expect(await refreshSession("sb-token-3")).toBeNull();
    expect(getSession()).toBeNull();
  });

  it("survives a sign-in service that is briefly unreachable", async () => {
    auth.getSession.mockResolvedValue({ data: { session: null }, error: { kind: "network", message: "Failed to fetch" } });
    await expect(accessToken()).rejects.toMatchObject({ code: "network" });
    expect(getSession()?.access).toBe("sb-token-1");
  });

  it("follows supabase-js's own events (another tab signed out)", () => {
    authListener!("SIGNED_OUT", null);
    expect(getSession()).toBeNull();
  });

  it("signs out of Supabase, and locally even when Supabase cannot be reached", async () => {
    auth.signOut.mockRejectedValue(new Error("offline"));
    await expect(signOutOfSupabase()).rejects.toThrow("offline");
    expect(auth.signOut).toHaveBeenCalledWith({ scope: "local" });
    expect(getSession()).toBeNull();
  });

  it("checks the current password before Supabase changes it", async () => {
    auth.getSession.mockResolvedValue({ data: { session: session("sb-token-1") }, error: null });
    auth.signInWithPassword.mockResolvedValue({ data: { session: null }, error: apiError("invalid_credentials", "Invalid login credentials") });
    await expect(changeSupabasePassword("wrong", "a new passphrase")).rejects.toMatchObject({ message: "Your current password is not right." });
    expect(auth.updateUser).not.toHaveBeenCalled();
    auth.signInWithPassword.mockResolvedValue({ data: { session: session("sb-token-4") }, error: null });
    auth.updateUser.mockResolvedValue({ data: { user: {} }, error: null });
    await changeSupabasePassword("correct horse", "a new passphrase");
    expect(auth.updateUser).toHaveBeenCalledWith({ password: "a new passphrase" });
  });
});

describe("built-in sessions", () => {
  it("are what a server without the config endpoint uses, and a failing server is explained", async () => {
    const { supabaseConfig } = await import("@/lib/auth-config");
    forgetAuthConfig();
    fetchMock.mockResolvedValueOnce(new Response("{}", { status: 404 }));
    expect(await supabaseConfig()).toBeNull();
    forgetAuthConfig();
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await expect(supabaseConfig()).rejects.toMatchObject({ code: "network" });
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ error: { code: "boom", message: "The server broke." } }), { status: 500 }));
    await expect(supabaseConfig()).rejects.toMatchObject({ message: "The server broke." });
  });

  it("never load Supabase", async () => {
    forgetAuthConfig();
    fetchMock.mockClear();
    saveTokens({ access_token: "parley-token", refresh_token: "r", expires_in: 900 });
    expect(await accessToken()).toBe("parley-token");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
