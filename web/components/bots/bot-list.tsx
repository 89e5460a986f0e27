"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Bot as BotIcon, Copy, Plus, Trash2 } from "lucide-react";
import { useBots, useCreateBot, useDuplicateBot } from "@/lib/api/hooks/bots";
import { useSources } from "@/lib/api/hooks/knowledge";
import { useConversations } from "@/lib/api/hooks/conversations";
import { errorMessage } from "@/lib/api/errors";
import type { Bot } from "@/lib/api/types";
import { useOrg } from "../org-context";
import { PageHeader } from "../app-shell";
import { Button } from "../ui/button";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { Input } from "../ui/input";
import { EmptyState, ErrorState, Loading, Pager } from "../states";
import { toast } from "../ui/toast";
import dynamic from "next/dynamic";

const CreateBotDialog = dynamic(() => import("./create-bot-dialog").then((m) => m.CreateBotDialog), { ssr: false });
const DeleteBotDialog = dynamic(() => import("./delete-bot-dialog").then((m) => m.DeleteBotDialog), { ssr: false });
import { plural, timeAgo } from "@/lib/utils";

const PAGE = 12;

function KnowledgeSummary({ botId }: { botId: string }) {
  const sources = useSources(botId);
  if (sources.isLoading) return <span className="text-muted-foreground">Checking knowledge…</span>;
  if (sources.isError) return <span className="text-muted-foreground">Knowledge unavailable</span>;
  const list = sources.data ?? [];
  const busy = list.filter((s) => s.status === "queued" || s.status === "processing").length;
  const failed = list.filter((s) => s.status === "failed").length;
  if (!list.length) return <span className="text-warning">No knowledge yet</span>;
  return (
    <span className="text-muted-foreground">
      {plural(list.length, "source")}
      {busy > 0 && `, ${busy} processing`}
      {failed > 0 && <span className="text-destructive">, {failed} failed</span>}
    </span>
  );
}

function LastActivity({ bot }: { bot: Bot }) {
  const last = useConversations(bot.id, { limit: 1, offset: 0 });
  const at = last.data?.conversations[0]?.last_message_at;
  if (at) return <span className="text-muted-foreground">· last chat {timeAgo(at)}</span>;
  return <span className="text-muted-foreground">· {last.data ? "no chats yet ·" : ""} updated {timeAgo(bot.updated_at)}</span>;
}

function BotRow({ bot, onDelete }: { bot: Bot; onDelete: (b: Bot) => void }) {
  const duplicate = useDuplicateBot();
  return (
    <li>
      <Card className="flex items-center gap-3 p-4 transition-colors hover:bg-accent/40">
        <div className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full text-white" style={{ background: bot.config.appearance?.primary_color ?? "#4f46e5" }} aria-hidden>
          <BotIcon className="h-5 w-5" />
        </div>
        <div className="min-w-0 flex-1">
          <Link href={`/bots/?id=${bot.id}`} className="block truncate font-medium hover:underline focus-visible:underline focus-visible:outline-none">
            {bot.name}
          </Link>
          <p className="flex flex-wrap gap-x-2 text-sm">
            <KnowledgeSummary botId={bot.id} />
            <LastActivity bot={bot} />
          </p>
        </div>
        <Badge variant={bot.enabled ? "success" : "secondary"}>{bot.enabled ? "Live" : "Off"}</Badge>
        <div className="flex">
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Duplicate ${bot.name}`}
            title="Duplicate"
            disabled={duplicate.isPending}
            onClick={() =>
              duplicate
                .mutateAsync(bot)
                .then((b) => toast({ title: `Created "${b.name}"`, description: "Settings were copied; add knowledge to the copy separately." }))
                .catch((e) => toast({ title: "Could not duplicate", description: errorMessage(e), variant: "destructive" }))
            }
          >
            <Copy aria-hidden />
          </Button>
          <Button variant="ghost" size="icon" aria-label={`Delete ${bot.name}`} title="Delete" onClick={() => onDelete(bot)}>
            <Trash2 aria-hidden />
          </Button>
        </div>
      </Card>
    </li>
  );
}

export function BotList() {
  const { org } = useOrg();
  const bots = useBots(org?.id);
  const create = useCreateBot();
  const router = useRouter();
  const params = useSearchParams();
  const [creating, setCreating] = React.useState(false);
  const [deleting, setDeleting] = React.useState<Bot | null>(null);
  const [page, setPage] = React.useState(0);
  const [query, setQuery] = React.useState("");
  React.useEffect(() => {
    if (params.get("new") === "1") setCreating(true);
  }, [params]);
  React.useEffect(() => {
    setPage(0);
  }, [query, org?.id]);
  const all = [...(bots.data ?? [])].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const list = query ? all.filter((b) => b.name.toLowerCase().includes(query.toLowerCase())) : all;
  return (
    <>
      <PageHeader
        title="Bots"
        description={org ? `Chatbots of ${org.name}.` : undefined}
        actions={
          <Button onClick={() => setCreating(true)} disabled={!org}>
            <Plus aria-hidden /> New bot
          </Button>
        }
      />
      {bots.isLoading || !org ? (
        <Loading rows={4} label="Loading bots…" />
      ) : bots.isError ? (
        <ErrorState error={bots.error} title="Your bots could not be loaded" onRetry={() => bots.refetch()} />
      ) : !all.length ? (
        <EmptyState
          icon={<BotIcon className="h-10 w-10" aria-hidden />}
          title="Create your first bot"
          action={
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New bot
            </Button>
          }
        >
          Pick a template, add your documents, and embed it on your site with one line of code.
        </EmptyState>
      ) : (
        <div className="max-w-4xl space-y-3">
          {all.length > 5 && (
            <div className="max-w-xs">
              <label htmlFor="bot-filter" className="sr-only">
                Filter bots by name
              </label>
              <Input id="bot-filter" type="search" placeholder="Filter by name" value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
          )}
          {!list.length && <p className="text-sm text-muted-foreground">No bot matches &ldquo;{query}&rdquo;.</p>}
          <ul className="space-y-3">
            {list.slice(page * PAGE, (page + 1) * PAGE).map((b) => (
              <BotRow key={b.id} bot={b} onDelete={setDeleting} />
            ))}
          </ul>
          <Pager page={page} pageSize={PAGE} total={list.length} onPage={setPage} label="bots" />
        </div>
      )}
      {org && creating && (
        <CreateBotDialog
          open={creating}
          onOpenChange={(o) => {
            setCreating(o);
            if (!o && params.get("new")) router.replace("/bots/");
          }}
          orgId={org.id}
          onCreate={async (body) => {
            const bot = await create.mutateAsync(body);
            setCreating(false);
            router.push(`/bots/?id=${bot.id}&tab=knowledge`);
          }}
        />
      )}
      {deleting && <DeleteBotDialog bot={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
