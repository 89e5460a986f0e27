"use client";
import * as React from "react";
import { useMe } from "@/lib/api/hooks/auth";
import type { OrgBrief } from "@/lib/api/types";

const KEY = "parley.org";

type OrgState = { org: OrgBrief | null; orgs: OrgBrief[]; setOrgId: (id: string) => void };
const Ctx = React.createContext<OrgState>({ org: null, orgs: [], setOrgId: () => undefined });

export function rememberOrg(id: string) {
  localStorage.setItem(KEY, id);
}

/** The organization the dashboard works in: remembered per browser, else the first one. */
export function OrgProvider({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const [orgId, setOrgIdState] = React.useState<string | null>(() => (typeof localStorage !== "undefined" ? localStorage.getItem(KEY) : null));
  const orgs = me.data?.organizations ?? [];
  const org = orgs.find((o) => o.id === orgId) ?? orgs[0] ?? null;
  const setOrgId = React.useCallback((id: string) => {
    rememberOrg(id);
    setOrgIdState(id);
  }, []);
  const value = React.useMemo(() => ({ org, orgs, setOrgId }), [org, orgs, setOrgId]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useOrg() {
  return React.useContext(Ctx);
}

export function canAdmin(role: string | undefined) {
  return role === "owner" || role === "admin";
}
