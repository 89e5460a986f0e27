"use client";
import * as React from "react";
import { FileText, Globe, Link2, MessageSquareText, RefreshCw, Trash2, Type, HardDrive } from "lucide-react";
import type { Source } from "@/lib/api/types";
import { useDeleteSource, useResyncSource } from "@/lib/api/hooks/knowledge";
import { errorMessage } from "@/lib/api/errors";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Progress } from "../ui/progress";
import { ConfirmButton } from "../confirm";
import { EmptyState, Pager } from "../states";
import { toast } from "../ui/toast";
import { plural, timeAgo } from "@/lib/utils";

const PAGE = 20;
const ICONS: Record<string, typeof FileText> = { file: FileText, url: Link2, crawl: Globe, text: Type, qa: MessageSquareText, gdrive: HardDrive };
const KIND_LABEL: Record<string, string> = { file: "File", url: "Web page", crawl: "Website", text: "Text", qa: "Q&A", gdrive: "Google Drive" };

export function StatusBadge({ status }: { status: Source["status"] }) {
  const map = {
    queued: ["secondary", "Waiting"],
    processing: ["warning", "Processing"],
    ready: ["success", "Ready"],
    failed: ["destructive", "Failed"],
  } as const;
  const [variant, label] = map[status];
  return <Badge variant={variant}>{label}</Badge>;
}

export function sourceCounts(s: Source): string {
  const p = s.progress;
  if (s.status === "processing") {
    if (p.chunks_total > 0) return `${p.chunks_done} of ${p.chunks_total} passages indexed`;
    if (p.docs_total > 0) return `${p.docs_done} of ${p.docs_total} documents read`;
    return "Reading…";
  }
  if (s.status === "queued") return "Waiting for a worker";
  if (s.status === "failed") return p.docs_done ? `${plural(p.docs_done, "document")} read before the failure` : "";
  return `${plural(p.docs_total || p.docs_done, "document")} · ${plural(p.chunks_total || p.chunks_done, "passage")}`;
}

export function SourceList({ botId, sources }: { botId: string; sources: Source[] }) {
  const del = useDeleteSource(botId);
  const resync = useResyncSource(botId);
  const [page, setPage] = React.useState(0);
  const [filter, setFilter] = React.useState<"all" | Source["status"]>("all");
  const list = filter === "all" ? sources : sources.filter((s) => s.status === filter);
  React.useEffect(() => {
    if (page * PAGE >= list.length && page > 0) setPage(0);
  }, [list.length, page]);
  if (!sources.length)
    return (
      <EmptyState title="No knowledge yet" icon={<FileText className="h-8 w-8" aria-hidden />}>
        Upload documents or add a website above. The bot answers only from what you add here.
      </EmptyState>
    );
  const counts = { all: sources.length, ready: 0, processing: 0, queued: 0, failed: 0 } as Record<string, number>;
  sources.forEach((s) => counts[s.status]++);
  return (
    <div>
      <div className="mb-3 flex flex-wrap gap-2" role="group" aria-label="Filter sources by status">
        {(["all", "ready", "processing", "queued", "failed"] as const)
          .filter((f) => f === "all" || counts[f] > 0)
          .map((f) => (
            <Button key={f} size="sm" variant={filter === f ? "secondary" : "ghost"} aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {f === "all" ? "All" : f === "queued" ? "Waiting" : f.charAt(0).toUpperCase() + f.slice(1)} ({counts[f]})
            </Button>
          ))}
      </div>
      <ul className="divide-y rounded-md border" aria-label="Sources">
        {list.slice(page * PAGE, (page + 1) * PAGE).map((s) => {
          const Icon = ICONS[s.kind] ?? FileText;
          const busy = s.status === "queued" || s.status === "processing";
          const p = s.progress;
          const pct = p.chunks_total ? (p.chunks_done / p.chunks_total) * 100 : p.docs_total ? (p.docs_done / p.docs_total) * 100 : 0;
          return (
            <li key={s.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-start" data-testid="source-row" data-status={s.status}>
              <Icon className="mt-0.5 hidden h-4 w-4 shrink-0 text-muted-foreground sm:block" aria-hidden />
              <div className="min-w-0 flex-1 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-medium" title={s.name}>
                    {s.name}
                  </span>
                  <StatusBadge status={s.status} />
                  <span className="text-xs text-muted-foreground">{KIND_LABEL[s.kind] ?? s.kind}</span>
                </div>
                <p className="text-sm text-muted-foreground">
                  {sourceCounts(s)}
                  {s.last_synced_at && s.status === "ready" ? ` · synced ${timeAgo(s.last_synced_at)}` : ` · added ${timeAgo(s.created_at)}`}
                </p>
                {busy && <Progress value={s.status === "queued" ? 0 : pct} label={`${s.name}: processing`} className="max-w-md" />}
                {s.status === "failed" && s.error && (
                  <p className="text-sm text-destructive">
                    {s.error} <span className="text-muted-foreground">Re-sync to try again, or delete it and add a fixed version.</span>
                  </p>
                )}
                {s.note && <p className="text-sm text-muted-foreground">{s.note}</p>}
              </div>
              <div className="flex gap-1 self-end sm:self-start">
                <Button
                  variant="ghost"
                  size="sm"
                  disabled={busy || resync.isPending}
                  onClick={() =>
                    resync.mutate(s.id, {
                      onSuccess: () => toast({ title: `Re-syncing ${s.name}` }),
                      onError: (e) => toast({ title: "Could not re-sync", description: errorMessage(e), variant: "destructive" }),
                    })
                  }
                  aria-label={`Re-sync ${s.name}`}
                >
                  <RefreshCw aria-hidden />
                  <span className="hidden lg:inline">Re-sync</span>
                </Button>
                <ConfirmButton
                  title={`Delete ${s.name}?`}
                  description="The bot stops using its passages at once."
                  confirmLabel="Delete"
                  onConfirm={() => del.mutateAsync(s.id)}
                  variant="ghost"
                  size="sm"
                  aria-label={`Delete ${s.name}`}
                >
                  <Trash2 aria-hidden />
                  <span className="hidden lg:inline">Delete</span>
                </ConfirmButton>
              </div>
            </li>
          );
        })}
      </ul>
      <Pager page={page} pageSize={PAGE} total={list.length} onPage={setPage} label="sources" />
    </div>
  );
}
