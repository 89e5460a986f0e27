"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";

export const driveKeys = {
  connections: (orgId: string) => ["orgs", orgId, "drive", "connections"] as const,
};

/** The organization's Google Drive connections (labels only; secrets never leave the server). */
export function useDriveConnections(orgId: string | undefined) {
  return useQuery({
    queryKey: driveKeys.connections(orgId ?? ""),
    queryFn: async () =>
      (await unwrap(api.GET("/api/v1/orgs/{org_id}/drive/connections", { params: { path: { org_id: orgId! } } }))).connections,
    enabled: !!orgId,
  });
}

export function useAddServiceAccount(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (key: string) =>
      unwrap(api.POST("/api/v1/orgs/{org_id}/drive/connections/service-account", { params: { path: { org_id: orgId } }, body: { key } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: driveKeys.connections(orgId) }),
  });
}

export function useDeleteDriveConnection(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) =>
      unwrap(
        api.DELETE("/api/v1/orgs/{org_id}/drive/connections/{connection_id}", { params: { path: { org_id: orgId, connection_id: connectionId } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: driveKeys.connections(orgId) }),
  });
}

/** Asks the server for Google's consent URL; the browser then goes there and comes back to `returnTo`. */
export function useStartDriveOAuth(orgId: string) {
  return useMutation({
    mutationFn: (returnTo: string) =>
      unwrap(api.POST("/api/v1/orgs/{org_id}/drive/oauth/start", { params: { path: { org_id: orgId } }, body: { return_to: returnTo } })).then(
        (r) => r.authorization_url,
      ),
  });
}
