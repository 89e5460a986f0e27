"use client";
import * as React from "react";
import { useSearchParams } from "next/navigation";
import { Loader2 } from "lucide-react";
import { AppShell, PageHeader } from "@/components/app-shell";
import { canAdmin, useOrg } from "@/components/org-context";
import { InvitationsCard, MembersCard } from "@/components/org/members";
import { useRenameOrg } from "@/lib/api/hooks/orgs";
import { errorMessage } from "@/lib/api/errors";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Alert } from "@/components/ui/alert";
import { Loading } from "@/components/states";
import { toast } from "@/components/ui/toast";
import dynamic from "next/dynamic";

const NewOrgDialog = dynamic(() => import("@/components/org/new-org-dialog").then((m) => m.NewOrgDialog), { ssr: false });

function RenameForm() {
  const { org } = useOrg();
  const rename = useRenameOrg(org?.id ?? "");
  const [name, setName] = React.useState(org?.name ?? "");
  React.useEffect(() => {
    setName(org?.name ?? "");
  }, [org?.name]);
  const admin = canAdmin(org?.role);
  return (
    <form
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        rename.mutate(name.trim(), { onSuccess: () => toast({ title: "Organization renamed" }) });
      }}
    >
      <div className="flex-1 space-y-2">
        <Label htmlFor="org-name">Organization name</Label>
        <Input id="org-name" value={name} maxLength={200} disabled={!admin} onChange={(e) => setName(e.target.value)} />
      </div>
      {admin && (
        <Button type="submit" disabled={rename.isPending || !name.trim() || name.trim() === org?.name}>
          {rename.isPending && <Loader2 className="animate-spin" aria-hidden />}
          Rename
        </Button>
      )}
      {rename.isError && <Alert variant="destructive">{errorMessage(rename.error)}</Alert>}
    </form>
  );
}

function NewOrg() {
  const open = useSearchParams().get("new") === "1";
  return open ? <NewOrgDialog /> : null;
}

function Team() {
  const { org } = useOrg();
  if (!org) return <Loading />;
  return (
    <>
      <PageHeader title="Team" description={`Members, invitations and settings of ${org.name}. Your role: ${org.role}.`} />
      <div className="grid max-w-4xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Organization</CardTitle>
            <CardDescription>Bots, knowledge and keys belong to an organization. Switch organizations from the menu.</CardDescription>
          </CardHeader>
          <CardContent>
            <RenameForm />
          </CardContent>
        </Card>
        <InvitationsCard />
        <MembersCard />
      </div>
      <React.Suspense>
        <NewOrg />
      </React.Suspense>
    </>
  );
}

export default function OrgPage() {
  return (
    <AppShell title="Team">
      <Team />
    </AppShell>
  );
}
