"use client";
import { AppShell, PageHeader } from "@/components/app-shell";
import { useChangePassword, useMe } from "@/lib/api/hooks/auth";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Loading } from "@/components/states";
import { formatDateTime } from "@/lib/utils";
import { isSupabaseSession } from "@/lib/session";

function Account() {
  const me = useMe();
  const change = useChangePassword();
  const user = me.data?.user;
  return (
    <>
      <PageHeader title="Account" description="Your profile and password." />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
          </CardHeader>
          <CardContent>
            {me.isLoading ? (
              <Loading rows={2} />
            ) : (
              <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="text-muted-foreground">Name</dt>
                <dd>{user?.name || "—"}</dd>
                <dt className="text-muted-foreground">Email</dt>
                <dd>{user?.email}</dd>
                <dt className="text-muted-foreground">Member since</dt>
                <dd>{formatDateTime(user?.created_at)}</dd>
                <dt className="text-muted-foreground">Organizations</dt>
                <dd>{me.data?.organizations.map((o) => `${o.name} (${o.role})`).join(", ")}</dd>
              </dl>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Change password</CardTitle>
            <CardDescription>
              {isSupabaseSession() ? "Your password is kept by the sign-in service (Supabase Auth)." : "You stay signed in here; other sessions are signed out."}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ChangePasswordForm onSubmit={(v) => change.mutateAsync(v)} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

export default function AccountPage() {
  return (
    <AppShell title="Account">
      <Account />
    </AppShell>
  );
}
