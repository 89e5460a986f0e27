"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";

export type FeedbackFilter = "" | "positive" | "negative" | "any";

export type ConversationFilters = {
  needs_human?: boolean;
  feedback?: FeedbackFilter;
  /** yyyy-mm-dd, local day */
  since?: string;
  until?: string;
  limit: number;
  offset: number;
};

/** Filter form values → API query (dates become the local day's start and end). */
export function filtersToQuery(f: ConversationFilters) {
  return {
    limit: f.limit,
    offset: f.offset,
    ...(f.needs_human ? { needs_human: true } : {}),
    ...(f.feedback ? { feedback: f.feedback } : {}),
    ...(f.since ? { since: new Date(f.since + "T00:00:00").toISOString() } : {}),
    ...(f.until ? { until: new Date(f.until + "T23:59:59.999").toISOString() } : {}),
  };
}

export const conversationKeys = {
  list: (botId: string, f: ConversationFilters) => ["bots", botId, "conversations", f] as const,
  all: (botId: string) => ["bots", botId, "conversations"] as const,
  one: (id: string) => ["conversations", id] as const,
  leads: (botId: string) => ["bots", botId, "leads"] as const,
};

export function useConversations(botId: string, f: ConversationFilters) {
  return useQuery({
    queryKey: conversationKeys.list(botId, f),
    queryFn: () =>
      unwrap(api.GET("/api/v1/bots/{bot_id}/conversations", { params: { path: { bot_id: botId }, query: filtersToQuery(f) } })),
    placeholderData: keepPreviousData,
  });
}

export function useConversation(id: string | null) {
  return useQuery({
    queryKey: conversationKeys.one(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id! } } })),
    enabled: !!id,
  });
}

export function useDeleteConversation(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: conversationKeys.all(botId) }),
  });
}

export const LEADS_PAGE = 50;

export function useLeads(botId: string, page: number) {
  return useQuery({
    queryKey: [...conversationKeys.leads(botId), page],
    queryFn: () =>
      unwrap(api.GET("/api/v1/bots/{bot_id}/leads", { params: { path: { bot_id: botId }, query: { limit: LEADS_PAGE + 1, offset: page * LEADS_PAGE } } })).then(
        (r) => ({ leads: r.leads.slice(0, LEADS_PAGE), more: r.leads.length > LEADS_PAGE }),
      ),
    placeholderData: keepPreviousData,
  });
}
