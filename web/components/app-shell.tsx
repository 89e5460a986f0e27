"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Bot, Building2, KeyRound, LogOut, Menu, Monitor, Moon, ScrollText, Sun, UserRound, X } from "lucide-react";
import { useMe, useLogout } from "@/lib/api/hooks/auth";
import { getSession, onSessionChange } from "@/lib/session";
import { confirmLeave } from "@/lib/unsaved";
import { getThemePref, setThemePref, type ThemePref } from "@/lib/theme";
import { cn } from "@/lib/utils";
import { OrgProvider, useOrg } from "./org-context";
import { Button } from "./ui/button";
import { NativeSelect } from "./ui/native-select";
import { ErrorState, Loading } from "./states";
import { Logo } from "./logo";
import { NoOrganization } from "./org/no-organization";

function useSignedIn(): boolean | null {
  const subscribe = React.useCallback((cb: () => void) => onSessionChange(cb), []);
  return React.useSyncExternalStore(
    subscribe,
    () => getSession() !== null,
    () => null,
  );
}

/** Pages inside the dashboard: needs a session (else goes to /login/), shows navigation. */
export function AppShell({ children, title }: { children: React.ReactNode; title?: string }) {
  const signedIn = useSignedIn();
  const router = useRouter();
  React.useEffect(() => {
    if (signedIn === false) {
      const next = window.location.pathname + window.location.search;
      router.replace(`/login/?next=${encodeURIComponent(next)}`);
    }
  }, [signedIn, router]);
  React.useEffect(() => {
    if (title) document.title = `${title} · Parley`;
  }, [title]);
  if (!signedIn) return <Loading label="Checking your session…" className="p-6" />;
  return (
    <OrgProvider>
      <Shell>{children}</Shell>
    </OrgProvider>
  );
}

const NAV = [
  { href: "/bots/", label: "Bots", icon: Bot },
  { href: "/org/", label: "Team", icon: Building2 },
  { href: "/org/api-keys/", label: "API keys", icon: KeyRound },
  { href: "/org/audit/", label: "Audit log", icon: ScrollText },
  { href: "/account/", label: "Account", icon: UserRound },
];

export function GuardedLink({ href, onClick, ...props }: React.ComponentProps<typeof Link>) {
  return (
    <Link
      href={href}
      onClick={(e) => {
        if (!confirmLeave()) e.preventDefault();
        onClick?.(e);
      }}
      {...props}
    />
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const pathname = usePathname();
  const [open, setOpen] = React.useState(false);
  React.useEffect(() => {
    setOpen(false);
  }, [pathname]);
  const nav = (
    <ul className="flex flex-col gap-1">
      {NAV.map(({ href, label, icon: Icon }) => {
        const active = href === "/org/" ? pathname === "/org/" || pathname === "/org" : pathname?.startsWith(href.replace(/\/$/, ""));
        return (
          <li key={href}>
            <GuardedLink
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                active ? "bg-accent text-accent-foreground" : "text-muted-foreground",
              )}
            >
              <Icon className="h-4 w-4" aria-hidden />
              {label}
            </GuardedLink>
          </li>
        );
      })}
    </ul>
  );
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <a href="#main" className="sr-only z-50 rounded bg-background px-3 py-2 focus:not-sr-only focus:absolute focus:left-2 focus:top-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background px-3 md:hidden">
        <Button variant="ghost" size="icon" aria-expanded={open} aria-controls="mobile-nav" onClick={() => setOpen((o) => !o)}>
          {open ? <X aria-hidden /> : <Menu aria-hidden />}
          <span className="sr-only">{open ? "Close menu" : "Open menu"}</span>
        </Button>
        <Logo />
        <div className="ml-auto">
          <ThemeMenu />
        </div>
      </header>
      {open && (
        <nav id="mobile-nav" aria-label="Main" className="border-b bg-background p-3 md:hidden">
          <OrgSwitcher />
          <div className="mt-3">{nav}</div>
          <UserMenu email={me.data?.user?.email} />
        </nav>
      )}
      <aside className="hidden border-r bg-muted/40 md:flex md:min-h-screen md:flex-col md:gap-4 md:p-4">
        <div className="flex items-center justify-between">
          <Logo />
          <ThemeMenu />
        </div>
        <OrgSwitcher />
        <nav aria-label="Main">{nav}</nav>
        <div className="mt-auto">
          <UserMenu email={me.data?.user?.email} />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 focus:outline-none sm:px-6 lg:px-10">
        {me.isError ? (
          <ErrorState error={me.error} title="Your account could not be loaded" onRetry={() => me.refetch()} />
        ) : me.data?.user && !me.data.organizations.length && !pathname?.startsWith("/account") ? (
          <NoOrganization email={me.data.user.email} />
        ) : (
          children
        )}
      </main>
    </div>
  );
}

function OrgSwitcher() {
  const { org, orgs, setOrgId } = useOrg();
  const router = useRouter();
  const id = React.useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="text-xs font-medium text-muted-foreground">
        Organization
      </label>
      <NativeSelect
        id={id}
        value={org?.id ?? ""}
        onChange={(e) => {
          const v = e.target.value;
          if (v === "__new") {
            if (confirmLeave()) router.push("/org/?new=1");
            return;
          }
          if (v === org?.id || !confirmLeave()) return;
          setOrgId(v);
          router.push("/bots/");
        }}
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
          </option>
        ))}
        <option value="__new">+ New organization…</option>
      </NativeSelect>
    </div>
  );
}

const THEMES: { value: ThemePref; label: string; icon: typeof Sun }[] = [
  { value: "light", label: "Light theme", icon: Sun },
  { value: "dark", label: "Dark theme", icon: Moon },
  { value: "system", label: "Theme of your device", icon: Monitor },
];

export function ThemeMenu() {
  const [pref, setPref] = React.useState<ThemePref>("system");
  React.useEffect(() => {
    setPref(getThemePref());
  }, []);
  return (
    <div role="group" aria-label="Theme" className="inline-flex rounded-md border p-0.5">
      {THEMES.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          aria-pressed={pref === value}
          aria-label={label}
          title={label}
          onClick={() => {
            setThemePref(value);
            setPref(value);
          }}
          className={cn(
            "rounded p-1.5 text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
            pref === value && "bg-accent text-foreground",
          )}
        >
          <Icon className="h-4 w-4" aria-hidden />
        </button>
      ))}
    </div>
  );
}

function UserMenu({ email }: { email?: string }) {
  const logout = useLogout();
  const router = useRouter();
  return (
    <div className="mt-3 flex items-center gap-2 border-t pt-3">
      <span className="min-w-0 flex-1 truncate text-sm text-muted-foreground" title={email}>
        {email ?? ""}
      </span>
      <Button
        variant="ghost"
        size="sm"
        disabled={logout.isPending}
        onClick={() => {
          if (!confirmLeave()) return;
          logout.mutate(undefined, { onSettled: () => router.replace("/login/") });
        }}
      >
        <LogOut aria-hidden />
        Sign out
      </Button>
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <div className="mt-1 text-sm text-muted-foreground">{description}</div>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}
