"use client";
import * as React from "react";
import { Info, Loader2, RotateCcw, Send } from "lucide-react";
import type { Bot, Citation, Retrieved, ToolCall } from "@/lib/api/types";
import { useConversation } from "@/lib/api/hooks/conversations";
import { sendChat } from "@/lib/api/hooks/chat";
import { useSearchKnowledge } from "@/lib/api/hooks/knowledge";
import { errorMessage, isMissingEndpoint } from "@/lib/api/errors";
import { withDefaults } from "@/lib/bot-form";
import { Button } from "../ui/button";
import { Textarea } from "../ui/textarea";
import { Alert } from "../ui/alert";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "../ui/dialog";
import { Spinner } from "../states";
import { Citations, ToolCalls } from "./message-details";
import { cn } from "@/lib/utils";

type Turn = {
  id: number;
  role: "user" | "assistant";
  text: string;
  citations: Citation[];
  tools: ToolCall[];
  question?: string;
  pending?: boolean;
  error?: string;
  conversationId?: string | null;
  messageId?: string | null;
};

/** A "done" event closes the matching "started" call; anything else is a new call. */
export function mergeTool(tools: ToolCall[], call: ToolCall): ToolCall[] {
  const i = tools.map((t) => t.name === call.name && t.status === "started").lastIndexOf(true);
  if (call.status !== "started" && i >= 0) return tools.map((t, j) => (j === i ? { ...t, ...call } : t));
  return [...tools, call];
}

let turnSeq = 0;

/** Talks to POST /bots/{id}/chat with streaming; every answer can explain itself. */
export function TestChat({ bot }: { bot: Bot }) {
  const config = withDefaults(bot.config);
  const [turns, setTurns] = React.useState<Turn[]>([]);
  const [text, setText] = React.useState("");
  const [conversationId, setConversationId] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [unavailable, setUnavailable] = React.useState<string | null>(null);
  const [why, setWhy] = React.useState<Turn | null>(null);
  const abort = React.useRef<AbortController | null>(null);
  const endRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    // Newer Chromium returns a Promise from scrollIntoView: never return it from an effect.
    endRef.current?.scrollIntoView?.({ block: "nearest" });
  }, [turns]);
  React.useEffect(() => () => abort.current?.abort(), []);

  const update = (id: number, fn: (t: Turn) => Turn) => setTurns((ts) => ts.map((t) => (t.id === id ? fn(t) : t)));

  const ask = async (question: string) => {
    if (!question.trim() || busy) return;
    const q = question.trim();
    const userTurn: Turn = { id: ++turnSeq, role: "user", text: q, citations: [], tools: [] };
    const botTurn: Turn = { id: ++turnSeq, role: "assistant", text: "", citations: [], tools: [], question: q, pending: true };
    setTurns((ts) => [...ts, userTurn, botTurn]);
    setText("");
    setBusy(true);
    abort.current = new AbortController();
    try {
      const res = await sendChat(
        bot.id,
        q,
        conversationId,
        {
          onToken: (t) => update(botTurn.id, (x) => ({ ...x, text: x.text + t })),
          onCitations: (c) => update(botTurn.id, (x) => ({ ...x, citations: c })),
          onTool: (call) => update(botTurn.id, (x) => ({ ...x, tools: mergeTool(x.tools, call) })),
        },
        abort.current.signal,
      );
      if (res.conversation_id) setConversationId(res.conversation_id);
      update(botTurn.id, (x) => ({
        ...x,
        text: x.text || res.answer,
        citations: res.citations?.length ? (res.citations as Citation[]) : x.citations,
        pending: false,
        conversationId: res.conversation_id,
        messageId: res.message_id,
      }));
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      if (isMissingEndpoint(e)) {
        setUnavailable("Chat is not available on this server yet. Update Parley; meanwhile, test what the bot would read under Knowledge → Test retrieval.");
        setTurns((ts) => ts.filter((t) => t.id !== botTurn.id && t.id !== userTurn.id));
      } else update(botTurn.id, (x) => ({ ...x, pending: false, error: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex h-[36rem] flex-col rounded-lg border" data-testid="test-chat">
      <div className="flex items-center justify-between border-b px-3 py-2">
        <p className="text-sm font-medium">Test chat</p>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            abort.current?.abort();
            setTurns([]);
            setConversationId(null);
          }}
          disabled={!turns.length}
        >
          <RotateCcw aria-hidden /> New conversation
        </Button>
      </div>
      <div className="flex-1 space-y-3 overflow-y-auto p-3" aria-live="polite" aria-busy={busy} role="log" aria-label="Conversation">
        {unavailable && <Alert variant="warning">{unavailable}</Alert>}
        <div className="max-w-[85%] rounded-2xl rounded-tl-sm bg-muted px-3 py-2 text-sm">{config.greeting}</div>
        {!turns.length && config.suggested_questions.length > 0 && (
          <div className="flex flex-wrap gap-2">
            {config.suggested_questions.map((q) => (
              <Button key={q} variant="outline" size="sm" className="h-auto whitespace-normal py-1.5 text-left" onClick={() => ask(q)}>
                {q}
              </Button>
            ))}
          </div>
        )}
        {turns.map((t) =>
          t.role === "user" ? (
            <div key={t.id} className="ml-auto w-fit max-w-[85%] rounded-2xl rounded-tr-sm bg-primary px-3 py-2 text-sm text-primary-foreground">
              {t.text}
            </div>
          ) : (
            <div key={t.id} className="max-w-[90%] space-y-1" data-testid="bot-answer">
              <div className={cn("whitespace-pre-wrap rounded-2xl rounded-tl-sm bg-muted px-3 py-2 text-sm", t.error && "border border-destructive")}>
                {t.error ? <span className="text-destructive">{t.error}</span> : t.text || (t.pending ? <Spinner label="Thinking…" /> : "(empty answer)")}
              </div>
              {!t.pending && !t.error && (
                <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                  {t.citations.length > 0 && <span>{t.citations.length} source{t.citations.length === 1 ? "" : "s"}</span>}
                  {t.tools.length > 0 && <span>· {t.tools.length} tool call{t.tools.length === 1 ? "" : "s"}</span>}
                  <Button variant="link" size="sm" className="h-auto p-0 text-xs" onClick={() => setWhy(t)}>
                    <Info aria-hidden /> Why this answer?
                  </Button>
                </div>
              )}
            </div>
          ),
        )}
        <div ref={endRef} />
      </div>
      <form
        className="flex items-end gap-2 border-t p-2"
        onSubmit={(e) => {
          e.preventDefault();
          ask(text);
        }}
      >
        <label htmlFor="test-chat-input" className="sr-only">
          Your message
        </label>
        <Textarea
          id="test-chat-input"
          rows={1}
          className="min-h-[40px] resize-none"
          placeholder="Ask something your documents answer…"
          value={text}
          maxLength={config.limits.max_message_chars}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              ask(text);
            }
          }}
        />
        <Button type="submit" size="icon" disabled={busy || !text.trim()} aria-label="Send">
          {busy ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
        </Button>
      </form>
      <WhyDrawer bot={bot} turn={why} onClose={() => setWhy(null)} k={config.retrieval.k} minRelevance={config.retrieval.min_relevance} />
    </div>
  );
}

function WhyDrawer({ bot, turn, onClose, k, minRelevance }: { bot: Bot; turn: Turn | null; onClose: () => void; k: number; minRelevance: number }) {
  const transcript = useConversation(turn?.conversationId ?? null);
  const stored = transcript.data?.messages.find((m) => m.id === turn?.messageId);
  const retrieved = (stored?.retrieved ?? []) as Retrieved[];
  const tools = (stored?.tool_calls?.length ? stored.tool_calls : turn?.tools ?? []) as ToolCall[];
  const search = useSearchKnowledge(bot.id);
  const question = turn?.question;
  // Older servers store no retrieval: ask the search endpoint the same question instead.
  const needSearch = !!question && transcript.isFetched && !retrieved.length;
  React.useEffect(() => {
    if (needSearch) search.mutate({ query: question!, k, mode: "hybrid" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needSearch, question]);
  const passages: Retrieved[] = retrieved.length ? retrieved : (search.data ?? []);
  return (
    <Dialog open={!!turn} onOpenChange={(o) => !o && onClose()}>
      <DialogContent side="right">
        <DialogHeader>
          <DialogTitle>Why this answer</DialogTitle>
          <DialogDescription>For &ldquo;{question}&rdquo;: what the bot cited, what it retrieved, and the tools it used.</DialogDescription>
        </DialogHeader>
        <section className="space-y-2">
          <h3 className="text-sm font-semibold">Cited in the answer</h3>
          <Citations citations={turn?.citations ?? []} />
        </section>
        <section className="space-y-2">
          <h3 className="text-sm font-semibold">Tool calls</h3>
          <ToolCalls calls={tools} />
        </section>
        <section className="space-y-2" data-testid="retrieved">
          <h3 className="text-sm font-semibold">Retrieved passages</h3>
          {transcript.isLoading || search.isPending ? (
            <Spinner label="Loading…" />
          ) : search.isError ? (
            <p className="text-sm text-destructive">{errorMessage(search.error)}</p>
          ) : !passages.length ? (
            <p className="text-sm text-muted-foreground">No passages were retrieved for this question.</p>
          ) : (
            <Passages passages={passages} minRelevance={minRelevance} />
          )}
        </section>
        {stored && (
          <p className="text-xs text-muted-foreground">
            {stored.model && `Model ${stored.model} · `}
            {stored.tokens_in + stored.tokens_out > 0 && `${stored.tokens_in} tokens in, ${stored.tokens_out} out · `}
            {stored.latency_ms != null && `${stored.latency_ms} ms`}
          </p>
        )}
      </DialogContent>
    </Dialog>
  );
}

export function Passages({ passages, minRelevance }: { passages: Retrieved[]; minRelevance?: number }) {
  return (
    <ol className="space-y-2">
      {passages.map((h, i) => (
        <li key={h.chunk_id ?? i} className="rounded-md border p-3 text-sm">
          <p className="flex flex-wrap gap-x-2 font-medium">
            #{i + 1} {h.title || h.source}
            {h.location && <span className="font-normal text-muted-foreground">· {h.location}</span>}
          </p>
          {(typeof h.relevance === "number" || typeof h.score === "number") && (
            <p className="text-xs text-muted-foreground">
              {typeof h.relevance === "number" && `relevance ${(h.relevance * 100).toFixed(0)}%`}
              {typeof h.score === "number" && ` · score ${h.score.toFixed(3)}`}
              {typeof h.relevance === "number" && minRelevance !== undefined && h.relevance < minRelevance && " · below the minimum, not used"}
            </p>
          )}
          <p className="mt-1 line-clamp-6 whitespace-pre-wrap">{h.text ?? h.snippet}</p>
        </li>
      ))}
    </ol>
  );
}
