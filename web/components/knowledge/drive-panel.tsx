"use client";
import * as React from "react";
import { Loader2, Trash2 } from "lucide-react";
import { useAddSource } from "@/lib/api/hooks/knowledge";
import { useAddServiceAccount, useDeleteDriveConnection, useDriveConnections, useStartDriveOAuth } from "@/lib/api/hooks/drive";
import { errorMessage } from "@/lib/api/errors";
import { buildDriveSourceBody, serviceAccountKeyProblem } from "@/lib/drive";
import type { DriveConnection } from "@/lib/api/types";
import { Field } from "../field";
import { Input } from "../ui/input";
import { Textarea } from "../ui/textarea";
import { Button } from "../ui/button";
import { Alert } from "../ui/alert";
import { NativeSelect } from "../ui/native-select";
import { toast } from "../ui/toast";
import { ErrorState, Loading } from "../states";
import { cn } from "@/lib/utils";

/** What the OAuth callback put in the address when it sent the browser back here. */
function useOAuthOutcome(): { connected: boolean; error: string | null } {
  const [outcome, setOutcome] = React.useState<{ connected: boolean; error: string | null }>({ connected: false, error: null });
  React.useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const error = params.get("drive_error");
    if (params.get("drive") === "connected" || error) {
      setOutcome({ connected: params.get("drive") === "connected", error });
      params.delete("drive");
      params.delete("drive_error");
      params.delete("connection");
      const query = params.toString();
      window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
    }
  }, []);
  return outcome;
}

export function DrivePanel({ botId, orgId }: { botId: string; orgId: string }) {
  const connections = useDriveConnections(orgId);
  const outcome = useOAuthOutcome();
  return (
    <div className="space-y-6">
      {outcome.connected && <Alert variant="success">Google Drive is connected. Add a folder or files below.</Alert>}
      {outcome.error && <Alert variant="destructive">{outcome.error}</Alert>}
      <section aria-labelledby="drive-connections" className="space-y-3">
        <h3 id="drive-connections" className="text-sm font-semibold">
          Connections
        </h3>
        {connections.isLoading ? (
          <Loading />
        ) : connections.isError ? (
          <ErrorState error={connections.error} onRetry={() => connections.refetch()} />
        ) : (
          <ConnectionList orgId={orgId} connections={connections.data ?? []} />
        )}
        <Connect botId={botId} orgId={orgId} />
      </section>
      {!!connections.data?.length && (
        <section aria-labelledby="drive-add" className="space-y-3">
          <h3 id="drive-add" className="text-sm font-semibold">
            Add from Drive
          </h3>
          <AddDriveSource botId={botId} connections={connections.data} />
        </section>
      )}
    </div>
  );
}

function ConnectionList({ orgId, connections }: { orgId: string; connections: DriveConnection[] }) {
  const remove = useDeleteDriveConnection(orgId);
  if (!connections.length) return <p className="text-sm text-muted-foreground">No Google Drive connection yet.</p>;
  return (
    <ul className="divide-y rounded-md border">
      {connections.map((c) => (
        <li key={c.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
          <span>
            <span className="font-medium">{c.label}</span>{" "}
            <span className="text-muted-foreground">{c.kind === "oauth" ? "Google sign-in" : "Service account"}</span>
          </span>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove the connection ${c.label}`}
            disabled={remove.isPending}
            onClick={() => {
              if (!window.confirm(`Remove "${c.label}"? Drive sources using it will fail on their next sync.`)) return;
              remove.mutate(c.id, { onError: (err) => toast({ title: "Could not remove it", description: errorMessage(err) }) });
            }}
          >
            <Trash2 aria-hidden />
          </Button>
        </li>
      ))}
    </ul>
  );
}

function Connect({ botId, orgId }: { botId: string; orgId: string }) {
  const start = useStartDriveOAuth(orgId);
  const addKey = useAddServiceAccount(orgId);
  const [keyText, setKeyText] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const submitKey = (text: string) => {
    const problem = serviceAccountKeyProblem(text);
    if (problem) return setError(problem);
    setError(null);
    addKey.mutate(text, {
      onSuccess: (c) => {
        setKeyText("");
        toast({ title: "Google Drive connected", description: `Share folders with ${c.label} so Parley can read them.` });
      },
      onError: (err) => setError(errorMessage(err)),
    });
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          variant="outline"
          disabled={start.isPending}
          onClick={() =>
            start.mutate(`/bots/?id=${encodeURIComponent(botId)}&tab=knowledge`, {
              onSuccess: (url) => window.location.assign(url),
              onError: (err) => setError(errorMessage(err)),
            })
          }
        >
          {start.isPending && <Loader2 className="animate-spin" aria-hidden />}
          Connect with Google
        </Button>
        <span className="text-sm text-muted-foreground">or use a service-account key:</span>
        <label className={cn("cursor-pointer text-sm font-medium text-primary underline-offset-4 hover:underline", addKey.isPending && "opacity-60")}>
          Choose the JSON key file
          <input
            type="file"
            accept="application/json,.json"
            className="sr-only"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) submitKey(await file.text());
            }}
          />
        </label>
      </div>
      <Field id="drive-sa-key" label="Or paste the service-account key" hint="Parley checks the key with Google, then stores it encrypted. It is never shown again.">
        <Textarea rows={3} value={keyText} placeholder='{"type": "service_account", ...}' onChange={(e) => setKeyText(e.target.value)} />
      </Field>
      {error && <Alert variant="destructive">{error}</Alert>}
      <Button type="button" variant="secondary" disabled={!keyText.trim() || addKey.isPending} onClick={() => submitKey(keyText)}>
        {addKey.isPending && <Loader2 className="animate-spin" aria-hidden />}
        Connect the service account
      </Button>
    </div>
  );
}

function AddDriveSource({ botId, connections }: { botId: string; connections: DriveConnection[] }) {
  const add = useAddSource(botId);
  const [v, setV] = React.useState({ connectionId: connections[0]?.id ?? "", mode: "folder" as "folder" | "files", folder: "", files: "", name: "" });
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    if (!connections.some((c) => c.id === v.connectionId)) setV((s) => ({ ...s, connectionId: connections[0]?.id ?? "" }));
  }, [connections, v.connectionId]);
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const body = buildDriveSourceBody(v);
        if (typeof body === "string") return setError(body);
        setError(null);
        add.mutate(body, {
          onSuccess: () => {
            toast({ title: "Drive source added", description: "Its files are read in the background; it appears in the list below." });
            setV((s) => ({ ...s, folder: "", files: "", name: "" }));
          },
          onError: (err) => setError(errorMessage(err)),
        });
      }}
    >
      <Field id="drive-connection" label="Read with">
        <NativeSelect value={v.connectionId} onChange={(e) => setV((s) => ({ ...s, connectionId: e.target.value }))}>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <div role="radiogroup" aria-label="What to read" className="inline-flex gap-1 rounded-md bg-muted p-1">
        {(
          [
            ["folder", "A folder"],
            ["files", "Some files"],
          ] as const
        ).map(([mode, label]) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={v.mode === mode}
            onClick={() => setV((s) => ({ ...s, mode }))}
            className={cn(
              "rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              v.mode === mode ? "bg-background shadow-sm" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {label}
          </button>
        ))}
      </div>
      {v.mode === "folder" ? (
        <Field id="drive-folder" label="Folder link or id" hint="Subfolders are read too. Docs, Sheets, Slides, PDF, Word, text and Markdown files are indexed.">
          <Input value={v.folder} placeholder="https://drive.google.com/drive/folders/…" onChange={(e) => setV((s) => ({ ...s, folder: e.target.value }))} />
        </Field>
      ) : (
        <Field id="drive-files" label="File links or ids" hint="One per line.">
          <Textarea rows={3} value={v.files} placeholder="https://docs.google.com/document/d/…/edit" onChange={(e) => setV((s) => ({ ...s, files: e.target.value }))} />
        </Field>
      )}
      <Field id="drive-name" label="Name (optional)">
        <Input value={v.name} maxLength={300} placeholder="e.g. Support handbook" onChange={(e) => setV((s) => ({ ...s, name: e.target.value }))} />
      </Field>
      {error && <Alert variant="destructive">{error}</Alert>}
      <Button type="submit" disabled={add.isPending}>
        {add.isPending && <Loader2 className="animate-spin" aria-hidden />}
        Add from Drive
      </Button>
    </form>
  );
}
