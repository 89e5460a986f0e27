"use client";
import { Building2 } from "lucide-react";
import { useOrg } from "../org-context";
import { EmptyState } from "../states";
import { NewOrgForm } from "./new-org-form";

/** Shown instead of a page when the account belongs to no organization (a first Supabase sign-in, or removed from the last one). */
export function NoOrganization({ email }: { email?: string }) {
  const { setOrgId } = useOrg();
  return (
    <EmptyState icon={<Building2 className="h-10 w-10" aria-hidden />} title="You are not in an organization yet">
      <p>Bots, knowledge and API keys belong to an organization. Create one to start, or open the invitation link a teammate sent you.</p>
      <div className="mt-4 text-left text-foreground">
        <NewOrgForm id="first-org-name" initialName={email ? `${email.split("@")[0]}'s workspace` : ""} onCreated={(o) => setOrgId(o.id)} />
      </div>
    </EmptyState>
  );
}
