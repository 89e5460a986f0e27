"use client";
import * as React from "react";
import { Loader2, Trash2 } from "lucide-react";
import { useChangeRole, useInvitations, useInvite, useMembers, useRemoveMember, useRevokeInvitation } from "@/lib/api/hooks/orgs";
import { useMe } from "@/lib/api/hooks/auth";
import { errorMessage } from "@/lib/api/errors";
import { ROLES, type InvitationCreated, type Role } from "@/lib/api/types";
import { canAdmin, useOrg } from "../org-context";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";
import { NativeSelect } from "../ui/native-select";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmButton } from "../confirm";
import { CopyButton } from "../copy-button";
import { EmptyState, ErrorState, FieldError, Loading, Pager } from "../states";
import { toast } from "../ui/toast";
import { formatDateTime, timeAgo } from "@/lib/utils";

const PAGE = 20;
const ROLE_HELP: Record<Role, string> = {
  owner: "everything, including deleting the organization",
  admin: "manage members, API keys and bots",
  member: "build and edit bots",
};

export function MembersCard() {
  const { org } = useOrg();
  const orgId = org?.id ?? "";
  const me = useMe();
  const members = useMembers(orgId);
  const changeRole = useChangeRole(orgId);
  const remove = useRemoveMember(orgId);
  const [page, setPage] = React.useState(0);
  const admin = canAdmin(org?.role);
  const list = members.data ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          Roles: owner ({ROLE_HELP.owner}), admin ({ROLE_HELP.admin}), member ({ROLE_HELP.member}).
        </CardDescription>
      </CardHeader>
      <CardContent>
        {members.isLoading ? (
          <Loading />
        ) : members.isError ? (
          <ErrorState error={members.error} onRetry={() => members.refetch()} />
        ) : (
          <>
            <ul className="divide-y rounded-md border">
              {list.slice(page * PAGE, (page + 1) * PAGE).map((m) => {
                const self = m.user_id === me.data?.user?.id;
                return (
                  <li key={m.user_id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
                    <div className="min-w-0 flex-1">
                      <p className="truncate font-medium">
                        {m.name || m.email} {self && <span className="text-sm font-normal text-muted-foreground">(you)</span>}
                      </p>
                      <p className="truncate text-sm text-muted-foreground">
                        {m.email} · joined {timeAgo(m.joined_at)}
                      </p>
                    </div>
                    {admin && !self ? (
                      <div className="flex items-center gap-2">
                        <Label htmlFor={`role-${m.user_id}`} className="sr-only">
                          Role of {m.email}
                        </Label>
                        <NativeSelect
                          id={`role-${m.user_id}`}
                          className="w-32"
                          value={m.role}
                          disabled={changeRole.isPending}
                          onChange={(e) =>
                            changeRole.mutate(
                              { userId: m.user_id, role: e.target.value as Role },
                              {
                                onSuccess: () => toast({ title: `${m.email} is now ${e.target.value}` }),
                                onError: (err) => toast({ title: "Role not changed", description: errorMessage(err), variant: "destructive" }),
                              },
                            )
                          }
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </NativeSelect>
                        <ConfirmButton
                          title={`Remove ${m.email}?`}
                          description="They lose access to this organization's bots at once. You can invite them again later."
                          confirmLabel="Remove"
                          onConfirm={() => remove.mutateAsync(m.user_id).then(() => toast({ title: `${m.email} removed` }))}
                          variant="ghost"
                          size="icon"
                          aria-label={`Remove ${m.email}`}
                        >
                          <Trash2 aria-hidden />
                        </ConfirmButton>
                      </div>
                    ) : (
                      <Badge variant="secondary">{m.role}</Badge>
                    )}
                  </li>
                );
              })}
            </ul>
            <Pager page={page} pageSize={PAGE} total={list.length} onPage={setPage} label="members" />
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function InvitationsCard() {
  const { org } = useOrg();
  const orgId = org?.id ?? "";
  const admin = canAdmin(org?.role);
  const invitations = useInvitations(orgId, admin);
  const invite = useInvite(orgId);
  const revoke = useRevokeInvitation(orgId);
  const [email, setEmail] = React.useState("");
  const [role, setRole] = React.useState<Role>("member");
  const [error, setError] = React.useState<string | null>(null);
  const [created, setCreated] = React.useState<InvitationCreated | null>(null);
  if (!admin)
    return (
      <Card>
        <CardHeader>
          <CardTitle>Invitations</CardTitle>
          <CardDescription>Only owners and admins can invite people. Ask one of them to invite your teammates.</CardDescription>
        </CardHeader>
      </Card>
    );
  const inviteUrl = created ? new URL(`/invite/?token=${encodeURIComponent(created.token)}`, window.location.origin).toString() : "";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite people</CardTitle>
        <CardDescription>They get a link to join this organization. Invitations expire; you can revoke them before they are used.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <form
          noValidate
          className="grid gap-3 sm:grid-cols-[1fr_9rem_auto] sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return setError("Enter an email address like name@example.com.");
            setError(null);
            invite.mutate(
              { email: email.trim(), role },
              {
                onSuccess: (inv) => {
                  setCreated(inv);
                  setEmail("");
                },
                onError: (err) => setError(errorMessage(err)),
              },
            );
          }}
        >
          <div className="space-y-2">
            <Label htmlFor="invite-email">Email</Label>
            <Input
              id="invite-email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={!!error}
              aria-describedby={error ? "invite-error" : undefined}
              placeholder="teammate@example.com"
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor="invite-role">Role</Label>
            <NativeSelect id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" disabled={invite.isPending}>
            {invite.isPending && <Loader2 className="animate-spin" aria-hidden />}
            Send invitation
          </Button>
          <div className="sm:col-span-3">
            <FieldError id="invite-error">{error}</FieldError>
          </div>
        </form>
        {created && (
          <Alert variant="success">
            <p className="font-medium text-foreground">
              Invitation created for {created.email}. {created.email_sent ? "An email is on its way." : "No email was sent (email is not set up on this server): share this link with them."}
            </p>
            <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-center">
              <Input readOnly value={inviteUrl} aria-label="Invitation link" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={inviteUrl} label="Copy link" />
            </div>
          </Alert>
        )}
        <div>
          <h3 className="mb-2 text-sm font-semibold">Pending invitations</h3>
          {invitations.isLoading ? (
            <Loading rows={2} />
          ) : invitations.isError ? (
            <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
          ) : !invitations.data?.length ? (
            <p className="text-sm text-muted-foreground">No pending invitations.</p>
          ) : (
            <ul className="divide-y rounded-md border">
              {invitations.data.map((inv) => (
                <li key={inv.id} className="flex items-center gap-3 p-3">
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium">{inv.email}</p>
                    <p className="text-sm text-muted-foreground">
                      {inv.role} · expires {formatDateTime(inv.expires_at)}
                    </p>
                  </div>
                  <ConfirmButton
                    title={`Revoke the invitation for ${inv.email}?`}
                    description="The link stops working."
                    confirmLabel="Revoke"
                    onConfirm={() => revoke.mutateAsync(inv.id)}
                    variant="outline"
                    size="sm"
                  >
                    Revoke
                  </ConfirmButton>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

export function NoMembersYet() {
  return <EmptyState title="Just you so far">Invite teammates to build bots together.</EmptyState>;
}
