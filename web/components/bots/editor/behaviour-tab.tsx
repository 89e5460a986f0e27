"use client";
import * as React from "react";
import { Plus, X } from "lucide-react";
import type { FullConfig } from "@/lib/bot-form";
import { Field, Section } from "../../field";
import { Input } from "../../ui/input";
import { Textarea } from "../../ui/textarea";
import { NativeSelect } from "../../ui/native-select";
import { Switch } from "../../ui/switch";
import { Label } from "../../ui/label";
import { Button } from "../../ui/button";
import type { EditorProps } from "./bot-editor";

export const LANGUAGES: [string, string][] = [
  ["en", "English"],
  ["es", "Spanish"],
  ["fr", "French"],
  ["de", "German"],
  ["it", "Italian"],
  ["pt", "Portuguese"],
  ["nl", "Dutch"],
  ["pl", "Polish"],
  ["sv", "Swedish"],
  ["ja", "Japanese"],
  ["zh", "Chinese"],
  ["ko", "Korean"],
  ["ar", "Arabic"],
  ["hi", "Hindi"],
  ["auto", "Same as the visitor"],
];

export function BehaviourTab({ draft, setDraft, errors }: EditorProps) {
  const c = draft.config;
  const set = <K extends keyof FullConfig>(k: K, v: FullConfig[K]) => setDraft((d) => ({ ...d, config: { ...d.config, [k]: v } }));
  const setModel = (patch: Partial<FullConfig["model"]>) => setDraft((d) => ({ ...d, config: { ...d.config, model: { ...d.config.model, ...patch } } }));
  const setRetrieval = (patch: Partial<FullConfig["retrieval"]>) =>
    setDraft((d) => ({ ...d, config: { ...d.config, retrieval: { ...d.config.retrieval, ...patch } } }));
  const knownLanguage = LANGUAGES.some(([code]) => code === c.language);
  return (
    <div className="max-w-5xl">
      <Section title="Identity" description="What the bot is called in the dashboard and how it presents itself.">
        <Field id="bot-name-input" label="Name" error={errors.name}>
          <Input value={draft.name} maxLength={200} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} />
        </Field>
        <Field id="bot-persona" label="Persona (optional)" hint="e.g. “Sam, the assistant of Acme's help centre”." error={errors.persona}>
          <Input value={c.persona} maxLength={500} onChange={(e) => set("persona", e.target.value)} />
        </Field>
      </Section>
      <Section title="Instructions" description="How the bot should behave. Plain sentences work best.">
        <Field id="bot-instructions" label="Instructions" hint={`${c.instructions.length.toLocaleString()} / 8,000 characters`} error={errors.instructions}>
          <Textarea rows={8} value={c.instructions} maxLength={8000} onChange={(e) => set("instructions", e.target.value)} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="bot-tone" label="Tone">
            <NativeSelect value={c.tone} onChange={(e) => set("tone", e.target.value as FullConfig["tone"])}>
              <option value="friendly">Friendly</option>
              <option value="neutral">Neutral</option>
              <option value="formal">Formal</option>
              <option value="playful">Playful</option>
            </NativeSelect>
          </Field>
          <Field id="bot-language" label="Answer language" error={errors.language}>
            <NativeSelect value={knownLanguage ? c.language : "__other"} onChange={(e) => set("language", e.target.value === "__other" ? "" : e.target.value)}>
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
              <option value="__other">Other…</option>
            </NativeSelect>
          </Field>
          {!knownLanguage && (
            <Field id="bot-language-code" label="Language code" hint="An ISO code such as “fi” or “pt-BR”.">
              <Input value={c.language} maxLength={10} onChange={(e) => set("language", e.target.value)} />
            </Field>
          )}
        </div>
      </Section>
      <Section title="When it doesn't know" description="What happens when the documents don't answer the question.">
        <fieldset className="space-y-2">
          <legend className="sr-only">I-don&apos;t-know policy</legend>
          {(
            [
              ["fallback_message", "Say so with a fixed message", "Safest: the bot never guesses."],
              ["best_effort", "Answer as best it can", "The bot may answer from general knowledge and says it is not from your documents."],
            ] as const
          ).map(([value, title, help]) => (
            <label key={value} className="flex cursor-pointer gap-3 rounded-md border p-3 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
              <input type="radio" name="idk" className="mt-0.5 h-4 w-4 accent-[hsl(var(--primary))]" checked={c.idk_policy === value} onChange={() => set("idk_policy", value)} />
              <span>
                <span className="block font-medium">{title}</span>
                <span className="block text-muted-foreground">{help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {c.idk_policy === "fallback_message" && (
          <Field id="bot-fallback" label="Fallback message" error={errors.fallback_message}>
            <Textarea rows={2} maxLength={1000} value={c.fallback_message} onChange={(e) => set("fallback_message", e.target.value)} />
          </Field>
        )}
      </Section>
      <Section title="Conversation start" description="Shown when a visitor opens the chat.">
        <Field id="bot-greeting" label="Greeting">
          <Textarea rows={2} maxLength={1000} value={c.greeting} onChange={(e) => set("greeting", e.target.value)} />
        </Field>
        <SuggestedQuestions value={c.suggested_questions} onChange={(v) => set("suggested_questions", v)} errors={errors} />
      </Section>
      <Section
        title="Model"
        description={
          <>
            <strong>Extractive</strong> works offline with no key: it answers with the best passages. Groq or any OpenAI-compatible server writes fluent answers (the server needs its API key).
          </>
        }
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="bot-provider" label="Provider">
            <NativeSelect
              value={c.model.provider}
              onChange={(e) => {
                const provider = e.target.value as FullConfig["model"]["provider"];
                const model = provider === "extractive" ? "extractive" : provider === "groq" ? "llama-3.1-8b-instant" : c.model.model === "extractive" ? "" : c.model.model;
                setModel({ provider, model });
              }}
            >
              <option value="extractive">Extractive (offline, no key)</option>
              <option value="groq">Groq</option>
              <option value="openai-compatible">OpenAI-compatible</option>
            </NativeSelect>
          </Field>
          {c.model.provider !== "extractive" && (
            <Field id="bot-model" label="Model name" error={errors["model.model"]}>
              <Input value={c.model.model} maxLength={200} onChange={(e) => setModel({ model: e.target.value })} />
            </Field>
          )}
          {c.model.provider === "openai-compatible" && (
            <Field id="bot-base-url" label="Base URL" className="space-y-2 sm:col-span-2" error={errors["model.base_url"]} hint="e.g. https://api.openai.com/v1 or your own vLLM / Ollama server.">
              <Input type="url" value={c.model.base_url ?? ""} onChange={(e) => setModel({ base_url: e.target.value || null })} />
            </Field>
          )}
        </div>
        {c.model.provider !== "extractive" && (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="bot-temperature" label={`Temperature: ${c.model.temperature.toFixed(1)}`} hint="Lower is more precise, higher more varied." error={errors["model.temperature"]}>
              <input
                type="range"
                min={0}
                max={2}
                step={0.1}
                value={c.model.temperature}
                onChange={(e) => setModel({ temperature: Number(e.target.value) })}
                className="w-full accent-[hsl(var(--primary))]"
              />
            </Field>
            <Field id="bot-max-tokens" label="Longest answer (tokens)" error={errors["model.max_answer_tokens"]}>
              <Input type="number" min={16} max={8192} value={c.model.max_answer_tokens} onChange={(e) => setModel({ max_answer_tokens: Number(e.target.value) })} />
            </Field>
            <div className="flex items-center gap-3 sm:col-span-2">
              <Switch id="bot-fallback-extractive" checked={c.model.fallback_to_extractive} onCheckedChange={(v) => setModel({ fallback_to_extractive: v })} />
              <Label htmlFor="bot-fallback-extractive" className="font-normal">
                If the model is unreachable, answer with extractive passages instead of an error
              </Label>
            </div>
          </div>
        )}
      </Section>
      <Section title="Retrieval" description="How many passages the bot reads before answering, and how relevant they must be.">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="bot-k" label="Passages per answer" error={errors["retrieval.k"]}>
            <Input type="number" min={1} max={20} value={c.retrieval.k} onChange={(e) => setRetrieval({ k: Number(e.target.value) })} />
          </Field>
          <Field id="bot-min-relevance" label={`Minimum relevance: ${c.retrieval.min_relevance.toFixed(2)}`} hint="Passages below this are ignored." error={errors["retrieval.min_relevance"]}>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={c.retrieval.min_relevance}
              onChange={(e) => setRetrieval({ min_relevance: Number(e.target.value) })}
              className="w-full accent-[hsl(var(--primary))]"
            />
          </Field>
          <div className="flex items-center gap-3 sm:col-span-2">
            <Switch id="bot-search-first" checked={c.retrieval.search_first} onCheckedChange={(v) => setRetrieval({ search_first: v })} />
            <Label htmlFor="bot-search-first" className="font-normal">
              Search the documents with each message before the model answers (faster: one model call fewer). Off: the model decides when to search.
            </Label>
          </div>
        </div>
      </Section>
    </div>
  );
}

export function SuggestedQuestions({ value, onChange, errors }: { value: string[]; onChange: (v: string[]) => void; errors: Record<string, string> }) {
  const refs = React.useRef<(HTMLInputElement | null)[]>([]);
  const [focusIndex, setFocusIndex] = React.useState<number | null>(null);
  React.useEffect(() => {
    if (focusIndex !== null) refs.current[focusIndex]?.focus();
    setFocusIndex(null);
  }, [focusIndex]);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Suggested questions</legend>
      <p className="text-xs text-muted-foreground">Up to 6 buttons visitors can tap to start. {value.length} of 6 used.</p>
      <ul className="space-y-2">
        {value.map((q, i) => (
          <li key={i} className="flex items-start gap-2">
            <div className="flex-1">
              <Input
                ref={(el) => {
                  refs.current[i] = el;
                }}
                aria-label={`Suggested question ${i + 1}`}
                value={q}
                maxLength={200}
                aria-invalid={!!errors[`suggested_questions.${i}`]}
                onChange={(e) => onChange(value.map((x, j) => (j === i ? e.target.value : x)))}
              />
              {errors[`suggested_questions.${i}`] && <p className="mt-1 text-sm text-destructive">{errors[`suggested_questions.${i}`]}</p>}
            </div>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove suggested question ${i + 1}`}
              onClick={() => {
                onChange(value.filter((_, j) => j !== i));
                setFocusIndex(Math.max(0, i - 1));
              }}
            >
              <X aria-hidden />
            </Button>
          </li>
        ))}
      </ul>
      {errors.suggested_questions && <p className="text-sm text-destructive">{errors.suggested_questions}</p>}
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={value.length >= 6}
        onClick={() => {
          onChange([...value, ""]);
          setFocusIndex(value.length);
        }}
      >
        <Plus aria-hidden /> Add a question
      </Button>
    </fieldset>
  );
}
