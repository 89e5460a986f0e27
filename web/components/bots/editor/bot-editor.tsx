"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { ArrowLeft, BookOpen, Code2, Loader2, MessageSquare, MessagesSquare, Palette, SlidersHorizontal, Wrench } from "lucide-react";
import { useBot, useUpdateBot } from "@/lib/api/hooks/bots";
import { errorMessage } from "@/lib/api/errors";
import { draftOf, sameDraft, supportsOf, tabOfError, toPayload, validateDraft, type Draft, type DraftErrors } from "@/lib/bot-form";
import { setUnsaved, confirmLeave } from "@/lib/unsaved";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../ui/tabs";
import { Button } from "../../ui/button";
import { Switch } from "../../ui/switch";
import { Label } from "../../ui/label";
import { ErrorState, Loading } from "../../states";
import { toast } from "../../ui/toast";
import { BehaviourTab } from "./behaviour-tab";
import { ToolsTab } from "./tools-tab";
import { KnowledgeTab } from "./knowledge-tab";
import { AppearanceTab } from "./appearance-tab";
import { EmbedTab } from "./embed-tab";
import { PreviewTab } from "./preview-tab";
import { ConversationsTab } from "./conversations-tab";

const TABS = [
  { id: "behaviour", label: "Behaviour", icon: SlidersHorizontal },
  { id: "knowledge", label: "Knowledge", icon: BookOpen },
  { id: "tools", label: "Tools", icon: Wrench },
  { id: "preview", label: "Preview", icon: MessageSquare },
  { id: "appearance", label: "Appearance", icon: Palette },
  { id: "embed", label: "Embed", icon: Code2 },
  { id: "conversations", label: "Conversations", icon: MessagesSquare },
] as const;
type TabId = (typeof TABS)[number]["id"];

export type EditorProps = {
  draft: Draft;
  setDraft: (fn: (d: Draft) => Draft) => void;
  errors: DraftErrors;
};

export function BotEditor({ botId }: { botId: string }) {
  const bot = useBot(botId);
  const update = useUpdateBot(botId);
  const router = useRouter();
  const params = useSearchParams();
  const tabParam = params.get("tab") as TabId | null;
  const tab: TabId = TABS.some((t) => t.id === tabParam) ? tabParam! : "behaviour";
  const [draft, setDraftState] = React.useState<Draft | null>(null);
  const [base, setBase] = React.useState<Draft | null>(null);
  const [errors, setErrors] = React.useState<DraftErrors>({});
  const [saveError, setSaveError] = React.useState<string | null>(null);

  // Take the server's version when it loads, unless the person has unsaved edits.
  React.useEffect(() => {
    if (!bot.data) return;
    const fresh = draftOf(bot.data);
    const untouched = !draft || !base || sameDraft(draft, base);
    setBase(fresh);
    if (untouched) setDraftState(fresh);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bot.data]);

  const dirty = !!draft && !!base && !sameDraft(draft, base);
  React.useEffect(() => {
    // Other tabs of this bot keep the draft; anything else asks first (links, Back, closing the tab).
    setUnsaved(dirty, (url) => url.pathname.replace(/\/$/, "") === "/bots" && url.searchParams.get("id") === botId);
    return () => setUnsaved(false);
  }, [dirty, botId]);

  const setDraft = React.useCallback((fn: (d: Draft) => Draft) => setDraftState((d) => (d ? fn(d) : d)), []);

  if (bot.isLoading) return <Loading rows={5} label="Loading the bot…" />;
  if (bot.isError)
    return (
      <ErrorState error={bot.error} title="This bot could not be opened" onRetry={() => bot.refetch()}>
        <Button asChild size="sm" variant="outline">
          <Link href="/bots/">Back to all bots</Link>
        </Button>
      </ErrorState>
    );
  if (!bot.data || !draft) return <Loading rows={5} />;
  const supports = supportsOf(bot.data.config);

  const setTab = (t: string) => router.replace(`/bots/?id=${botId}&tab=${t}`, { scroll: false });

  const save = async () => {
    const found = validateDraft(draft, supports);
    setErrors(found);
    setSaveError(null);
    const keys = Object.keys(found);
    if (keys.length) {
      const target = tabOfError(keys[0]);
      if (target !== tab) setTab(target);
      setSaveError(`${keys.length === 1 ? "One field needs" : `${keys.length} fields need`} attention before saving.`);
      return;
    }
    try {
      const saved = await update.mutateAsync({
        name: draft.name.trim(),
        enabled: draft.enabled,
        allowed_origins: draft.allowed_origins,
        config: toPayload(draft.config, supports),
      });
      const fresh = draftOf(saved);
      setBase(fresh);
      setDraftState(fresh);
      toast({ title: "Changes saved", variant: "success" });
    } catch (e) {
      setSaveError(errorMessage(e));
    }
  };

  const props: EditorProps = { draft, setDraft, errors };

  return (
    <div className="pb-24">
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-center">
        <Button asChild variant="ghost" size="sm" className="self-start">
          <Link href="/bots/" onClick={(e) => !confirmLeave() && e.preventDefault()}>
            <ArrowLeft aria-hidden /> All bots
          </Link>
        </Button>
        <h1 className="min-w-0 flex-1 truncate text-2xl font-semibold tracking-tight">{bot.data.name}</h1>
        <div className="flex items-center gap-2">
          <Switch id="bot-enabled" checked={draft.enabled} onCheckedChange={(v) => setDraft((d) => ({ ...d, enabled: v }))} />
          <Label htmlFor="bot-enabled">{draft.enabled ? "Live" : "Off"}</Label>
        </div>
      </div>
      <Tabs value={tab} onValueChange={setTab}>
        <div className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
          <TabsList aria-label="Bot settings">
            {TABS.map(({ id, label, icon: Icon }) => (
              <TabsTrigger key={id} value={id}>
                <Icon aria-hidden />
                {label}
              </TabsTrigger>
            ))}
          </TabsList>
        </div>
        <TabsContent value="behaviour">
          <BehaviourTab {...props} />
        </TabsContent>
        <TabsContent value="knowledge">
          <KnowledgeTab botId={botId} />
        </TabsContent>
        <TabsContent value="tools">
          <ToolsTab {...props} supported={supports.tools} />
        </TabsContent>
        <TabsContent value="preview">
          <PreviewTab bot={bot.data} dirty={dirty} />
        </TabsContent>
        <TabsContent value="appearance">
          <AppearanceTab {...props} supported={supports.appearance} />
        </TabsContent>
        <TabsContent value="embed">
          <EmbedTab {...props} bot={bot.data} />
        </TabsContent>
        <TabsContent value="conversations">
          <ConversationsTab botId={botId} />
        </TabsContent>
      </Tabs>
      {(dirty || saveError) && (
        <div role="region" aria-label="Unsaved changes" className="fixed inset-x-0 bottom-0 z-40 border-t bg-background/95 px-4 py-3 shadow-lg backdrop-blur md:left-60">
          <div className="mx-auto flex max-w-5xl flex-col gap-2 sm:flex-row sm:items-center">
            <p className="flex-1 text-sm" aria-live="polite">
              {saveError ? <span className="text-destructive">{saveError}</span> : "You have unsaved changes."}
            </p>
            <div className="flex gap-2">
              <Button
                variant="outline"
                onClick={() => {
                  setDraftState(base);
                  setErrors({});
                  setSaveError(null);
                }}
                disabled={!dirty || update.isPending}
              >
                Discard
              </Button>
              <Button onClick={save} disabled={update.isPending || !dirty}>
                {update.isPending && <Loader2 className="animate-spin" aria-hidden />}
                Save changes
              </Button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
