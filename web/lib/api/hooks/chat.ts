"use client";
import { accessToken, refreshSession } from "../../session";
import { ApiError, toApiError } from "../errors";
import { createSseParser } from "../../sse";
import type { ChatResponse, Citation, ToolCall } from "../types";

// POST /bots/{id}/chat with stream: true answers with server-sent events
// start | token | tool | citations | lead_form | done | error (each data is the event as JSON).

export type ChatHandlers = {
  onToken?: (text: string) => void;
  onTool?: (call: ToolCall) => void;
  onCitations?: (citations: Citation[]) => void;
};

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function tokenText(v: unknown): string {
  if (typeof v === "string") return v;
  const o = v as Record<string, unknown>;
  for (const k of ["text", "token", "delta", "content"]) if (typeof o?.[k] === "string") return o[k] as string;
  return "";
}

async function post(botId: string, body: object, signal?: AbortSignal, retried = false): Promise<Response> {
  const token = await accessToken();
  const res = await fetch(`/api/v1/bots/${botId}/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream, application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal,
  });
  if (res.status === 401 && token && !retried && (await refreshSession(token))) return post(botId, body, signal, true);
  return res;
}

export async function sendChat(
  botId: string,
  message: string,
  conversationId: string | null,
  handlers: ChatHandlers = {},
  signal?: AbortSignal,
): Promise<ChatResponse> {
  let res: Response;
  try {
    res = await post(botId, { message, conversation_id: conversationId ?? undefined, stream: true }, signal);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0, "network");
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw toApiError(body, res.status);
  }
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("text/event-stream") || !res.body) {
    const out = (await res.json()) as ChatResponse;
    handlers.onToken?.(out.answer);
    handlers.onCitations?.(out.citations ?? []);
    out.tool_calls?.forEach((t) => handlers.onTool?.(t));
    return out;
  }
  const result: ChatResponse = { answer: "", citations: [], conversation_id: conversationId, message_id: null, usage: {}, tool_calls: [] };
  let failure: ApiError | null = null;
  const parser = createSseParser(({ event, data }) => {
    const v = parse(data);
    const o = (v ?? {}) as Record<string, unknown>;
    if (event === "start") {
      if (typeof o.conversation_id === "string") result.conversation_id = o.conversation_id;
      if (typeof o.message_id === "string") result.message_id = o.message_id;
    } else if (event === "token" || event === "message") {
      const t = tokenText(v);
      result.answer += t;
      handlers.onToken?.(t);
    } else if (event === "tool") {
      // {"name", "status": "started"} then {"name", "status": "done"} for the same call.
      const name = String(o.name ?? "tool");
      const open = [...result.tool_calls!].reverse().find((t) => t.name === name && t.status === "started");
      if (open && o.status !== "started") open.status = String(o.status ?? "done");
      else result.tool_calls!.push({ name, status: String(o.status ?? "done") });
      handlers.onTool?.({ name, status: String(o.status ?? "done") });
    } else if (event === "citations") {
      result.citations = (Array.isArray(v) ? v : (o.citations as Citation[])) ?? [];
      handlers.onCitations?.(result.citations);
    } else if (event === "done") {
      if (typeof o.conversation_id === "string") result.conversation_id = o.conversation_id;
      if (typeof o.message_id === "string") result.message_id = o.message_id;
      if (typeof o.answer === "string" && !result.answer) result.answer = o.answer;
      if (o.usage) result.usage = o.usage as Record<string, number>;
      if (Array.isArray(o.citations) && !result.citations.length) {
        result.citations = o.citations as Citation[];
        handlers.onCitations?.(result.citations);
      }
    } else if (event === "error") {
      failure = toApiError(v && typeof v === "object" && "error" in o ? v : { error: o }, 500);
    }
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.end();
  if (failure) throw failure;
  return result;
}
