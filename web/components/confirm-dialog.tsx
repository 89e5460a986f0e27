"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { errorMessage } from "@/lib/api/errors";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "./ui/alert-dialog";
import { Button, type ButtonProps } from "./ui/button";
import { Alert } from "./ui/alert";

/** The dialog part of ConfirmButton (loaded on first use). It stays open with the error if the action fails. */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  onConfirm,
  destructive = true,
  children,
  initialOpen,
  onClosed,
  ...rest
}: {
  title: string;
  description?: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  destructive?: boolean;
  children: React.ReactNode;
  initialOpen?: boolean;
  onClosed?: () => void;
} & ButtonProps) {
  const [open, setOpen] = React.useState(!!initialOpen);
  const [pending, setPending] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  return (
    <AlertDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setError(null);
        else onClosed?.();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button {...rest}>{children}</Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          {description && <AlertDialogDescription>{description}</AlertDialogDescription>}
        </AlertDialogHeader>
        {error && <Alert variant="destructive">{error}</Alert>}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button
            variant={destructive ? "destructive" : "default"}
            disabled={pending}
            onClick={async () => {
              setPending(true);
              try {
                await onConfirm();
                setOpen(false);
                onClosed?.();
              } catch (e) {
                setError(errorMessage(e));
              } finally {
                setPending(false);
              }
            }}
          >
            {pending && <Loader2 className="animate-spin" aria-hidden />}
            {confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
