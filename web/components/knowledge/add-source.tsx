"use client";
import * as React from "react";
import { Loader2 } from "lucide-react";
import { useAddSource, type AddSourceBody } from "@/lib/api/hooks/knowledge";
import { errorMessage } from "@/lib/api/errors";
import { isHttpUrl } from "@/lib/bot-form";
import { Field } from "../field";
import { Input } from "../ui/input";
import { Textarea } from "../ui/textarea";
import { Button } from "../ui/button";
import { Alert } from "../ui/alert";
import { Switch } from "../ui/switch";
import { Label } from "../ui/label";
import { toast } from "../ui/toast";
import { cn } from "@/lib/utils";

type Kind = "url" | "crawl" | "text" | "qa";
const KINDS: [Kind, string][] = [
  ["crawl", "Whole website"],
  ["url", "One page"],
  ["text", "Text"],
  ["qa", "Q&A pairs"],
];

export const CRAWL_LIMITS = { pages: [1, 1000], depth: [0, 10] } as const;

/** Validates the form and builds the API body, or returns an error message. */
export function buildSourceBody(kind: Kind, v: { url: string; maxPages: number; maxDepth: number; sitemap: boolean; name: string; text: string; qa: string }): AddSourceBody | string {
  if (kind === "url" || kind === "crawl") {
    const url = /^https?:\/\//i.test(v.url.trim()) ? v.url.trim() : `https://${v.url.trim()}`;
    if (!v.url.trim() || !isHttpUrl(url)) return "Enter a web address like https://example.com/help.";
    if (kind === "url") return { type: "url", url };
    if (!(v.maxPages >= CRAWL_LIMITS.pages[0] && v.maxPages <= CRAWL_LIMITS.pages[1])) return `Pages must be between ${CRAWL_LIMITS.pages[0]} and ${CRAWL_LIMITS.pages[1]}.`;
    if (!(v.maxDepth >= CRAWL_LIMITS.depth[0] && v.maxDepth <= CRAWL_LIMITS.depth[1])) return `Link depth must be between ${CRAWL_LIMITS.depth[0]} and ${CRAWL_LIMITS.depth[1]}.`;
    return { type: "crawl", url, max_pages: v.maxPages, max_depth: v.maxDepth, use_sitemap: v.sitemap };
  }
  if (kind === "text") {
    if (!v.text.trim()) return "Paste some text first.";
    return { type: "text", name: v.name.trim() || "Text", text: v.text };
  }
  // Q&A: blocks separated by a blank line; the first line is the question, the rest the answer.
  const pairs = v.qa
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const [q, ...rest] = block.split("\n");
      return { question: q.replace(/^q:\s*/i, "").trim(), answer: rest.join("\n").replace(/^a:\s*/i, "").trim() };
    });
  if (!pairs.length) return "Write at least one question with its answer.";
  const bad = pairs.findIndex((p) => !p.question || !p.answer);
  if (bad >= 0) return `Pair ${bad + 1} needs both a question (first line) and an answer (next lines).`;
  return { type: "qa", name: v.name.trim() || "Questions and answers", pairs };
}

export function AddSource({ botId }: { botId: string }) {
  const add = useAddSource(botId);
  const [kind, setKind] = React.useState<Kind>("crawl");
  const [v, setV] = React.useState({ url: "", maxPages: 50, maxDepth: 3, sitemap: true, name: "", text: "", qa: "" });
  const [error, setError] = React.useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setV((s) => ({ ...s, [k]: e.target.type === "number" ? Number(e.target.value) : e.target.value }));
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const body = buildSourceBody(kind, v);
        if (typeof body === "string") return setError(body);
        setError(null);
        add.mutate(body, {
          onSuccess: () => {
            toast({ title: kind === "crawl" ? "Crawl started" : "Source added", description: "It appears in the list below and becomes ready in a moment." });
            setV((s) => ({ ...s, url: "", text: "", qa: "", name: "" }));
          },
          onError: (err) => setError(errorMessage(err)),
        });
      }}
    >
      <div role="radiogroup" aria-label="What to add" className="inline-flex flex-wrap gap-1 rounded-md bg-muted p-1">
        {KINDS.map(([k, label]) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            onClick={() => {
              setKind(k);
              setError(null);
            }}
            className={cn(
              "rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              kind === k ? "bg-background shadow-sm" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {label}
          </button>
        ))}
      </div>
      {(kind === "url" || kind === "crawl") && (
        <Field id="source-url" label={kind === "crawl" ? "Website address" : "Page address"} hint={kind === "crawl" ? "Pages are followed from here, on the same site only." : "Only this page is read."}>
          <Input type="url" inputMode="url" placeholder="https://example.com/help" value={v.url} onChange={set("url")} />
        </Field>
      )}
      {kind === "crawl" && (
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="crawl-pages" label="Most pages" hint={`${CRAWL_LIMITS.pages[0]}–${CRAWL_LIMITS.pages[1]}`}>
            <Input type="number" min={CRAWL_LIMITS.pages[0]} max={CRAWL_LIMITS.pages[1]} value={v.maxPages} onChange={set("maxPages")} />
          </Field>
          <Field id="crawl-depth" label="Link depth" hint={`${CRAWL_LIMITS.depth[0]}–${CRAWL_LIMITS.depth[1]} clicks from the start page`}>
            <Input type="number" min={CRAWL_LIMITS.depth[0]} max={CRAWL_LIMITS.depth[1]} value={v.maxDepth} onChange={set("maxDepth")} />
          </Field>
          <div className="flex items-center gap-3 pt-6">
            <Switch id="crawl-sitemap" checked={v.sitemap} onCheckedChange={(c) => setV((s) => ({ ...s, sitemap: c }))} />
            <Label htmlFor="crawl-sitemap" className="font-normal">
              Use the sitemap
            </Label>
          </div>
        </div>
      )}
      {(kind === "text" || kind === "qa") && (
        <Field id="source-name" label="Name">
          <Input value={v.name} maxLength={300} placeholder={kind === "qa" ? "Questions and answers" : "e.g. Return policy"} onChange={set("name")} />
        </Field>
      )}
      {kind === "text" && (
        <Field id="source-text" label="Text">
          <Textarea rows={6} value={v.text} onChange={set("text")} />
        </Field>
      )}
      {kind === "qa" && (
        <Field id="source-qa" label="Questions and answers" hint="One pair per block: the question on the first line, the answer below it, a blank line between pairs.">
          <Textarea rows={7} value={v.qa} onChange={set("qa")} placeholder={"Do you ship abroad?\nYes, to 30 countries.\n\nHow long does delivery take?\n2 to 4 working days."} />
        </Field>
      )}
      {error && <Alert variant="destructive">{error}</Alert>}
      <Button type="submit" disabled={add.isPending}>
        {add.isPending && <Loader2 className="animate-spin" aria-hidden />}
        {kind === "crawl" ? "Start crawling" : "Add"}
      </Button>
    </form>
  );
}
