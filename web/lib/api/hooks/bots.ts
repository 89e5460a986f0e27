"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";
import type { Bot, BotConfig } from "../types";

const p = (bot_id: string) => ({ params: { path: { bot_id } } });

export const botKeys = {
  list: (orgId: string) => ["bots", "list", orgId] as const,
  one: (id: string) => ["bots", id] as const,
};

export function useBots(orgId: string | undefined) {
  return useQuery({
    queryKey: botKeys.list(orgId ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/bots", { params: { query: { org_id: orgId } } })),
    enabled: !!orgId,
  });
}

export function useBot(botId: string | null) {
  return useQuery({
    queryKey: botKeys.one(botId ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/bots/{bot_id}", p(botId!))),
    enabled: !!botId,
  });
}

export type BotCreateBody = {
  org_id: string;
  name: string;
  config?: Partial<BotConfig>;
  allowed_origins?: string[];
  enabled?: boolean;
};

export function useCreateBot() {
  const qc = useQueryClient();
  return useMutation({
    // Partial configs are filled with the server's defaults.
    mutationFn: (body: BotCreateBody) => unwrap(api.POST("/api/v1/bots", { body: body as never })),
    onSuccess: (bot) => qc.invalidateQueries({ queryKey: botKeys.list(bot.org_id) }),
  });
}

export function useDuplicateBot() {
  const create = useCreateBot();
  return {
    ...create,
    mutateAsync: (bot: Bot) =>
      create.mutateAsync({
        org_id: bot.org_id,
        name: `${bot.name} (copy)`.slice(0, 200),
        config: bot.config,
        allowed_origins: bot.allowed_origins,
        enabled: bot.enabled,
      }),
  };
}

export type BotPatch = { name?: string; config?: BotConfig; allowed_origins?: string[]; enabled?: boolean };

export function useUpdateBot(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BotPatch) => unwrap(api.PATCH("/api/v1/bots/{bot_id}", { ...p(botId), body: body as never })),
    onSuccess: (bot) => {
      qc.setQueryData(botKeys.one(botId), bot);
      qc.invalidateQueries({ queryKey: botKeys.list(bot.org_id) });
    },
  });
}

export function useDeleteBot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (bot: Bot) => unwrap(api.DELETE("/api/v1/bots/{bot_id}", p(bot.id))),
    onSuccess: (_d, bot) => {
      qc.invalidateQueries({ queryKey: botKeys.list(bot.org_id) });
      qc.removeQueries({ queryKey: botKeys.one(bot.id) });
    },
  });
}

export function useRotateBotKey(botId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/bots/{bot_id}/rotate-key", p(botId))),
    onSuccess: (bot) => qc.setQueryData(botKeys.one(botId), bot),
  });
}
