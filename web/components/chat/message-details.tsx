"use client";
import * as React from "react";
import { Wrench } from "lucide-react";
import type { Citation, ToolCall } from "@/lib/api/types";
import { Badge } from "../ui/badge";

function pretty(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v, null, 2);
  } catch {
    return String(v);
  }
}

export function Citations({ citations }: { citations: Citation[] }) {
  if (!citations.length) return <p className="text-sm text-muted-foreground">No sources were cited.</p>;
  return (
    <ol className="space-y-2" aria-label="Cited sources">
      {citations.map((c, i) => (
        <li key={i} className="rounded-md border p-3 text-sm" data-testid="citation">
          <p className="font-medium">
            [{i + 1}] {c.title || c.source}
            {c.location && <span className="font-normal text-muted-foreground"> · {c.location}</span>}
          </p>
          {c.snippet && <p className="mt-1 whitespace-pre-wrap text-muted-foreground">{c.snippet}</p>}
          {c.title && c.source && c.source !== c.title && <p className="mt-1 truncate text-xs text-muted-foreground">{c.source}</p>}
        </li>
      ))}
    </ol>
  );
}

export function ToolCalls({ calls }: { calls: ToolCall[] }) {
  if (!calls.length) return <p className="text-sm text-muted-foreground">No tools were used.</p>;
  return (
    <ol className="space-y-2" aria-label="Tool calls">
      {calls.map((t, i) => (
        <li key={i} className="rounded-md border p-3 text-sm">
          <p className="flex items-center gap-2 font-medium">
            <Wrench className="h-4 w-4" aria-hidden />
            <span className="font-mono">{t.name}</span>
            {t.status && <Badge variant={t.status === "error" || t.error ? "destructive" : "secondary"}>{t.status}</Badge>}
          </p>
          {t.arguments !== undefined && (
            <details className="mt-2">
              <summary className="cursor-pointer text-xs text-muted-foreground">Arguments</summary>
              <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 text-xs">{pretty(t.arguments)}</pre>
            </details>
          )}
          {t.result !== undefined && (
            <details className="mt-2">
              <summary className="cursor-pointer text-xs text-muted-foreground">Result</summary>
              <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 text-xs">{pretty(t.result)}</pre>
            </details>
          )}
          {t.error && <p className="mt-1 text-destructive">{t.error}</p>}
        </li>
      ))}
    </ol>
  );
}
