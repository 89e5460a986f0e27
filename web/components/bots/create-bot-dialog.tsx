"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { TEMPLATES } from "@/lib/templates";
import { errorMessage } from "@/lib/api/errors";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "../ui/dialog";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";
import { Alert } from "../ui/alert";
import { cn } from "@/lib/utils";
import type { BotCreateBody } from "@/lib/api/hooks/bots";

export function CreateBotDialog({
  open,
  onOpenChange,
  orgId,
  onCreate,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  orgId: string;
  onCreate: (body: BotCreateBody) => Promise<unknown>;
}) {
  const [templateId, setTemplateId] = React.useState("support");
  const template = TEMPLATES.find((t) => t.id === templateId)!;
  const [name, setName] = React.useState(template.botName);
  const [nameTouched, setNameTouched] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [pending, setPending] = React.useState(false);
  React.useEffect(() => {
    if (!nameTouched) setName(template.botName);
  }, [template, nameTouched]);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>Create a bot</DialogTitle>
          <DialogDescription>Pick a starting point. You can change everything later.</DialogDescription>
        </DialogHeader>
        <form
          className="space-y-5"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!name.trim()) return setError("Give your bot a name.");
            setError(null);
            setPending(true);
            try {
              await onCreate({ org_id: orgId, name: name.trim(), config: template.config, enabled: true, allowed_origins: [] });
            } catch (err) {
              setError(errorMessage(err));
            } finally {
              setPending(false);
            }
          }}
        >
          <fieldset>
            <legend className="mb-2 text-sm font-medium">Template</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              {TEMPLATES.map((t) => (
                <label
                  key={t.id}
                  className={cn(
                    "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-accent/60 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                    templateId === t.id && "border-primary bg-accent/60",
                  )}
                >
                  <input type="radio" name="template" value={t.id} checked={templateId === t.id} onChange={() => setTemplateId(t.id)} className="mt-1 h-4 w-4 accent-[hsl(var(--primary))]" />
                  <span>
                    <span className="block font-medium">{t.name}</span>
                    <span className="block text-muted-foreground">{t.description}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="space-y-2">
            <Label htmlFor="bot-name">Bot name</Label>
            <Input
              id="bot-name"
              value={name}
              maxLength={200}
              onChange={(e) => {
                setNameTouched(true);
                setName(e.target.value);
              }}
            />
          </div>
          {error && <Alert variant="destructive">{error}</Alert>}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending && <Loader2 className="animate-spin" aria-hidden />}
              Create bot
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
