import type { Bot, BotConfig } from "./api/types";

/** Bot config with every field present (the server fills defaults; older servers lack newer blocks). */
export type Appearance = {
  primary_color: string;
  theme: "light" | "dark" | "auto";
  position: "right" | "left";
  launcher_icon: "chat" | "help" | "sparkle";
  avatar_url: string | null;
  title: string;
  bubble_text: string;
};
export type HttpAction = {
  name: string;
  description: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url_template: string;
  parameters: Record<string, unknown>;
  headers: Record<string, string>;
  secret_headers: Record<string, string>;
  timeout_s: number;
};
export type Tools = { lead_capture: boolean; handoff: boolean; http_actions: HttpAction[] };
export type Limits = { max_tool_calls: number; max_tokens_per_turn: number; max_message_chars: number };
export type FullConfig = {
  instructions: string;
  persona: string;
  tone: "friendly" | "neutral" | "formal" | "playful";
  language: string;
  model: {
    provider: "extractive" | "groq" | "openai-compatible";
    model: string;
    base_url: string | null;
    temperature: number;
    max_answer_tokens: number;
    fallback_to_extractive: boolean;
  };
  retrieval: { k: number; min_relevance: number; search_first: boolean };
  idk_policy: "fallback_message" | "best_effort";
  fallback_message: string;
  greeting: string;
  suggested_questions: string[];
  appearance: Appearance;
  tools: Tools;
  limits: Limits;
};

export const DEFAULT_APPEARANCE: Appearance = {
  primary_color: "#4f46e5",
  theme: "auto",
  position: "right",
  launcher_icon: "chat",
  avatar_url: null,
  title: "Chat with us",
  bubble_text: "Questions? Ask me!",
};

export const DEFAULT_CONFIG: FullConfig = {
  instructions: "You are a helpful assistant. Answer from the knowledge base.",
  persona: "",
  tone: "friendly",
  language: "en",
  model: { provider: "extractive", model: "extractive", base_url: null, temperature: 0.2, max_answer_tokens: 512, fallback_to_extractive: true },
  retrieval: { k: 5, min_relevance: 0.2, search_first: true },
  idk_policy: "fallback_message",
  fallback_message: "I don't know the answer to that from the documents I have.",
  greeting: "Hi! How can I help you today?",
  suggested_questions: [],
  appearance: DEFAULT_APPEARANCE,
  tools: { lead_capture: true, handoff: true, http_actions: [] },
  limits: { max_tool_calls: 4, max_tokens_per_turn: 6000, max_message_chars: 4000 },
};

export type Supports = { appearance: boolean; tools: boolean; limits: boolean };

export function supportsOf(config: BotConfig | Record<string, unknown>): Supports {
  return { appearance: "appearance" in config, tools: "tools" in config, limits: "limits" in config };
}

export function withDefaults(config: BotConfig | Record<string, unknown>): FullConfig {
  const c = config as Partial<FullConfig>;
  return {
    ...DEFAULT_CONFIG,
    ...c,
    model: { ...DEFAULT_CONFIG.model, ...(c.model ?? {}) },
    retrieval: { ...DEFAULT_CONFIG.retrieval, ...(c.retrieval ?? {}) },
    appearance: { ...DEFAULT_APPEARANCE, ...(c.appearance ?? {}) },
    tools: { ...DEFAULT_CONFIG.tools, ...(c.tools ?? {}) },
    limits: { ...DEFAULT_CONFIG.limits, ...(c.limits ?? {}) },
    suggested_questions: c.suggested_questions ?? [],
  } as FullConfig;
}

/** What is sent back: blocks this server does not know are left out (its config forbids extra keys). */
export function toPayload(config: FullConfig, supports: Supports): BotConfig {
  const out: Record<string, unknown> = { ...config, model: { ...config.model, base_url: config.model.base_url || null } };
  if (!supports.appearance) delete out.appearance;
  else out.appearance = { ...config.appearance, avatar_url: config.appearance.avatar_url || null };
  if (!supports.tools) delete out.tools;
  if (!supports.limits) delete out.limits;
  return out as BotConfig;
}

export type Draft = { name: string; enabled: boolean; config: FullConfig; allowed_origins: string[] };

export function draftOf(bot: Bot): Draft {
  return { name: bot.name, enabled: bot.enabled, config: withDefaults(bot.config), allowed_origins: [...bot.allowed_origins] };
}

export function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type DraftErrors = Record<string, string>;

export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** "https://example.com", "http://localhost:3000", or a wildcard subdomain "https://*.example.com". */
export function normalizeOrigin(input: string): { origin?: string; error?: string } {
  const raw = input.trim().replace(/\/+$/, "");
  if (!raw) return { error: "Enter a site address." };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const wildcard = withScheme.includes("://*.");
  let u: URL;
  try {
    u = new URL(wildcard ? withScheme.replace("://*.", "://wildcard-placeholder.") : withScheme);
  } catch {
    return { error: `"${input.trim()}" is not a site address. Use the form https://www.example.com.` };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return { error: "Only http:// and https:// sites can embed the widget." };
  if (u.pathname !== "/" || u.search || u.hash) return { error: "Use only the site's origin, without a path: https://www.example.com." };
  if (!u.hostname.includes(".") && u.hostname !== "localhost" && !/^\d+\.\d+\.\d+\.\d+$/.test(u.hostname))
    return { error: `"${u.hostname}" is not a full domain name.` };
  const origin = u.origin.replace("wildcard-placeholder.", "*.");
  return { origin };
}

export function validateDraft(d: Draft, supports: Supports): DraftErrors {
  const e: DraftErrors = {};
  const c = d.config;
  if (!d.name.trim()) e.name = "Give the bot a name.";
  if (c.instructions.length > 8000) e.instructions = "Instructions can be at most 8,000 characters.";
  if (c.persona.length > 500) e.persona = "The persona can be at most 500 characters.";
  if (!c.language.trim()) e.language = "Choose a language.";
  if (c.idk_policy === "fallback_message" && !c.fallback_message.trim()) e.fallback_message = "Write the message shown when the bot does not know.";
  if (c.suggested_questions.length > 6) e.suggested_questions = "At most 6 suggested questions.";
  c.suggested_questions.forEach((q, i) => {
    if (!q.trim() || q.length > 200) e[`suggested_questions.${i}`] = "Each question must be 1 to 200 characters.";
  });
  if (c.model.provider !== "extractive" && !c.model.model.trim()) e["model.model"] = "Enter the model name, e.g. llama-3.1-8b-instant.";
  if (c.model.provider === "openai-compatible" && !isHttpUrl(c.model.base_url ?? "")) e["model.base_url"] = "Enter the API base URL, e.g. https://api.example.com/v1.";
  if (!(c.model.temperature >= 0 && c.model.temperature <= 2)) e["model.temperature"] = "Temperature is between 0 and 2.";
  if (!(c.model.max_answer_tokens >= 16 && c.model.max_answer_tokens <= 8192)) e["model.max_answer_tokens"] = "Between 16 and 8,192 tokens.";
  if (!(c.retrieval.k >= 1 && c.retrieval.k <= 20)) e["retrieval.k"] = "Between 1 and 20 passages.";
  if (!(c.retrieval.min_relevance >= 0 && c.retrieval.min_relevance <= 1)) e["retrieval.min_relevance"] = "Between 0 and 1.";
  if (supports.appearance) {
    const a = c.appearance;
    if (!/^#[0-9a-fA-F]{6}$/.test(a.primary_color)) e["appearance.primary_color"] = "Use a colour like #4f46e5.";
    if (a.avatar_url && !isHttpUrl(a.avatar_url)) e["appearance.avatar_url"] = "Use a full image address starting with https://.";
    if (a.title.length > 100) e["appearance.title"] = "At most 100 characters.";
    if (a.bubble_text.length > 200) e["appearance.bubble_text"] = "At most 200 characters.";
  }
  if (supports.tools) {
    const names = new Set<string>();
    c.tools.http_actions.forEach((a, i) => {
      if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(a.name)) e[`tools.${i}.name`] = "Letters, digits and _ only, starting with a letter (e.g. get_order).";
      else if (names.has(a.name)) e[`tools.${i}.name`] = "Another action has this name.";
      names.add(a.name);
      if (!a.description.trim()) e[`tools.${i}.description`] = "Describe when the bot should use this action.";
      if (!isHttpUrl(a.url_template.replace(/\{[^}]*\}/g, "x"))) e[`tools.${i}.url_template`] = "Use a full URL such as https://api.example.com/orders/{order_id}.";
      if (!(a.timeout_s > 0 && a.timeout_s <= 30)) e[`tools.${i}.timeout_s`] = "Between 1 and 30 seconds.";
    });
  }
  d.allowed_origins.forEach((o, i) => {
    const r = normalizeOrigin(o);
    if (r.error) e[`origins.${i}`] = r.error;
  });
  return e;
}

/** Which editor tab holds a field with an error (to send the person there). */
export function tabOfError(key: string): string {
  if (key.startsWith("appearance.")) return "appearance";
  if (key.startsWith("tools.")) return "tools";
  if (key.startsWith("origins.")) return "embed";
  return "behaviour";
}
