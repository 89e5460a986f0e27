"use client";
import * as React from "react";
import { errorMessage } from "@/lib/api/errors";
import type { Source } from "@/lib/api/types";
import { phaseFromSource, precheck, uploadFile, type UploadItem, type UploadTransport } from "@/lib/upload";

const CONCURRENCY = 2;
let seq = 0;

/**
 * Files wait, upload (two at a time, each with its byte progress), then follow their source's
 * status from the polled source list until ready or failed.
 * The list lives in a ref (the source of truth, no side effects inside state updaters) mirrored to state.
 */
export function useUploadQueue(botId: string, sources: Source[] | undefined, opts: { transport?: UploadTransport; onUploaded?: () => void } = {}) {
  const [items, setItems] = React.useState<UploadItem[]>([]);
  const list = React.useRef<UploadItem[]>([]);
  const files = React.useRef(new Map<string, File>());
  const running = React.useRef(0);
  const optsRef = React.useRef(opts);
  optsRef.current = opts;

  const commit = React.useCallback((next: UploadItem[]) => {
    list.current = next;
    setItems(next);
  }, []);
  const patch = React.useCallback(
    (key: string, p: Partial<UploadItem>) => commit(list.current.map((it) => (it.key === key ? { ...it, ...p } : it))),
    [commit],
  );

  const pump = React.useCallback(() => {
    while (running.current < CONCURRENCY) {
      const it = list.current.find((x) => x.phase === "waiting");
      if (!it) return;
      running.current++;
      patch(it.key, { phase: "uploading" });
      const file = files.current.get(it.key)!;
      uploadFile(botId, file, (f) => patch(it.key, { uploaded: f }), { transport: optsRef.current.transport })
        .then((created) => {
          const src = created[0];
          patch(it.key, { uploaded: 1, sourceId: src?.id, ...(src ? phaseFromSource(src) : { phase: "ready" }) });
          optsRef.current.onUploaded?.();
        })
        .catch((e) => patch(it.key, { phase: "failed", error: errorMessage(e) }))
        .finally(() => {
          running.current--;
          files.current.delete(it.key);
          pump();
        });
    }
  }, [botId, patch]);

  const add = React.useCallback(
    (incoming: File[]) => {
      const fresh: UploadItem[] = incoming.map((file) => {
        const key = `u${++seq}`;
        const problem = precheck(file);
        if (!problem) files.current.set(key, file);
        return { key, name: file.name, size: file.size, phase: problem ? "failed" : "waiting", uploaded: 0, error: problem ?? undefined };
      });
      commit([...list.current, ...fresh]);
      pump();
    },
    [commit, pump],
  );

  // Follow processing through the polled source list.
  React.useEffect(() => {
    if (!sources) return;
    let changed = false;
    const next = list.current.map((it) => {
      if (!it.sourceId || it.phase === "ready" || it.phase === "failed") return it;
      const s = sources.find((x) => x.id === it.sourceId);
      if (!s) return it;
      const p = phaseFromSource(s);
      if (p.phase === it.phase && p.error === it.error) return it;
      changed = true;
      return { ...it, ...p };
    });
    if (changed) commit(next);
  }, [sources, commit]);

  const clearFinished = React.useCallback(() => commit(list.current.filter((it) => it.phase !== "ready" && it.phase !== "failed")), [commit]);
  const dismiss = React.useCallback((key: string) => commit(list.current.filter((it) => it.key !== key)), [commit]);

  return { items, add, clearFinished, dismiss };
}
