import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { overallPercent, phaseFromSource, precheck, uploadFile, type UploadItem, type UploadTransport } from "@/lib/upload";
import { useUploadQueue } from "@/components/knowledge/use-upload-queue";
import { saveTokens } from "@/lib/session";
import type { Source } from "@/lib/api/types";

function source(id: string, status: Source["status"], progress = { docs_done: 0, docs_total: 1, chunks_done: 0, chunks_total: 0 }, error: string | null = null): Source {
  const now = new Date().toISOString();
  return { id, bot_id: "b", kind: "file", name: id, status, error, note: null, progress, created_at: now, updated_at: now, last_synced_at: null };
}

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: "text/plain" });

describe("upload helpers", () => {
  it("refuses files over 25 MB or empty, in words", () => {
    const big = file("big.pdf");
    Object.defineProperty(big, "size", { value: 26 * 1024 * 1024 });
    expect(precheck(big)).toMatch(/over 25 MB/);
    expect(precheck(file("empty.txt", 0))).toMatch(/empty/);
    expect(precheck(file("ok.txt"))).toBeNull();
  });

  it("fills the bar: upload is the first half, processing the second", () => {
    const base: UploadItem = { key: "k", name: "a", size: 1, phase: "uploading", uploaded: 0.5 };
    expect(overallPercent(base)).toBe(25);
    expect(overallPercent({ ...base, phase: "processing", sourceId: "s" }, source("s", "processing", { docs_done: 1, docs_total: 1, chunks_done: 5, chunks_total: 10 }))).toBe(75);
    expect(overallPercent({ ...base, phase: "ready" })).toBe(100);
    expect(phaseFromSource(source("s", "failed", undefined, "The PDF is encrypted."))).toEqual({ phase: "failed", error: "The PDF is encrypted." });
  });

  it("reports progress, and turns 413 into plain words", async () => {
    const transport: UploadTransport = vi.fn(async (_u, _f, _t, onProgress) => {
      onProgress(50, 100);
      return { status: 413, body: null };
    });
    const progress = vi.fn();
    await expect(uploadFile("b", file("a.pdf"), progress, { transport })).rejects.toThrow("Too large: the limit is 25 MB per file.");
    expect(progress).toHaveBeenCalledWith(0.5);
  });

  it("shows the server's own error message when there is one", async () => {
    const transport: UploadTransport = async () => ({ status: 415, body: { error: { code: "unsupported_media_type", message: "notes.png is not a supported document." } } });
    await expect(uploadFile("b", file("notes.png"), () => undefined, { transport })).rejects.toThrow("notes.png is not a supported document.");
  });

  it("refreshes the session once on 401 and retries", async () => {
    saveTokens({ access_token: "old", refresh_token: "refresh-1", expires_in: 900 });
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ access_token: "new", refresh_token: "refresh-2", expires_in: 900 }), { status: 200 }),
    );
    const tokens: (string | null)[] = [];
    const transport: UploadTransport = async (_u, _f, token) => {
      tokens.push(token);
      return token === "new" ? { status: 201, body: { sources: [source("s1", "queued")] } } : { status: 401, body: { error: { code: "invalid_token", message: "expired" } } };
    };
    const out = await uploadFile("b", file("a.md"), () => undefined, { transport });
    expect(out[0].id).toBe("s1");
    expect(tokens).toEqual(["old", "new"]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    fetchMock.mockRestore();
  });
});

describe("useUploadQueue", () => {
  it("uploads two at a time, then follows each source until ready or failed", async () => {
    const pending: Array<(r: { status: number; body: unknown }) => void> = [];
    const progress: Array<(l: number, t: number) => void> = [];
    const transport: UploadTransport = (_u, _f, _t, onProgress) =>
      new Promise((resolve) => {
        pending.push(resolve);
        progress.push(onProgress);
      });
    const { result, rerender } = renderHook(({ sources }) => useUploadQueue("b", sources, { transport }), { initialProps: { sources: [] as Source[] } });
    act(() => result.current.add([file("a.md"), file("b.md"), file("c.md"), Object.defineProperty(file("huge.pdf"), "size", { value: 30 * 1024 * 1024 })]));
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(result.current.items.map((i) => i.phase)).toEqual(["uploading", "uploading", "waiting", "failed"]);
    expect(result.current.items[3].error).toMatch(/over 25 MB/);

    act(() => progress[0](30, 100));
    expect(result.current.items[0].uploaded).toBeCloseTo(0.3);

    await act(async () => pending[0]({ status: 201, body: { sources: [source("s-a", "queued")] } }));
    await waitFor(() => expect(pending).toHaveLength(3)); // the third starts when a slot frees
    expect(result.current.items[0]).toMatchObject({ phase: "processing", sourceId: "s-a", uploaded: 1 });

    await act(async () => pending[1]({ status: 201, body: { sources: [source("s-b", "queued")] } }));
    rerender({ sources: [source("s-a", "ready"), source("s-b", "failed", undefined, "No text could be read from this file.")] });
    expect(result.current.items[0].phase).toBe("ready");
    expect(result.current.items[1]).toMatchObject({ phase: "failed", error: "No text could be read from this file." });

    act(() => result.current.clearFinished());
    expect(result.current.items.map((i) => i.name)).toEqual(["c.md"]);
  });
});
