"use client";
import * as React from "react";
import Link from "next/link";
import { Loader2 } from "lucide-react";
import { useAuthProvider, useRequestPasswordReset } from "@/lib/api/hooks/auth";
import { errorMessage } from "@/lib/api/errors";
import { AuthLayout } from "@/components/auth/auth-layout";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export default function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const provider = useAuthProvider();
  const [email, setEmail] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="We'll email you a link to choose a new one."
      footer={
        <Link className="font-medium text-primary underline underline-offset-4" href="/login/">
          Back to sign in
        </Link>
      }
    >
      {provider === "supabase" ? (
        <Alert>
          This server signs you in with Supabase Auth, so its own reset links would not change that password. Ask your
          administrator to send you a password recovery email from Supabase.
        </Alert>
      ) : request.isSuccess ? (
        <Alert variant="success">
          If an account uses {email}, a reset link is on its way. It works once, for an hour. (Without email set up on
          the server, the link is in the server log.)
        </Alert>
      ) : (
        <form
          noValidate
          className="space-y-4"
          aria-label="Reset password"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!/^\S+@\S+\.\S+$/.test(email)) return setError("Enter an email address like name@example.com.");
            setError(null);
            try {
              await request.mutateAsync({ email });
            } catch (err) {
              setError(errorMessage(err));
            }
          }}
        >
          {error && <Alert variant="destructive">{error}</Alert>}
          <div className="space-y-2">
            <Label htmlFor="forgot-email">Email</Label>
            <Input id="forgot-email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <Button type="submit" className="w-full" disabled={request.isPending}>
            {request.isPending && <Loader2 className="animate-spin" aria-hidden />}
            Send the reset link
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
