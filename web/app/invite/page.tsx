"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Loader2 } from "lucide-react";
import { useAcceptInvitation } from "@/lib/api/hooks/orgs";
import { isSignedIn } from "@/lib/session";
import { errorMessage } from "@/lib/api/errors";
import { rememberOrg } from "@/components/org-context";
import { AuthLayout } from "@/components/auth/auth-layout";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Loading } from "@/components/states";

function InviteInner() {
  const params = useSearchParams();
  const router = useRouter();
  const token = params.get("token") ?? "";
  const accept = useAcceptInvitation();
  const [signedIn, setSignedIn] = React.useState<boolean | null>(null);
  React.useEffect(() => {
    setSignedIn(isSignedIn());
  }, []);
  const here = `/invite/?token=${encodeURIComponent(token)}`;

  if (!token)
    return (
      <AuthLayout title="Invitation link incomplete">
        <Alert variant="destructive">This link has no invitation code. Open the link from your invitation email again, or ask for a new invitation.</Alert>
      </AuthLayout>
    );
  if (signedIn === null) return <Loading className="p-6" />;
  if (!signedIn)
    return (
      <AuthLayout title="You're invited" subtitle="Sign in or create an account with the email address the invitation was sent to, then accept it.">
        <div className="flex flex-col gap-3">
          <Link className={buttonVariants()} href={`/signup/?next=${encodeURIComponent(here)}`}>
            Create an account
          </Link>
          <Link className={buttonVariants({ variant: "outline" })} href={`/login/?next=${encodeURIComponent(here)}`}>
            I already have an account
          </Link>
        </div>
      </AuthLayout>
    );
  return (
    <AuthLayout title="Join the team" subtitle="Accept the invitation to work on this organization's bots.">
      {accept.isError && (
        <Alert variant="destructive" className="mb-4">
          {errorMessage(accept.error)} If the invitation has expired or was sent to another email address, ask for a new one.
        </Alert>
      )}
      {accept.isSuccess ? (
        <Alert variant="success">You joined as {accept.data.role}. Opening the dashboard…</Alert>
      ) : (
        <Button
          className="w-full"
          disabled={accept.isPending}
          onClick={() =>
            accept.mutate(token, {
              onSuccess: (r) => {
                rememberOrg(r.org_id);
                router.replace("/bots/");
              },
            })
          }
        >
          {accept.isPending && <Loader2 className="animate-spin" aria-hidden />}
          Accept invitation
        </Button>
      )}
    </AuthLayout>
  );
}

export default function InvitePage() {
  return (
    <React.Suspense fallback={<Loading className="p-6" />}>
      <InviteInner />
    </React.Suspense>
  );
}
