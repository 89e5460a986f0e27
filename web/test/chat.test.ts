import { describe, expect, it, vi } from "vitest";
import { createSseParser } from "@/lib/sse";
import { sendChat } from "@/lib/api/hooks/chat";
import { mergeTool } from "@/components/chat/test-chat";
import { authFetch } from "@/lib/api/client";
import { saveTokens, getSession } from "@/lib/session";

function sse(events: object[]): Response {
  const text = events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream({
    start(c) {
      // Split mid-event to exercise buffering.
      c.enqueue(bytes.slice(0, 17));
      c.enqueue(bytes.slice(17));
      c.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream" } });
}

describe("SSE parser", () => {
  it("handles chunks split anywhere, CRLF and comments", () => {
    const out: { event: string; data: string }[] = [];
    const p = createSseParser((e) => out.push(e));
    p.push(": keep-alive\r\nevent: tok");
    p.push("en\r\ndata: {\"text\":\"Hi\"}\r\n\r\ndata: a\ndata: b\n");
    p.end();
    expect(out).toEqual([
      { event: "token", data: '{"text":"Hi"}' },
      { event: "message", data: "a\nb" },
    ]);
  });
});

describe("sendChat", () => {
  it("streams tokens, tools and citations and returns the whole answer", async () => {
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      sse([
        { type: "start", conversation_id: "c1", message_id: "m1" },
        { type: "tool", name: "search_knowledge", status: "started" },
        { type: "tool", name: "search_knowledge", status: "done" },
        { type: "token", text: "Ducks " },
        { type: "token", text: "swim [1]." },
        { type: "citations", citations: [{ index: 1, source: "wiki_duck.html", title: "Duck", location: "§2", snippet: "Ducks swim." }] },
        { type: "done", conversation_id: "c1", message_id: "m1", usage: { input_tokens: 3, output_tokens: 4 } },
      ]),
    );
    const tokens: string[] = [];
    const res = await sendChat("bot", "Do ducks swim?", null, { onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(["Ducks ", "swim [1]."]);
    expect(res).toMatchObject({ answer: "Ducks swim [1].", conversation_id: "c1", message_id: "m1", tool_calls: [{ name: "search_knowledge", status: "done" }] });
    expect(res.citations[0].title).toBe("Duck");
    const body = JSON.parse(fetchMock.mock.calls[0][1]!.body as string);
    expect(body).toEqual({ message: "Do ducks swim?", stream: true });
    fetchMock.mockRestore();
  });

  it("turns an error event and HTTP errors into readable errors", async () => {
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(sse([{ type: "start" }, { type: "error", code: "timeout", message: "The answer took too long. Please try again." }]));
    await expect(sendChat("bot", "x", null)).rejects.toThrow("The answer took too long. Please try again.");
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ error: { code: "rate_limited", message: "Too many requests. Try again in 20 s." } }), { status: 429 }));
    await expect(sendChat("bot", "x", null)).rejects.toThrow("Too many requests. Try again in 20 s.");
    fetchMock.mockRestore();
  });

  it("merges started/done tool events", () => {
    let t = mergeTool([], { name: "a", status: "started" });
    t = mergeTool(t, { name: "a", status: "done" });
    t = mergeTool(t, { name: "b", status: "done" });
    expect(t).toEqual([
      { name: "a", status: "done" },
      { name: "b", status: "done" },
    ]);
  });
});

describe("authFetch", () => {
  it("refreshes once on invalid_token, stores the rotated pair and retries", async () => {
    saveTokens({ access_token: "a1", refresh_token: "r1", expires_in: 900 });
    const seen: string[] = [];
    const fetchMock = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = input instanceof Request ? input.method : (init?.method ?? "GET");
      const auth = input instanceof Request ? input.headers.get("authorization") : null;
      seen.push(`${method} ${new URL(url, "http://x").pathname} ${auth ?? ""}`);
      if (url.endsWith("/auth/refresh")) return new Response(JSON.stringify({ access_token: "a2", refresh_token: "r2", expires_in: 900 }));
      if (auth === "Bearer a1") return new Response(JSON.stringify({ error: { code: "invalid_token", message: "expired" } }), { status: 401 });
      return new Response("{}", { status: 200 });
    });
    const res = await authFetch(new Request("http://localhost/api/v1/me"));
    expect(res.status).toBe(200);
    expect(seen).toEqual(["GET /api/v1/me Bearer a1", "POST /api/v1/auth/refresh ", "GET /api/v1/me Bearer a2"]);
    expect(getSession()).toMatchObject({ access: "a2", refresh: "r2" });
    fetchMock.mockRestore();
  });
});
