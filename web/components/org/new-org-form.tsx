"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { useCreateOrg } from "@/lib/api/hooks/orgs";
import { errorMessage } from "@/lib/api/errors";
import type { Org } from "@/lib/api/types";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";

/** Name a new organization and create it (the caller becomes its owner). */
export function NewOrgForm({
  id,
  initialName = "",
  autoFocus,
  onCreated,
  Actions = "div",
}: {
  id: string;
  initialName?: string;
  autoFocus?: boolean;
  onCreated: (org: Org) => void;
  Actions?: React.ElementType;
}) {
  const create = useCreateOrg();
  const [name, setName] = React.useState(initialName);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) create.mutate(name.trim(), { onSuccess: onCreated });
      }}
    >
      <div className="space-y-2">
        <Label htmlFor={id}>Name</Label>
        <Input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus={autoFocus} />
      </div>
      {create.isError && <Alert variant="destructive">{errorMessage(create.error)}</Alert>}
      <Actions>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          {create.isPending && <Loader2 className="animate-spin" aria-hidden />}
          Create organization
        </Button>
      </Actions>
    </form>
  );
}
