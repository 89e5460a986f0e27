"use client";
import * as React from "react";
import { Download, Hand, Loader2, MessagesSquare, ThumbsDown, ThumbsUp, Trash2 } from "lucide-react";
import { useConversation, useConversations, useDeleteConversation, useLeads, type ConversationFilters, type FeedbackFilter } from "@/lib/api/hooks/conversations";
import { authFetch } from "@/lib/api/client";
import { errorMessage, isMissingEndpoint, toApiError } from "@/lib/api/errors";
import type { Citation, ConversationSummary, ToolCall } from "@/lib/api/types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../ui/card";
import { Button } from "../../ui/button";
import { Input } from "../../ui/input";
import { Label } from "../../ui/label";
import { NativeSelect } from "../../ui/native-select";
import { Badge } from "../../ui/badge";
import { Alert } from "../../ui/alert";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "../../ui/dialog";
import { EmptyState, ErrorState, Loading, Pager } from "../../states";
import { ConfirmButton } from "../../confirm";
import { Citations, ToolCalls } from "../../chat/message-details";
import { toast } from "../../ui/toast";
import { formatDateTime, timeAgo } from "@/lib/utils";

const PAGE = 20;

function NotYet() {
  return <Alert>Conversations are not available on this server yet. They appear here once Parley is updated.</Alert>;
}

async function exportConversations(botId: string) {
  const res = await authFetch(new Request(`/api/v1/bots/${botId}/conversations/export`));
  if (!res.ok) throw toApiError(await res.json().catch(() => null), res.status);
  const blob = await res.blob();
  const disposition = res.headers.get("content-disposition") ?? "";
  const type = res.headers.get("content-type") ?? "";
  const name =
    /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `conversations-${botId.slice(0, 8)}.${type.includes("csv") ? "csv" : type.includes("ndjson") || type.includes("jsonl") ? "jsonl" : "json"}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function preview(c: ConversationSummary) {
  return c.title || `Conversation from ${formatDateTime(c.created_at)}`;
}

export function ConversationsTab({ botId }: { botId: string }) {
  const [filters, setFilters] = React.useState<ConversationFilters>({ limit: PAGE, offset: 0, feedback: "", needs_human: false });
  const list = useConversations(botId, filters);
  const [open, setOpen] = React.useState<string | null>(null);
  const [exporting, setExporting] = React.useState(false);
  const set = (patch: Partial<ConversationFilters>) => setFilters((f) => ({ ...f, ...patch, offset: 0 }));
  if (list.isError && isMissingEndpoint(list.error)) return <NotYet />;
  return (
    <div className="grid max-w-5xl gap-6">
      <Card>
        <CardHeader className="flex-col gap-3 space-y-0 sm:flex-row sm:items-start sm:justify-between">
          <div>
            <CardTitle>Conversations</CardTitle>
            <CardDescription>What visitors asked and what the bot answered.</CardDescription>
          </div>
          <Button
            variant="outline"
            size="sm"
            disabled={exporting}
            onClick={async () => {
              setExporting(true);
              try {
                await exportConversations(botId);
              } catch (e) {
                toast({ title: "Export failed", description: errorMessage(e), variant: "destructive" });
              } finally {
                setExporting(false);
              }
            }}
          >
            {exporting ? <Loader2 className="animate-spin" aria-hidden /> : <Download aria-hidden />}
            Export
          </Button>
        </CardHeader>
        <CardContent className="space-y-4">
          <form className="grid gap-3 sm:grid-cols-4 sm:items-end" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
            <label className="flex items-center gap-2 text-sm sm:pb-2">
              <input type="checkbox" className="h-4 w-4 accent-[hsl(var(--primary))]" checked={!!filters.needs_human} onChange={(e) => set({ needs_human: e.target.checked })} />
              Needs a human
            </label>
            <div className="space-y-2">
              <Label htmlFor="conv-feedback">Feedback</Label>
              <NativeSelect id="conv-feedback" value={filters.feedback} onChange={(e) => set({ feedback: e.target.value as FeedbackFilter })}>
                <option value="">All conversations</option>
                <option value="any">With any feedback</option>
                <option value="positive">Marked helpful</option>
                <option value="negative">Marked not helpful</option>
              </NativeSelect>
            </div>
            <div className="space-y-2">
              <Label htmlFor="conv-since">From</Label>
              <Input id="conv-since" type="date" value={filters.since ?? ""} onChange={(e) => set({ since: e.target.value || undefined })} />
            </div>
            <div className="space-y-2">
              <Label htmlFor="conv-until">To</Label>
              <Input id="conv-until" type="date" value={filters.until ?? ""} onChange={(e) => set({ until: e.target.value || undefined })} />
            </div>
          </form>
          {list.isLoading ? (
            <Loading rows={5} />
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => list.refetch()} />
          ) : !list.data?.conversations.length ? (
            <EmptyState icon={<MessagesSquare className="h-8 w-8" aria-hidden />} title={filters.needs_human || filters.feedback || filters.since || filters.until ? "No conversation matches these filters" : "No conversations yet"}>
              Try the bot in the Preview tab, or embed it on your site.
            </EmptyState>
          ) : (
            <>
              <ul className="divide-y rounded-md border" aria-label="Conversations">
                {list.data.conversations.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      className="flex w-full flex-col gap-1 p-3 text-left hover:bg-accent/50 focus-visible:bg-accent focus-visible:outline-none sm:flex-row sm:items-center sm:gap-3"
                      onClick={() => setOpen(c.id)}
                      data-testid="conversation-row"
                    >
                      <span className="min-w-0 flex-1 truncate font-medium">{preview(c)}</span>
                      <span className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                        {c.needs_human && (
                          <Badge variant="warning">
                            <Hand className="h-3 w-3" aria-hidden /> needs a human
                          </Badge>
                        )}
                        {c.channel && c.channel !== "widget" && <Badge variant="outline">{c.channel}</Badge>}
                        <span>{c.message_count} messages</span>
                        <span>{timeAgo(c.last_message_at ?? c.created_at)}</span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <Pager page={filters.offset / PAGE} pageSize={PAGE} total={list.data.total} onPage={(p) => setFilters((f) => ({ ...f, offset: p * PAGE }))} label="conversations" />
            </>
          )}
        </CardContent>
      </Card>
      <LeadsCard botId={botId} />
      <Transcript botId={botId} id={open} onClose={() => setOpen(null)} />
    </div>
  );
}

function Transcript({ botId, id, onClose }: { botId: string; id: string | null; onClose: () => void }) {
  const conv = useConversation(id);
  const del = useDeleteConversation(botId);
  return (
    <Dialog open={!!id} onOpenChange={(o) => !o && onClose()}>
      <DialogContent side="right">
        <DialogHeader>
          <DialogTitle>Transcript</DialogTitle>
          <DialogDescription>
            {conv.data
              ? `Started ${formatDateTime(conv.data.conversation.created_at)} · ${conv.data.conversation.channel}${conv.data.conversation.needs_human ? ` · needs a human${conv.data.conversation.handoff_reason ? `: ${conv.data.conversation.handoff_reason}` : ""}` : ""}`
              : "Loading…"}
          </DialogDescription>
        </DialogHeader>
        {conv.isLoading ? (
          <Loading rows={4} />
        ) : conv.isError ? (
          <ErrorState error={conv.error} onRetry={() => conv.refetch()} />
        ) : conv.data ? (
          <>
            <ol className="space-y-4" aria-label="Messages">
              {conv.data.messages.map((m, i) => (
                <li key={m.id ?? i} className={m.role === "user" ? "ml-8" : "mr-4"}>
                  <p className="mb-1 text-xs text-muted-foreground">
                    {m.role === "user" ? "Visitor" : m.role === "assistant" ? "Bot" : m.role} {m.created_at && `· ${formatDateTime(m.created_at)}`}
                    {m.feedback === 1 && (
                      <>
                        {" · "}
                        <ThumbsUp className="inline h-3 w-3" aria-hidden /> helpful
                      </>
                    )}
                    {m.feedback === -1 && (
                      <>
                        {" · "}
                        <ThumbsDown className="inline h-3 w-3" aria-hidden /> not helpful
                      </>
                    )}
                    {m.feedback_comment && `: “${m.feedback_comment}”`}
                  </p>
                  <div className={`whitespace-pre-wrap rounded-lg px-3 py-2 text-sm ${m.role === "user" ? "bg-primary text-primary-foreground" : "bg-muted"}`}>{m.content}</div>
                  {!!m.citations?.length && (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-xs font-medium">{m.citations.length} cited source{m.citations.length === 1 ? "" : "s"}</summary>
                      <div className="mt-2">
                        <Citations citations={m.citations as Citation[]} />
                      </div>
                    </details>
                  )}
                  {!!m.tool_calls?.length && (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-xs font-medium">{m.tool_calls.length} tool call{m.tool_calls.length === 1 ? "" : "s"}</summary>
                      <div className="mt-2">
                        <ToolCalls calls={m.tool_calls as ToolCall[]} />
                      </div>
                    </details>
                  )}
                </li>
              ))}
            </ol>
            <div className="border-t pt-4">
              <ConfirmButton
                title="Delete this conversation?"
                description="The transcript is deleted for good (for example at the visitor's request)."
                confirmLabel="Delete"
                variant="outline"
                size="sm"
                onConfirm={() =>
                  del.mutateAsync(conv.data!.conversation.id).then(() => {
                    toast({ title: "Conversation deleted" });
                    onClose();
                  })
                }
              >
                <Trash2 aria-hidden /> Delete conversation
              </ConfirmButton>
            </div>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function LeadsCard({ botId }: { botId: string }) {
  const [page, setPage] = React.useState(0);
  const leads = useLeads(botId, page);
  const list = leads.data?.leads ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Leads</CardTitle>
        <CardDescription>Contact details visitors shared through lead capture.</CardDescription>
      </CardHeader>
      <CardContent>
        {leads.isLoading ? (
          <Loading rows={2} />
        ) : leads.isError ? (
          <ErrorState error={leads.error} onRetry={() => leads.refetch()} />
        ) : !list.length && page === 0 ? (
          <p className="text-sm text-muted-foreground">No leads yet. Lead capture is under Tools.</p>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">Leads</caption>
                <thead className="border-b text-left">
                  <tr>
                    <th scope="col" className="py-2 pr-4 font-medium">Name</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Email</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Message</th>
                    <th scope="col" className="py-2 font-medium">When</th>
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {list.map((l) => (
                    <tr key={l.id}>
                      <td className="py-2 pr-4">{l.name || "—"}</td>
                      <td className="py-2 pr-4">
                        <a className="underline underline-offset-2" href={`mailto:${l.email}`}>
                          {l.email}
                        </a>
                      </td>
                      <td className="max-w-xs truncate py-2 pr-4">{l.message || "—"}</td>
                      <td className="whitespace-nowrap py-2 text-muted-foreground">{timeAgo(l.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {(page > 0 || leads.data?.more) && (
              <nav aria-label="Leads pages" className="flex justify-end gap-2 pt-3">
                <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                  Previous
                </Button>
                <Button variant="outline" size="sm" disabled={!leads.data?.more} onClick={() => setPage((p) => p + 1)}>
                  Next
                </Button>
              </nav>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
