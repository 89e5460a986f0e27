"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, rawJson, unwrap } from "../client";
import type { SearchHit, Source } from "../types";

export const knowledgeKeys = {
  sources: (botId: string) => ["bots", botId, "sources"] as const,
};

export const SOURCES_PAGE = 200;

export function isBusy(s: Pick<Source, "status">) {
  return s.status === "queued" || s.status === "processing";
}

/** The bot's sources, polled every 1.5 s while any of them is queued or processing. */
export function useSources(botId: string) {
  return useQuery({
    queryKey: knowledgeKeys.sources(botId),
    queryFn: async () => {
      const data = await unwrap(
        api.GET("/api/v1/bots/{bot_id}/sources", { params: { path: { bot_id: botId }, query: { limit: SOURCES_PAGE } } }),
      );
      return data.sources;
    },
    enabled: !!botId,
    refetchInterval: (q) => (q.state.data?.some(isBusy) ? 1500 : false),
  });
}

export type AddSourceBody =
  | { type: "text"; name: string; text: string }
  | { type: "qa"; name: string; pairs: { question: string; answer: string }[] }
  | { type: "url"; url: string; name?: string }
  | { type: "crawl"; url: string; max_pages: number; max_depth: number; use_sitemap?: boolean; name?: string }
  | { type: "gdrive"; connection_id: string; folder_id?: string | null; file_ids?: string[]; name?: string };

export function useAddSource(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddSourceBody) =>
      rawJson<{ sources: Source[] }>(`/api/v1/bots/${botId}/sources`, { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: knowledgeKeys.sources(botId) }),
  });
}

export function useDeleteSource(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      unwrap(api.DELETE("/api/v1/bots/{bot_id}/sources/{source_id}", { params: { path: { bot_id: botId, source_id: sourceId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: knowledgeKeys.sources(botId) }),
  });
}

export function useResyncSource(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      unwrap(
        api.POST("/api/v1/bots/{bot_id}/sources/{source_id}/resync", { params: { path: { bot_id: botId, source_id: sourceId } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: knowledgeKeys.sources(botId) }),
  });
}

export type SearchMode = "hybrid" | "lexical" | "dense";

export function useSearchKnowledge(botId: string) {
  return useMutation({
    mutationFn: (body: { query: string; k: number; mode: SearchMode }): Promise<SearchHit[]> =>
      unwrap(api.POST("/api/v1/bots/{bot_id}/search", { params: { path: { bot_id: botId } }, body })).then((r) => r.hits),
  });
}
