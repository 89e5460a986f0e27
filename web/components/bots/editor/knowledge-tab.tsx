"use client";
import * as React from "react";
import { useQueryClient } from "@tanstack/react-query";
import { knowledgeKeys, useSources } from "@/lib/api/hooks/knowledge";
import { useBot } from "@/lib/api/hooks/bots";
import { withDefaults } from "@/lib/bot-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../ui/card";
import { ErrorState, Loading } from "../../states";
import { UploadList, UploadZone } from "../../knowledge/upload-zone";
import { useUploadQueue } from "../../knowledge/use-upload-queue";
import { SourceList } from "../../knowledge/source-list";
import { AddSource } from "../../knowledge/add-source";
import { SearchTester } from "../../knowledge/search-tester";
import { DrivePanel } from "../../knowledge/drive-panel";

export function KnowledgeTab({ botId }: { botId: string }) {
  const qc = useQueryClient();
  const sources = useSources(botId);
  const bot = useBot(botId);
  const queue = useUploadQueue(botId, sources.data, { onUploaded: () => qc.invalidateQueries({ queryKey: knowledgeKeys.sources(botId) }) });
  const ready = sources.data?.filter((s) => s.status === "ready").length ?? 0;
  return (
    <div className="grid max-w-5xl gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Upload documents</CardTitle>
          <CardDescription>Each file gets its own progress: the upload first, then reading and indexing.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <UploadZone onFiles={queue.add} />
          <UploadList items={queue.items} sources={sources.data ?? []} onDismiss={queue.dismiss} onClear={queue.clearFinished} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add from the web or by hand</CardTitle>
          <CardDescription>Crawl your help centre or docs site, add a single page, paste text, or write questions with answers.</CardDescription>
        </CardHeader>
        <CardContent>
          <AddSource botId={botId} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Google Drive</CardTitle>
          <CardDescription>Connect a Google account or a service account, then add a folder or files. Re-syncing reads only what changed.</CardDescription>
        </CardHeader>
        <CardContent>{bot.data ? <DrivePanel botId={botId} orgId={bot.data.org_id} /> : <Loading />}</CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Sources</CardTitle>
          <CardDescription>Everything this bot answers from. Processing updates live.</CardDescription>
        </CardHeader>
        <CardContent>
          {sources.isLoading ? <Loading /> : sources.isError ? <ErrorState error={sources.error} onRetry={() => sources.refetch()} /> : <SourceList botId={botId} sources={sources.data ?? []} />}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Test retrieval</CardTitle>
          <CardDescription>
            See which passages the bot would read for a question, with their scores and locations.
            {ready === 0 && " Add a source and wait until it is ready first."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SearchTester botId={botId} minRelevance={bot.data ? withDefaults(bot.data.config).retrieval.min_relevance : undefined} />
        </CardContent>
      </Card>
    </div>
  );
}
