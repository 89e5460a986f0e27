"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { useOrg } from "../org-context";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "../ui/dialog";
import { toast } from "../ui/toast";
import { NewOrgForm } from "./new-org-form";

export function NewOrgDialog() {
  const router = useRouter();
  const { setOrgId } = useOrg();
  return (
    <Dialog open onOpenChange={(o) => !o && router.replace("/org/")}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New organization</DialogTitle>
          <DialogDescription>A separate space with its own bots, members and API keys. You will be its owner.</DialogDescription>
        </DialogHeader>
        <NewOrgForm
          id="new-org-name"
          autoFocus
          Actions={DialogFooter}
          onCreated={(o) => {
            setOrgId(o.id);
            toast({ title: `Switched to ${o.name}` });
            router.replace("/bots/");
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
