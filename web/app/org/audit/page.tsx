"use client";
import * as React from "react";
import { ScrollText } from "lucide-react";
import { AppShell, PageHeader } from "@/components/app-shell";
import { canAdmin, useOrg } from "@/components/org-context";
import { useAuditLog, useMembers } from "@/lib/api/hooks/orgs";
import { Card, CardContent } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { EmptyState, ErrorState, Loading, Spinner } from "@/components/states";
import { describeAction, formatDateTime } from "@/lib/utils";

function Audit() {
  const { org } = useOrg();
  const orgId = org?.id ?? "";
  const admin = canAdmin(org?.role);
  const log = useAuditLog(admin ? orgId : "");
  const members = useMembers(orgId);
  if (!org) return <Loading />;
  const who = (id: string | null, keyId: string | null) => {
    if (keyId) return "API key";
    if (!id) return "system";
    const m = members.data?.find((x) => x.user_id === id);
    return m ? m.name || m.email : "former member";
  };
  const events = log.data?.pages.flat() ?? [];
  return (
    <>
      <PageHeader title="Audit log" description="Security events in this organization: sign-ins, members, keys and bot changes." />
      {!admin ? (
        <Alert>Only owners and admins can read the audit log.</Alert>
      ) : log.isLoading ? (
        <Loading rows={6} />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => log.refetch()} />
      ) : !events.length ? (
        <EmptyState icon={<ScrollText className="h-8 w-8" aria-hidden />} title="No events yet" />
      ) : (
        <Card className="max-w-5xl">
          <CardContent className="p-0 sm:p-0">
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead className="border-b bg-muted/50 text-left">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">When</th>
                    <th scope="col" className="px-4 py-2 font-medium">Event</th>
                    <th scope="col" className="px-4 py-2 font-medium">By</th>
                    <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">Target</th>
                    <th scope="col" className="hidden px-4 py-2 font-medium lg:table-cell">IP</th>
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {events.map((e) => (
                    <tr key={e.id}>
                      <td className="whitespace-nowrap px-4 py-2 text-muted-foreground">{formatDateTime(e.created_at)}</td>
                      <td className="px-4 py-2">
                        {describeAction(e.action)}
                        <span className="block font-mono text-xs text-muted-foreground">{e.action}</span>
                      </td>
                      <td className="px-4 py-2">{who(e.actor_user_id, e.actor_api_key_id)}</td>
                      <td className="hidden px-4 py-2 md:table-cell">
                        {e.target_type ? (
                          <span>
                            {e.target_type} <span className="font-mono text-xs text-muted-foreground">{e.target_id?.slice(0, 8)}</span>
                          </span>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td className="hidden px-4 py-2 font-mono text-xs lg:table-cell">{e.ip ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="flex justify-center border-t p-3">
              {log.hasNextPage ? (
                <Button variant="outline" size="sm" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
                  {log.isFetchingNextPage ? <Spinner label="Loading…" /> : "Load older events"}
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">That is the beginning of the log.</p>
              )}
            </div>
          </CardContent>
        </Card>
      )}
    </>
  );
}

export default function AuditPage() {
  return (
    <AppShell title="Audit log">
      <Audit />
    </AppShell>
  );
}
