"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { errorMessage } from "@/lib/api/errors";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";
import { FieldError } from "../states";
import { MIN_PASSWORD } from "./auth-forms";

type Errors = Partial<Record<"current" | "next" | "confirm" | "form", string>>;

export function validatePasswordChange(v: { current: string; next: string; confirm: string }): Errors {
  const e: Errors = {};
  if (!v.current) e.current = "Enter your current password.";
  if (v.next.length < MIN_PASSWORD) e.next = `Use at least ${MIN_PASSWORD} characters.`;
  else if (v.next === v.current) e.next = "Choose a password different from the current one.";
  if (v.confirm !== v.next) e.confirm = "The two new passwords are not the same.";
  return e;
}

export function ChangePasswordForm({ onSubmit }: { onSubmit: (v: { current_password: string; new_password: string }) => Promise<unknown> }) {
  const [v, setV] = React.useState({ current: "", next: "", confirm: "" });
  const [errors, setErrors] = React.useState<Errors>({});
  const [pending, setPending] = React.useState(false);
  const [done, setDone] = React.useState(false);
  const field = (k: "current" | "next" | "confirm", label: string, autoComplete: string) => (
    <div className="space-y-2">
      <Label htmlFor={`pw-${k}`}>{label}</Label>
      <Input
        id={`pw-${k}`}
        type="password"
        autoComplete={autoComplete}
        value={v[k]}
        onChange={(e) => {
          setDone(false);
          setV((s) => ({ ...s, [k]: e.target.value }));
        }}
        aria-invalid={!!errors[k]}
        aria-describedby={errors[k] ? `pw-${k}-error` : undefined}
      />
      <FieldError id={`pw-${k}-error`}>{errors[k]}</FieldError>
    </div>
  );
  return (
    <form
      noValidate
      className="max-w-sm space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const found = validatePasswordChange(v);
        setErrors(found);
        if (Object.keys(found).length) return;
        setPending(true);
        try {
          await onSubmit({ current_password: v.current, new_password: v.next });
          setV({ current: "", next: "", confirm: "" });
          setDone(true);
        } catch (err) {
          setErrors({ form: errorMessage(err) });
        } finally {
          setPending(false);
        }
      }}
    >
      {errors.form && <Alert variant="destructive">{errors.form}</Alert>}
      {done && <Alert variant="success">Password changed. Other devices have been signed out.</Alert>}
      {field("current", "Current password", "current-password")}
      {field("next", "New password", "new-password")}
      {field("confirm", "Repeat the new password", "new-password")}
      <Button type="submit" disabled={pending}>
        {pending && <Loader2 className="animate-spin" aria-hidden />}
        Change password
      </Button>
    </form>
  );
}
