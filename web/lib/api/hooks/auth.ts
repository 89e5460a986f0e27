"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";
import { clearSession, getSession, saveTokens } from "../../session";

export const meKey = ["me"] as const;

export function useMe(enabled = true) {
  return useQuery({
    queryKey: meKey,
    queryFn: () => unwrap(api.GET("/api/v1/me")),
    enabled,
    staleTime: 60_000,
  });
}

export function useSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; name?: string }) =>
      unwrap(api.POST("/api/v1/auth/signup", { body })),
    onSuccess: (data) => {
      qc.clear();
      saveTokens(data);
    },
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST("/api/v1/auth/login", { body })),
    onSuccess: (data) => {
      qc.clear();
      saveTokens(data);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
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
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST("/api/v1/auth/password", { body })),
    onSuccess: (tokens) => saveTokens(tokens),
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
