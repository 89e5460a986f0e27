import { accessToken, refreshSession } from "./session";
import { ApiError, toApiError } from "./api/errors";
import type { Source } from "./api/types";

export const MAX_FILE_MB = 25;
export const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024;
export const ACCEPT = ".pdf,.docx,.html,.htm,.md,.markdown,.txt,.text,.csv";

/** A reason to refuse a file before sending it, in plain words; null when it may go. */
export function precheck(file: File): string | null {
  if (file.size > MAX_FILE_BYTES) return `Too large: ${file.name} is over ${MAX_FILE_MB} MB. Split it into smaller files.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

export type UploadTransport = (
  url: string,
  form: FormData,
  token: string | null,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
) => Promise<{ status: number; body: unknown }>;

/** XMLHttpRequest, because fetch cannot report upload progress. */
export const xhrTransport: UploadTransport = (url, form, token, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError("The upload was interrupted. Check your connection and try again.", 0, "network"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });

/** Upload one file as its own request (so each gets its own progress); refresh the session once on 401. */
export async function uploadFile(
  botId: string,
  file: File,
  onProgress: (fraction: number) => void,
  { transport = xhrTransport, signal }: { transport?: UploadTransport; signal?: AbortSignal } = {},
): Promise<Source[]> {
  const url = `/api/v1/bots/${botId}/sources`;
  const send = async (token: string | null) => {
    const form = new FormData();
    form.append("files", file, file.name);
    return transport(url, form, token, (loaded, total) => onProgress(total ? loaded / total : 0), signal);
  };
  const token = await accessToken();
  let res = await send(token);
  if (res.status === 401 && token) {
    const fresh = await refreshSession(token);
    if (fresh) res = await send(fresh);
  }
  if (res.status < 200 || res.status >= 300) {
    const err = toApiError(res.body, res.status);
    if (res.status === 413 && err.code.startsWith("http_")) err.message = `Too large: the limit is ${MAX_FILE_MB} MB per file.`;
    if (res.status === 415 && err.code.startsWith("http_"))
      err.message = "This file type is not supported. Use PDF, Word (.docx), HTML, Markdown, text or CSV.";
    throw err;
  }
  onProgress(1);
  return (res.body as { sources: Source[] }).sources;
}

export type UploadPhase = "waiting" | "uploading" | "processing" | "ready" | "failed";
export type UploadItem = {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 of the bytes sent */
  uploaded: number;
  sourceId?: string;
  error?: string;
};

/** Where an upload stands once its source exists: the API's status and progress decide. */
export function phaseFromSource(s: Pick<Source, "status" | "error">): { phase: UploadPhase; error?: string } {
  if (s.status === "ready") return { phase: "ready" };
  if (s.status === "failed") return { phase: "failed", error: s.error ?? "Processing failed." };
  return { phase: "processing" };
}

/** 0..100 for the bar: uploads fill the first half, processing the second. */
export function overallPercent(item: UploadItem, source?: Pick<Source, "progress" | "status">): number {
  if (item.phase === "waiting") return 0;
  if (item.phase === "uploading") return Math.round(item.uploaded * 50);
  if (item.phase === "ready") return 100;
  if (item.phase === "failed") return item.sourceId ? 100 : Math.round(item.uploaded * 50);
  const p = source?.progress;
  if (!p) return 50;
  const frac = p.chunks_total > 0 ? p.chunks_done / p.chunks_total : p.docs_total > 0 ? p.docs_done / p.docs_total : 0;
  return 50 + Math.round(Math.min(1, frac) * 50);
}
