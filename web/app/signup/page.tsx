"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useSignup } from "@/lib/api/hooks/auth";
import { rememberOrg } from "@/components/org-context";
import { AuthLayout, safeNext } from "@/components/auth/auth-layout";
import { CredentialsForm } from "@/components/auth/auth-forms";
import { Loading } from "@/components/states";
import { Button } from "@/components/ui/button";

function SignupInner() {
  const params = useSearchParams();
  const router = useRouter();
  const signup = useSignup();
  const nextParam = params.get("next");
  const [confirmEmail, setConfirmEmail] = React.useState<string | null>(null);
  if (confirmEmail)
    return (
      <AuthLayout title="Check your inbox" subtitle={<>We sent a confirmation link to {confirmEmail}.</>}>
        <p className="text-sm">Open the link in that email to confirm your address, then sign in.</p>
        <Button asChild className="mt-6 w-full">
          <Link href={`/login/?email=${encodeURIComponent(confirmEmail)}${nextParam ? `&next=${encodeURIComponent(safeNext(nextParam))}` : ""}`}>Go to sign in</Link>
        </Button>
      </AuthLayout>
    );
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Free and open source. Your first bot is five minutes away."
      footer={
        <>
          Already have an account?{" "}
          <Link className="font-medium text-primary underline underline-offset-4" href={`/login/${nextParam ? `?next=${encodeURIComponent(safeNext(nextParam))}` : ""}`}>
            Sign in
          </Link>
        </>
      }
    >
      <CredentialsForm
        mode="signup"
        initialEmail={params.get("email") ?? ""}
        onSubmit={async (v) => {
          const res = await signup.mutateAsync(v as { email: string; password: string; name?: string });
          if (res.confirmEmail) return setConfirmEmail(v.email);
          if (res.orgId) rememberOrg(res.orgId);
          router.replace(nextParam ? safeNext(nextParam) : "/bots/?new=1");
        }}
      />
    </AuthLayout>
  );
}

export default function SignupPage() {
  return (
    <React.Suspense fallback={<Loading className="p-6" />}>
      <SignupInner />
    </React.Suspense>
  );
}
