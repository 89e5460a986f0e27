"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { errorMessage } from "@/lib/api/errors";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";
import { FieldError } from "../states";

export const MIN_PASSWORD = 10;

type Errors = Partial<Record<"name" | "email" | "password" | "form", string>>;

export function validateCredentials(v: { email: string; password: string }, mode: "login" | "signup"): Errors {
  const e: Errors = {};
  if (!v.email.trim()) e.email = "Enter your email address.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) e.email = "Enter an email address like name@example.com.";
  if (!v.password) e.password = "Enter your password.";
  else if (mode === "signup" && v.password.length < MIN_PASSWORD) e.password = `Use at least ${MIN_PASSWORD} characters.`;
  return e;
}

export function CredentialsForm({
  mode,
  onSubmit,
  initialEmail = "",
}: {
  mode: "login" | "signup";
  onSubmit: (v: { name?: string; email: string; password: string }) => Promise<unknown>;
  initialEmail?: string;
}) {
  const [values, setValues] = React.useState({ name: "", email: initialEmail, password: "" });
  const [errors, setErrors] = React.useState<Errors>({});
  const [pending, setPending] = React.useState(false);
  const set = (k: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found = validateCredentials(values, mode);
    setErrors(found);
    if (Object.keys(found).length) {
      const first = (["email", "password"] as const).find((k) => found[k]);
      if (first) document.getElementById(`${mode}-${first}`)?.focus();
      return;
    }
    setPending(true);
    try {
      await onSubmit({ email: values.email.trim(), password: values.password, ...(mode === "signup" && values.name.trim() ? { name: values.name.trim() } : {}) });
    } catch (err) {
      setErrors({ form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  };
  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-label={mode === "login" ? "Sign in" : "Create your account"}>
      {errors.form && <Alert variant="destructive">{errors.form}</Alert>}
      {mode === "signup" && (
        <div className="space-y-2">
          <Label htmlFor="signup-name">Your name (optional)</Label>
          <Input id="signup-name" autoComplete="name" value={values.name} onChange={set("name")} />
        </div>
      )}
      <div className="space-y-2">
        <Label htmlFor={`${mode}-email`}>Email</Label>
        <Input
          id={`${mode}-email`}
          type="email"
          autoComplete="email"
          inputMode="email"
          value={values.email}
          onChange={set("email")}
          aria-invalid={!!errors.email}
          aria-describedby={errors.email ? `${mode}-email-error` : undefined}
        />
        <FieldError id={`${mode}-email-error`}>{errors.email}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor={`${mode}-password`}>Password</Label>
        <Input
          id={`${mode}-password`}
          type="password"
          autoComplete={mode === "login" ? "current-password" : "new-password"}
          value={values.password}
          onChange={set("password")}
          aria-invalid={!!errors.password}
          aria-describedby={[errors.password ? `${mode}-password-error` : "", mode === "signup" ? `${mode}-password-hint` : ""].filter(Boolean).join(" ") || undefined}
        />
        {mode === "signup" && (
          <p id={`${mode}-password-hint`} className="text-xs text-muted-foreground">
            At least {MIN_PASSWORD} characters. A few unrelated words make a strong one.
          </p>
        )}
        <FieldError id={`${mode}-password-error`}>{errors.password}</FieldError>
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 className="animate-spin" aria-hidden />}
        {mode === "login" ? "Sign in" : "Create account"}
      </Button>
    </form>
  );
}
