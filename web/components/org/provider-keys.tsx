"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { useDeleteProviderKey, useProviderKeys, useSetProviderKey } from "@/lib/api/hooks/orgs";
import { errorMessage } from "@/lib/api/errors";
import type { LlmProvider } from "@/lib/api/types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/confirm";
import { ErrorState, Loading } from "@/components/states";
import { timeAgo } from "@/lib/utils";

const PROVIDERS: { id: LlmProvider; name: string; placeholder: string }[] = [
  { id: "groq", name: "Groq", placeholder: "gsk_…" },
  { id: "openai-compatible", name: "OpenAI-compatible endpoint", placeholder: "sk-…" },
];

/** The organization's own LLM keys: bots on that provider use them instead of the server's. */
export function ProviderKeys({ orgId, admin }: { orgId: string; admin: boolean }) {
  const keys = useProviderKeys(admin ? orgId : "");
  return (
    <Card>
      <CardHeader>
        <CardTitle>Model provider keys</CardTitle>
        <CardDescription>
          Bots that answer with Groq or an OpenAI-compatible model use your organization&apos;s key when one is set
          here, and the server&apos;s key otherwise. Keys are stored encrypted and never shown again.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {!admin ? (
          <Alert>Only owners and admins can see or change provider keys.</Alert>
        ) : keys.isLoading ? (
          <Loading />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
        ) : (
          <ul className="divide-y rounded-md border">
            {PROVIDERS.map((provider) => (
              <ProviderKeyRow key={provider.id} orgId={orgId} provider={provider}
                stored={keys.data?.find((k) => k.provider === provider.id)} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function ProviderKeyRow({ orgId, provider, stored }: {
  orgId: string;
  provider: (typeof PROVIDERS)[number];
  stored?: { hint: string; updated_at: string };
}) {
  const save = useSetProviderKey(orgId);
  const remove = useDeleteProviderKey(orgId);
  const [value, setValue] = React.useState("");
  const inputId = `provider-key-${provider.id}`;
  return (
    <li className="space-y-2 p-3">
      <p className="flex flex-wrap items-center gap-2 font-medium">
        {provider.name}
        {stored ? (
          <Badge variant="secondary">set · {stored.hint} · {timeAgo(stored.updated_at)}</Badge>
        ) : (
          <Badge variant="outline">not set: the server&apos;s key is used</Badge>
        )}
      </p>
      <form
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) save.mutate({ provider: provider.id, apiKey: value.trim() }, { onSuccess: () => setValue("") });
        }}
      >
        <div className="flex-1 space-y-1">
          <Label htmlFor={inputId} className="sr-only">{provider.name} API key</Label>
          <Input id={inputId} type="password" autoComplete="off" value={value} maxLength={500}
            placeholder={stored ? "Paste a new key to replace it" : provider.placeholder}
            onChange={(e) => setValue(e.target.value)} />
        </div>
        <Button type="submit" disabled={!value.trim() || save.isPending}>
          {save.isPending && <Loader2 className="animate-spin" aria-hidden />}
          {stored ? "Replace key" : "Save key"}
        </Button>
        {stored && (
          <ConfirmButton title={`Remove the ${provider.name} key?`}
            description="Bots on this provider go back to the server's key, if it has one."
            confirmLabel="Remove key" onConfirm={() => remove.mutateAsync(provider.id)} variant="outline">
            Remove
          </ConfirmButton>
        )}
      </form>
      {save.isError && <Alert variant="destructive">{errorMessage(save.error)}</Alert>}
    </li>
  );
}
