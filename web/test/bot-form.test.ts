import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, draftOf, sameDraft, supportsOf, tabOfError, toPayload, validateDraft, withDefaults, type Draft } from "@/lib/bot-form";
import { buildSourceBody } from "@/components/knowledge/add-source";
import { TEMPLATES } from "@/lib/templates";
import { headersToText, textToHeaders } from "@/components/bots/editor/tools-tab";

const all = { appearance: true, tools: true, limits: true };
const draft = (patch: Partial<Draft["config"]> = {}): Draft => ({ name: "Bot", enabled: true, allowed_origins: [], config: { ...DEFAULT_CONFIG, ...patch } });

describe("bot config", () => {
  it("fills defaults and leaves out blocks an older server does not know", () => {
    const old = { instructions: "x", model: { provider: "groq" } };
    const supports = supportsOf(old);
    expect(supports).toEqual({ appearance: false, tools: false, limits: false });
    const full = withDefaults(old as never);
    expect(full.model).toMatchObject({ provider: "groq", temperature: 0.2 });
    const payload = toPayload(full, supports) as Record<string, unknown>;
    expect(payload).not.toHaveProperty("appearance");
    expect(payload).not.toHaveProperty("tools");
    expect(toPayload(full, all)).toHaveProperty("appearance.primary_color", "#4f46e5");
  });

  it("validates what the server would refuse, keyed to the editor tab", () => {
    const d = draft({
      idk_policy: "fallback_message",
      fallback_message: " ",
      suggested_questions: ["ok", ""],
      model: { ...DEFAULT_CONFIG.model, provider: "openai-compatible", model: "m", base_url: "not a url" },
      appearance: { ...DEFAULT_CONFIG.appearance, primary_color: "blue" },
      tools: { ...DEFAULT_CONFIG.tools, http_actions: [{ name: "1bad", description: "", method: "GET", url_template: "nope", parameters: {}, headers: {}, secret_headers: {}, timeout_s: 10 }] },
    });
    d.allowed_origins = ["https://ok.example.com", "https://bad.example.com/path"];
    const e = validateDraft(d, all);
    expect(Object.keys(e).sort()).toEqual(
      ["appearance.primary_color", "fallback_message", "model.base_url", "origins.1", "suggested_questions.1", "tools.0.description", "tools.0.name", "tools.0.url_template"].sort(),
    );
    expect(tabOfError("origins.1")).toBe("embed");
    expect(tabOfError("tools.0.name")).toBe("tools");
    expect(validateDraft(draft(), all)).toEqual({});
  });

  it("detects unsaved changes", () => {
    const bot = { id: "b", org_id: "o", name: "B", enabled: true, public_key: "k", allowed_origins: [], config: {}, embedding_model: "m", embedding_dim: 1, created_at: "", updated_at: "" };
    const a = draftOf(bot as never);
    expect(sameDraft(a, draftOf(bot as never))).toBe(true);
    expect(sameDraft(a, { ...a, config: { ...a.config, greeting: "Yo" } })).toBe(false);
  });

  it("ships templates within the server's limits", () => {
    for (const t of TEMPLATES) {
      expect(t.config.suggested_questions?.length ?? 0).toBeLessThanOrEqual(6);
      expect(validateDraft(draft(t.config as Partial<Draft["config"]>), all)).toEqual({});
    }
  });

  it("round-trips HTTP action headers", () => {
    expect(textToHeaders("X-Api: 1\nAuthorization: Bearer a:b\nbad line")).toEqual({ "X-Api": "1", Authorization: "Bearer a:b" });
    expect(headersToText({ A: "1", B: "2" })).toBe("A: 1\nB: 2");
  });
});

describe("add source form", () => {
  const v = { url: "", maxPages: 50, maxDepth: 3, sitemap: true, name: "", text: "", qa: "" };
  it("builds crawl bodies within the limits", () => {
    expect(buildSourceBody("crawl", { ...v, url: "docs.example.com" })).toEqual({ type: "crawl", url: "https://docs.example.com", max_pages: 50, max_depth: 3, use_sitemap: true });
    expect(buildSourceBody("crawl", { ...v, url: "https://x.com", maxPages: 5000 })).toMatch(/between 1 and 1000/);
    expect(buildSourceBody("url", { ...v, url: "" })).toMatch(/web address/);
  });
  it("parses Q&A blocks", () => {
    expect(buildSourceBody("qa", { ...v, qa: "Q: Ship abroad?\nA: Yes.\n\nHow fast?\n2 days,\nusually." })).toEqual({
      type: "qa",
      name: "Questions and answers",
      pairs: [
        { question: "Ship abroad?", answer: "Yes." },
        { question: "How fast?", answer: "2 days,\nusually." },
      ],
    });
    expect(buildSourceBody("qa", { ...v, qa: "Only a question" })).toMatch(/Pair 1 needs/);
  });
});
