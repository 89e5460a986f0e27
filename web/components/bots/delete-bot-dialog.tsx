"use client";
import * as React from "react";
import { useDeleteBot } from "@/lib/api/hooks/bots";
import { errorMessage } from "@/lib/api/errors";
import type { Bot } from "@/lib/api/types";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "../ui/alert-dialog";
import { Alert } from "../ui/alert";
import { toast } from "../ui/toast";

export function DeleteBotDialog({ bot, onClose }: { bot: Bot | null; onClose: () => void }) {
  const del = useDeleteBot();
  const [typed, setTyped] = React.useState("");
  React.useEffect(() => {
    setTyped("");
    del.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bot?.id]);
  return (
    <AlertDialog open={!!bot} onOpenChange={(o) => !o && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete &ldquo;{bot?.name}&rdquo;?</AlertDialogTitle>
          <AlertDialogDescription>
            Its knowledge, conversations and embed code are deleted too. Sites that embed it will stop showing the chat. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <div className="space-y-2">
          <label htmlFor="confirm-delete" className="text-sm">
            Type <strong>{bot?.name}</strong> to confirm
          </label>
          <Input id="confirm-delete" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </div>
        {del.isError && <Alert variant="destructive">{errorMessage(del.error)}</Alert>}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button
            variant="destructive"
            disabled={typed.trim() !== bot?.name.trim() || del.isPending}
            onClick={() =>
              bot &&
              del.mutate(bot, {
                onSuccess: () => {
                  toast({ title: `Deleted "${bot.name}"` });
                  onClose();
                },
              })
            }
          >
            Delete bot
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

