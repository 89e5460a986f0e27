"use client";
import * as React from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";
import { supabaseConfig } from "../../auth-config";
import { clearSession, getSession, isSupabaseSession, saveTokens } from "../../session";

export const meKey = ["me"] as const;

export function useMe(enabled = true) {
  return useQuery({
    queryKey: meKey,
    queryFn: () => unwrap(api.GET("/api/v1/me")),
    enabled,
    staleTime: 60_000,
  });
}

/** The Supabase sign-in code, when this server signs in through Supabase (loaded on demand). */
async function supabaseAuth() {
  return (await supabaseConfig()) ? import("../../supabase-auth") : null;
}

/** "supabase" or "parley" (built-in accounts); undefined while the server has not said. */
export function useAuthProvider() {
  const config = useQuery({ queryKey: ["auth-config"], queryFn: supabaseConfig, staleTime: Infinity, retry: 1 });
  React.useEffect(() => {
    if (config.data) void import("../../supabase-auth"); // warm the chunk before the form is sent
  }, [config.data]);
  return config.data === undefined ? undefined : config.data ? "supabase" : "parley";
}

type SignupResult = { orgId: string | null; confirmEmail: boolean };

/** Built-in sign-up makes a workspace; a Supabase sign-up gets one here, on its first session. */
async function ensureWorkspace(body: { email: string; name?: string }): Promise<string> {
  const me = await unwrap(api.GET("/api/v1/me"));
  if (me.organizations.length) return me.organizations[0].id;
  const name = `${body.name || body.email.split("@")[0]}'s workspace`.slice(0, 200);
  return (await unwrap(api.POST("/api/v1/orgs", { body: { name } }))).id;
}

export function useSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; password: string; name?: string }): Promise<SignupResult> => {
      const supabase = await supabaseAuth();
      if (!supabase) {
        const data = await unwrap(api.POST("/api/v1/auth/signup", { body }));
        saveTokens(data);
        return { orgId: data.organization.id, confirmEmail: false };
      }
      const { confirmEmail } = await supabase.signUpWithSupabase(body);
      return { orgId: confirmEmail ? null : await ensureWorkspace(body), confirmEmail };
    },
    onSuccess: () => qc.clear(),
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) => {
      const supabase = await supabaseAuth();
      if (supabase) return supabase.signInWithSupabase(body);
      saveTokens(await unwrap(api.POST("/api/v1/auth/login", { body })));
    },
    onSuccess: () => qc.clear(),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (isSupabaseSession()) return (await import("../../supabase-auth")).signOutOfSupabase();
      const s = getSession();
      if (s) await api.POST("/api/v1/auth/logout", { body: { refresh_token: s.refresh } }).catch(() => undefined);
    },
    onSettled: () => {
      clearSession();
      qc.clear();
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: async (body: { current_password: string; new_password: string }) => {
      if (isSupabaseSession())
        return (await import("../../supabase-auth")).changeSupabasePassword(body.current_password, body.new_password);
      saveTokens(await unwrap(api.POST("/api/v1/auth/password", { body })));
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: { email: string }) => unwrap(api.POST("/api/v1/auth/password-reset", { body })),
  });
}

export function useConfirmPasswordReset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; new_password: string }) =>
      unwrap(api.POST("/api/v1/auth/password-reset/confirm", { body })),
    onSuccess: (data) => {
      qc.clear();
      saveTokens(data);
    },
  });
}
