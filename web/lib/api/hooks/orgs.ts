"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";
import type { LlmProvider, Role } from "../types";
import { meKey } from "./auth";

const p = (org_id: string) => ({ params: { path: { org_id } } });

export const orgKeys = {
  all: ["orgs"] as const,
  one: (id: string) => ["orgs", id] as const,
  members: (id: string) => ["orgs", id, "members"] as const,
  invitations: (id: string) => ["orgs", id, "invitations"] as const,
  apiKeys: (id: string) => ["orgs", id, "api-keys"] as const,
  providerKeys: (id: string) => ["orgs", id, "provider-keys"] as const,
  audit: (id: string) => ["orgs", id, "audit"] as const,
};

export function useOrgs() {
  return useQuery({ queryKey: orgKeys.all, queryFn: () => unwrap(api.GET("/api/v1/orgs")) });
}

export function useCreateOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST("/api/v1/orgs", { body: { name } })),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: orgKeys.all });
      qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useRenameOrg(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.PATCH("/api/v1/orgs/{org_id}", { ...p(orgId), body: { name } })),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: orgKeys.all });
      qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useMembers(orgId: string) {
  return useQuery({
    queryKey: orgKeys.members(orgId),
    queryFn: () => unwrap(api.GET("/api/v1/orgs/{org_id}/members", p(orgId))),
    enabled: !!orgId,
  });
}

export function useChangeRole(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(
        api.PATCH("/api/v1/orgs/{org_id}/members/{user_id}", {
          params: { path: { org_id: orgId, user_id: userId } },
          body: { role },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.members(orgId) }),
  });
}

export function useRemoveMember(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE("/api/v1/orgs/{org_id}/members/{user_id}", { params: { path: { org_id: orgId, user_id: userId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.members(orgId) }),
  });
}

export function useInvitations(orgId: string, enabled = true) {
  return useQuery({
    queryKey: orgKeys.invitations(orgId),
    queryFn: () => unwrap(api.GET("/api/v1/orgs/{org_id}/invitations", p(orgId))),
    enabled: !!orgId && enabled,
  });
}

export function useInvite(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) =>
      unwrap(api.POST("/api/v1/orgs/{org_id}/invitations", { ...p(orgId), body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.invitations(orgId) }),
  });
}

export function useRevokeInvitation(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      unwrap(
        api.DELETE("/api/v1/orgs/{org_id}/invitations/{invitation_id}", {
          params: { path: { org_id: orgId, invitation_id: invitationId } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.invitations(orgId) }),
  });
}

export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      unwrap(api.POST("/api/v1/invitations/{token}/accept", { params: { path: { token } } })),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: meKey });
      qc.invalidateQueries({ queryKey: orgKeys.all });
    },
  });
}

export function useApiKeys(orgId: string) {
  return useQuery({
    queryKey: orgKeys.apiKeys(orgId),
    queryFn: () => unwrap(api.GET("/api/v1/orgs/{org_id}/api-keys", p(orgId))),
    enabled: !!orgId,
  });
}

export function useCreateApiKey(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: Role }) =>
      unwrap(api.POST("/api/v1/orgs/{org_id}/api-keys", { ...p(orgId), body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.apiKeys(orgId) }),
  });
}

export function useRevokeApiKey(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE("/api/v1/orgs/{org_id}/api-keys/{key_id}", { params: { path: { org_id: orgId, key_id: keyId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.apiKeys(orgId) }),
  });
}

export function useProviderKeys(orgId: string) {
  return useQuery({
    queryKey: orgKeys.providerKeys(orgId),
    queryFn: () => unwrap(api.GET("/api/v1/orgs/{org_id}/provider-keys", p(orgId))),
    enabled: !!orgId,
  });
}

export function useSetProviderKey(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, apiKey }: { provider: LlmProvider; apiKey: string }) =>
      unwrap(api.PUT("/api/v1/orgs/{org_id}/provider-keys/{provider}", {
        params: { path: { org_id: orgId, provider } }, body: { api_key: apiKey },
      })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.providerKeys(orgId) }),
  });
}

export function useDeleteProviderKey(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (provider: LlmProvider) =>
      unwrap(api.DELETE("/api/v1/orgs/{org_id}/provider-keys/{provider}", { params: { path: { org_id: orgId, provider } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.providerKeys(orgId) }),
  });
}

export const AUDIT_PAGE = 50;

/** The audit log, newest first, paged with `before` (the oldest timestamp seen). */
export function useAuditLog(orgId: string) {
  return useInfiniteQuery({
    queryKey: orgKeys.audit(orgId),
    enabled: !!orgId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/orgs/{org_id}/audit-log", {
          params: { path: { org_id: orgId }, query: { limit: AUDIT_PAGE, ...(pageParam ? { before: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => (last.length < AUDIT_PAGE ? undefined : last[last.length - 1]?.created_at),
  });
}
