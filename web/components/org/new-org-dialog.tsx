"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { Loader2 } from "lucide-react";
import { useOrg } from "../org-context";
import { useCreateOrg } from "@/lib/api/hooks/orgs";
import { errorMessage } from "@/lib/api/errors";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Label } from "../ui/label";
import { Alert } from "../ui/alert";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "../ui/dialog";
import { toast } from "../ui/toast";

export function NewOrgDialog() {
  const router = useRouter();
  const { setOrgId } = useOrg();
  const create = useCreateOrg();
  const [name, setName] = React.useState("");
  return (
    <Dialog open onOpenChange={(o) => !o && router.replace("/org/")}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New organization</DialogTitle>
          <DialogDescription>A separate space with its own bots, members and API keys. You will be its owner.</DialogDescription>
        </DialogHeader>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            create.mutate(name.trim(), {
              onSuccess: (o) => {
                setOrgId(o.id);
                setName("");
                toast({ title: `Switched to ${o.name}` });
                router.replace("/bots/");
              },
            });
          }}
        >
          <div className="space-y-2">
            <Label htmlFor="new-org-name">Name</Label>
            <Input id="new-org-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus />
          </div>
          {create.isError && <Alert variant="destructive">{errorMessage(create.error)}</Alert>}
          <DialogFooter>
            <Button type="submit" disabled={!name.trim() || create.isPending}>
              {create.isPending && <Loader2 className="animate-spin" aria-hidden />}
              Create organization
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

