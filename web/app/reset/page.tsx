"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Loader2 } from "lucide-react";
import { useConfirmPasswordReset } from "@/lib/api/hooks/auth";
import { errorMessage } from "@/lib/api/errors";
import { AuthLayout } from "@/components/auth/auth-layout";
import { MIN_PASSWORD } from "@/components/auth/auth-forms";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Loading } from "@/components/states";

function ResetInner() {
  const token = useSearchParams().get("token") ?? "";
  const router = useRouter();
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = React.useState("");
  const [repeat, setRepeat] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="You'll be signed in, and signed out everywhere else."
      footer={
        <Link className="font-medium text-primary underline underline-offset-4" href="/forgot/">
          Ask for a new link
        </Link>
      }
    >
      <form
        noValidate
        className="space-y-4"
        aria-label="Choose a new password"
        onSubmit={async (e) => {
          e.preventDefault();
          if (password.length < MIN_PASSWORD) return setError(`Use at least ${MIN_PASSWORD} characters.`);
          if (password !== repeat) return setError("The two passwords are not the same.");
          setError(null);
          try {
            await confirm.mutateAsync({ token, new_password: password });
            router.replace("/bots/");
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        {!token && <Alert variant="destructive">This page needs the link from the reset email.</Alert>}
        {error && <Alert variant="destructive">{error}</Alert>}
        <div className="space-y-2">
          <Label htmlFor="reset-password">New password</Label>
          <Input id="reset-password" type="password" autoComplete="new-password" value={password}
                 onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="space-y-2">
          <Label htmlFor="reset-repeat">Repeat the new password</Label>
          <Input id="reset-repeat" type="password" autoComplete="new-password" value={repeat}
                 onChange={(e) => setRepeat(e.target.value)} />
        </div>
        <Button type="submit" className="w-full" disabled={confirm.isPending || !token}>
          {confirm.isPending && <Loader2 className="animate-spin" aria-hidden />}
          Set the new password
        </Button>
      </form>
    </AuthLayout>
  );
}

export default function ResetPasswordPage() {
  return (
    <React.Suspense fallback={<Loading className="p-6" />}>
      <ResetInner />
    </React.Suspense>
  );
}
