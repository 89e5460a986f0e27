"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useAuthProvider, useLogin } from "@/lib/api/hooks/auth";
import { AuthLayout, safeNext } from "@/components/auth/auth-layout";
import { CredentialsForm } from "@/components/auth/auth-forms";
import { Loading } from "@/components/states";

function LoginInner() {
  const params = useSearchParams();
  const router = useRouter();
  const login = useLogin();
  const provider = useAuthProvider();
  const next = safeNext(params.get("next"));
  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back to Parley."
      footer={
        <>
          {provider === "parley" && (
            <>
              <Link className="font-medium text-primary underline underline-offset-4" href="/forgot/">
                Forgot your password?
              </Link>
              <span aria-hidden> · </span>
            </>
          )}
          New here?{" "}
          <Link className="font-medium text-primary underline underline-offset-4" href={`/signup/${params.get("next") ? `?next=${encodeURIComponent(next)}` : ""}`}>
            Create an account
          </Link>
        </>
      }
    >
      <CredentialsForm
        mode="login"
        initialEmail={params.get("email") ?? ""}
        onSubmit={async (v) => {
          await login.mutateAsync(v);
          router.replace(next);
        }}
      />
    </AuthLayout>
  );
}

export default function LoginPage() {
  return (
    <React.Suspense fallback={<Loading className="p-6" />}>
      <LoginInner />
    </React.Suspense>
  );
}
