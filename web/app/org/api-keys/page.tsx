"use client";
import * as React from "react";
import { KeyRound, Loader2 } from "lucide-react";
import { AppShell, PageHeader } from "@/components/app-shell";
import { canAdmin, useOrg } from "@/components/org-context";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "@/lib/api/hooks/orgs";
import { errorMessage } from "@/lib/api/errors";
import { ROLES, type ApiKeyCreated, type Role } from "@/lib/api/types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/confirm";
import { CopyButton } from "@/components/copy-button";
import { EmptyState, ErrorState, Loading, Pager } from "@/components/states";
import { timeAgo } from "@/lib/utils";
import { ProviderKeys } from "@/components/org/provider-keys";

const PAGE = 20;

function ApiKeys() {
  const { org } = useOrg();
  const orgId = org?.id ?? "";
  const keys = useApiKeys(orgId);
  const create = useCreateApiKey(orgId);
  const revoke = useRevokeApiKey(orgId);
  const [name, setName] = React.useState("");
  const [role, setRole] = React.useState<Role>("admin");
  const [created, setCreated] = React.useState<ApiKeyCreated | null>(null);
  const [page, setPage] = React.useState(0);
  const [showRevoked, setShowRevoked] = React.useState(false);
  if (!org) return <Loading />;
  const admin = canAdmin(org.role);
  const list = (keys.data ?? []).filter((k) => showRevoked || !k.revoked_at);
  return (
    <>
      <PageHeader title="API keys" description={`Keys let your servers call the Parley API on behalf of ${org.name}. Send one as "Authorization: Bearer <key>".`} />
      <div className="grid max-w-4xl gap-6">
        {admin ? (
          <Card>
            <CardHeader>
              <CardTitle>Create a key</CardTitle>
              <CardDescription>The key is shown once. Store it in your server&apos;s secrets.</CardDescription>
            </CardHeader>
            <CardContent className="space-y-4">
              <form
                className="grid gap-3 sm:grid-cols-[1fr_9rem_auto] sm:items-end"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (!name.trim()) return;
                  create.mutate({ name: name.trim(), role }, { onSuccess: (k) => (setCreated(k), setName("")) });
                }}
              >
                <div className="space-y-2">
                  <Label htmlFor="key-name">Name</Label>
                  <Input id="key-name" value={name} maxLength={100} placeholder="e.g. production server" onChange={(e) => setName(e.target.value)} />
                </div>
                <div className="space-y-2">
                  <Label htmlFor="key-role">Role</Label>
                  <NativeSelect id="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </NativeSelect>
                </div>
                <Button type="submit" disabled={!name.trim() || create.isPending}>
                  {create.isPending && <Loader2 className="animate-spin" aria-hidden />}
                  Create key
                </Button>
              </form>
              {create.isError && <Alert variant="destructive">{errorMessage(create.error)}</Alert>}
              {created && (
                <Alert variant="warning">
                  <AlertTitle className="text-foreground">Copy your new key now: it will not be shown again.</AlertTitle>
                  <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-center">
                    <Input readOnly value={created.key} aria-label={`New API key ${created.name}`} className="font-mono text-xs text-foreground" onFocus={(e) => e.currentTarget.select()} />
                    <CopyButton text={created.key} label="Copy key" />
                    <Button variant="ghost" size="sm" onClick={() => setCreated(null)}>
                      Done
                    </Button>
                  </div>
                </Alert>
              )}
            </CardContent>
          </Card>
        ) : (
          <Alert>Only owners and admins can create or revoke API keys.</Alert>
        )}
        <Card>
          <CardHeader className="flex-row items-center justify-between space-y-0">
            <CardTitle>Keys</CardTitle>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4 accent-[hsl(var(--primary))]" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
              Show revoked
            </label>
          </CardHeader>
          <CardContent>
            {keys.isLoading ? (
              <Loading />
            ) : keys.isError ? (
              <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
            ) : !list.length ? (
              <EmptyState icon={<KeyRound className="h-8 w-8" aria-hidden />} title="No API keys yet">
                Create one to call the API from your own servers, scripts or CI.
              </EmptyState>
            ) : (
              <>
                <ul className="divide-y rounded-md border">
                  {list.slice(page * PAGE, (page + 1) * PAGE).map((k) => (
                    <li key={k.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
                      <div className="min-w-0 flex-1">
                        <p className="flex items-center gap-2 font-medium">
                          <span className="truncate">{k.name}</span>
                          <Badge variant="secondary">{k.role}</Badge>
                          {k.revoked_at && <Badge variant="destructive">revoked</Badge>}
                        </p>
                        <p className="text-sm text-muted-foreground">
                          <code className="font-mono">{k.prefix}…</code> · created {timeAgo(k.created_at)} · last used {timeAgo(k.last_used_at)}
                        </p>
                      </div>
                      {admin && !k.revoked_at && (
                        <ConfirmButton
                          title={`Revoke "${k.name}"?`}
                          description="Requests with this key fail at once. This cannot be undone."
                          confirmLabel="Revoke key"
                          onConfirm={() => revoke.mutateAsync(k.id)}
                          variant="outline"
                          size="sm"
                        >
                          Revoke
                        </ConfirmButton>
                      )}
                    </li>
                  ))}
                </ul>
                <Pager page={page} pageSize={PAGE} total={list.length} onPage={setPage} label="keys" />
              </>
            )}
          </CardContent>
        </Card>
        <ProviderKeys orgId={orgId} admin={admin} />
      </div>
    </>
  );
}

export default function ApiKeysPage() {
  return (
    <AppShell title="API keys">
      <ApiKeys />
    </AppShell>
  );
}
