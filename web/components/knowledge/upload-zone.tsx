"use client";
import * as React from "react";
import { CheckCircle2, FileText, Loader2, UploadCloud, X, XCircle } from "lucide-react";
import type { Source } from "@/lib/api/types";
import { ACCEPT, MAX_FILE_MB, overallPercent, type UploadItem } from "@/lib/upload";
import { Progress } from "../ui/progress";
import { Button } from "../ui/button";
import { cn, formatBytes } from "@/lib/utils";

export function UploadZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = React.useRef<HTMLInputElement>(null);
  const [over, setOver] = React.useState(false);
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = Array.from(e.dataTransfer.files ?? []);
        if (files.length) onFiles(files);
      }}
      className={cn("flex flex-col items-center gap-3 rounded-lg border-2 border-dashed p-6 text-center transition-colors sm:p-8", over ? "border-primary bg-accent" : "border-border")}
      data-testid="dropzone"
    >
      <UploadCloud className="h-8 w-8 text-muted-foreground" aria-hidden />
      <div>
        <p className="font-medium">Drop files here to add them</p>
        <p className="text-sm text-muted-foreground">
          PDF, Word (.docx), HTML, Markdown, text or CSV · up to {MAX_FILE_MB} MB each · many at once
        </p>
      </div>
      <Button type="button" variant="outline" onClick={() => input.current?.click()}>
        Choose files
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        aria-label="Upload files"
        tabIndex={-1}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          if (files.length) onFiles(files);
          e.target.value = "";
        }}
      />
    </div>
  );
}

function phaseText(it: UploadItem, pct: number, s?: Source): string {
  switch (it.phase) {
    case "waiting":
      return "Waiting to upload";
    case "uploading":
      return `Uploading… ${Math.round(it.uploaded * 100)}%`;
    case "processing": {
      const p = s?.progress;
      if (!s || s.status === "queued") return "Uploaded · queued for processing";
      if (p && p.chunks_total > 0) return `Processing… ${p.chunks_done} of ${p.chunks_total} passages`;
      return `Processing… ${pct}%`;
    }
    case "ready":
      return s ? `Ready · ${s.progress.chunks_total} passages` : "Ready";
    case "failed":
      return it.error ?? "Failed";
  }
}

export function UploadList({ items, sources, onDismiss, onClear }: { items: UploadItem[]; sources: Source[]; onDismiss: (k: string) => void; onClear: () => void }) {
  if (!items.length) return null;
  const finished = items.filter((i) => i.phase === "ready" || i.phase === "failed").length;
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold">Uploads</h3>
        {finished > 0 && (
          <Button variant="ghost" size="sm" onClick={onClear}>
            Clear finished
          </Button>
        )}
      </div>
      <ul className="space-y-2" aria-label="Upload progress">
        {items.map((it) => {
          const s = sources.find((x) => x.id === it.sourceId);
          const pct = overallPercent(it, s);
          const text = phaseText(it, pct, s);
          const Icon = it.phase === "ready" ? CheckCircle2 : it.phase === "failed" ? XCircle : it.phase === "waiting" ? FileText : Loader2;
          return (
            <li key={it.key} className="rounded-md border p-3" data-phase={it.phase} data-testid="upload-item">
              <div className="flex items-center gap-2 text-sm">
                <Icon
                  className={cn(
                    "h-4 w-4 shrink-0",
                    it.phase === "ready" && "text-success",
                    it.phase === "failed" && "text-destructive",
                    (it.phase === "uploading" || it.phase === "processing") && "animate-spin text-muted-foreground",
                  )}
                  aria-hidden
                />
                <span className="min-w-0 flex-1 truncate font-medium">{it.name}</span>
                <span className="shrink-0 text-xs text-muted-foreground">{formatBytes(it.size)}</span>
                {(it.phase === "ready" || it.phase === "failed") && (
                  <button type="button" className="rounded p-0.5 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" onClick={() => onDismiss(it.key)}>
                    <X className="h-4 w-4" aria-hidden />
                    <span className="sr-only">Dismiss {it.name}</span>
                  </button>
                )}
              </div>
              <Progress
                className="mt-2"
                value={pct}
                label={`${it.name}: ${text}`}
                indicatorClassName={it.phase === "failed" ? "bg-destructive" : it.phase === "ready" ? "bg-success" : undefined}
              />
              <p className={cn("mt-1 text-xs", it.phase === "failed" ? "text-destructive" : "text-muted-foreground")} aria-live="polite">
                {text}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
