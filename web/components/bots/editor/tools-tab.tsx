"use client";
import * as React from "react";
import { ChevronDown, Plus, Trash2 } from "lucide-react";
import type { HttpAction, Tools, Limits } from "@/lib/bot-form";
import { Field, Section } from "../../field";
import { Input } from "../../ui/input";
import { Textarea } from "../../ui/textarea";
import { NativeSelect } from "../../ui/native-select";
import { Switch } from "../../ui/switch";
import { Label } from "../../ui/label";
import { Button } from "../../ui/button";
import { Alert } from "../../ui/alert";
import { Badge } from "../../ui/badge";
import type { EditorProps } from "./bot-editor";

const NEW_ACTION: HttpAction = {
  name: "",
  description: "",
  method: "GET",
  url_template: "https://",
  parameters: { type: "object", properties: {} },
  headers: {},
  secret_headers: {},
  timeout_s: 10,
};

/** "a: b" lines ⇄ {a: "b"} */
export function headersToText(h: Record<string, string>): string {
  return Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}
export function textToHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export function ToolsTab({ draft, setDraft, errors, supported }: EditorProps & { supported: boolean }) {
  if (!supported)
    return <Alert>This server does not support tools yet. Update Parley to turn on lead capture, human handoff and HTTP actions.</Alert>;
  const t = draft.config.tools;
  const setTools = (patch: Partial<Tools>) => setDraft((d) => ({ ...d, config: { ...d.config, tools: { ...d.config.tools, ...patch } } }));
  const setLimits = (patch: Partial<Limits>) => setDraft((d) => ({ ...d, config: { ...d.config, limits: { ...d.config.limits, ...patch } } }));
  const setAction = (i: number, patch: Partial<HttpAction>) => setTools({ http_actions: t.http_actions.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  return (
    <div className="max-w-5xl">
      <Section title="Built-in tools" description="Abilities the bot uses when the conversation calls for them.">
        <div className="flex items-start gap-3">
          <Switch id="tool-lead" checked={t.lead_capture} onCheckedChange={(v) => setTools({ lead_capture: v })} aria-describedby="tool-lead-help" />
          <div>
            <Label htmlFor="tool-lead">Lead capture</Label>
            <p id="tool-lead-help" className="text-sm text-muted-foreground">
              The bot may ask interested visitors for their name and email. Leads appear under Conversations.
            </p>
          </div>
        </div>
        <div className="flex items-start gap-3">
          <Switch id="tool-handoff" checked={t.handoff} onCheckedChange={(v) => setTools({ handoff: v })} aria-describedby="tool-handoff-help" />
          <div>
            <Label htmlFor="tool-handoff">Human handoff</Label>
            <p id="tool-handoff-help" className="text-sm text-muted-foreground">
              When the visitor asks for a person or the bot is stuck, the conversation is flagged &ldquo;needs a human&rdquo;.
            </p>
          </div>
        </div>
      </Section>
      <Section title="HTTP actions" description="Let the bot call your own API, e.g. to look up an order. It fills the {placeholders} from the conversation.">
        {t.http_actions.length === 0 && <p className="text-sm text-muted-foreground">No actions yet.</p>}
        <ul className="space-y-3">
          {t.http_actions.map((a, i) => (
            <ActionEditor
              key={i}
              index={i}
              action={a}
              errors={errors}
              onChange={(patch) => setAction(i, patch)}
              onRemove={() => setTools({ http_actions: t.http_actions.filter((_, j) => j !== i) })}
            />
          ))}
        </ul>
        <Button type="button" variant="outline" size="sm" disabled={t.http_actions.length >= 20} onClick={() => setTools({ http_actions: [...t.http_actions, NEW_ACTION] })}>
          <Plus aria-hidden /> Add an HTTP action
        </Button>
      </Section>
      <Section title="Limits" description="Guard rails per visitor message.">
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="limit-tools" label="Tool calls per answer">
            <Input type="number" min={1} max={10} value={draft.config.limits.max_tool_calls} onChange={(e) => setLimits({ max_tool_calls: Number(e.target.value) })} />
          </Field>
          <Field id="limit-tokens" label="Tokens per turn">
            <Input type="number" min={256} max={100000} value={draft.config.limits.max_tokens_per_turn} onChange={(e) => setLimits({ max_tokens_per_turn: Number(e.target.value) })} />
          </Field>
          <Field id="limit-chars" label="Longest visitor message (characters)">
            <Input type="number" min={100} max={20000} value={draft.config.limits.max_message_chars} onChange={(e) => setLimits({ max_message_chars: Number(e.target.value) })} />
          </Field>
        </div>
      </Section>
    </div>
  );
}

function ActionEditor({
  index: i,
  action: a,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  action: HttpAction;
  errors: Record<string, string>;
  onChange: (p: Partial<HttpAction>) => void;
  onRemove: () => void;
}) {
  const hasError = Object.keys(errors).some((k) => k.startsWith(`tools.${i}.`));
  const [open, setOpen] = React.useState(!a.name || hasError);
  React.useEffect(() => {
    if (hasError) setOpen(true);
  }, [hasError]);
  const [params, setParams] = React.useState(() => JSON.stringify(a.parameters, null, 2));
  const [paramsError, setParamsError] = React.useState<string | null>(null);
  const [headers, setHeaders] = React.useState(() => headersToText(a.headers));
  const [secrets, setSecrets] = React.useState(() => headersToText(a.secret_headers));
  const id = `action-${i}`;
  return (
    <li className="rounded-lg border">
      <div className="flex items-center gap-2 p-3">
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-2 rounded text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          aria-expanded={open}
          aria-controls={`${id}-body`}
          onClick={() => setOpen((o) => !o)}
        >
          <ChevronDown className={`h-4 w-4 transition-transform ${open ? "" : "-rotate-90"}`} aria-hidden />
          <Badge variant="outline">{a.method}</Badge>
          <span className="truncate font-mono text-sm">{a.name || "new action"}</span>
          {hasError && <span className="text-sm text-destructive">needs attention</span>}
        </button>
        <Button type="button" variant="ghost" size="icon" aria-label={`Remove action ${a.name || i + 1}`} onClick={onRemove}>
          <Trash2 aria-hidden />
        </Button>
      </div>
      {open && (
        <div id={`${id}-body`} className="grid gap-4 border-t p-3 sm:grid-cols-2">
          <Field id={`${id}-name`} label="Name" hint="Letters, digits and _, e.g. get_order_status." error={errors[`tools.${i}.name`]}>
            <Input value={a.name} maxLength={64} onChange={(e) => onChange({ name: e.target.value })} className="font-mono" />
          </Field>
          <div className="grid grid-cols-[7rem_1fr] gap-3">
            <Field id={`${id}-method`} label="Method">
              <NativeSelect value={a.method} onChange={(e) => onChange({ method: e.target.value as HttpAction["method"] })}>
                {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </NativeSelect>
            </Field>
            <Field id={`${id}-timeout`} label="Timeout (s)" error={errors[`tools.${i}.timeout_s`]}>
              <Input type="number" min={1} max={30} value={a.timeout_s} onChange={(e) => onChange({ timeout_s: Number(e.target.value) })} />
            </Field>
          </div>
          <Field id={`${id}-desc`} label="When to use it" className="space-y-2 sm:col-span-2" hint="The bot reads this to decide. e.g. “Look up the status of an order by its number.”" error={errors[`tools.${i}.description`]}>
            <Textarea rows={2} maxLength={1000} value={a.description} onChange={(e) => onChange({ description: e.target.value })} />
          </Field>
          <Field id={`${id}-url`} label="URL" className="space-y-2 sm:col-span-2" hint="Use {name} for values the bot fills in." error={errors[`tools.${i}.url_template`]}>
            <Input value={a.url_template} maxLength={2000} onChange={(e) => onChange({ url_template: e.target.value })} className="font-mono text-xs" />
          </Field>
          <Field id={`${id}-params`} label="Parameters (JSON schema)" className="space-y-2 sm:col-span-2" error={paramsError ?? undefined}>
            <Textarea
              rows={5}
              className="font-mono text-xs"
              value={params}
              onChange={(e) => {
                setParams(e.target.value);
                try {
                  const parsed = JSON.parse(e.target.value);
                  if (typeof parsed !== "object" || Array.isArray(parsed) || parsed === null) throw new Error();
                  setParamsError(null);
                  onChange({ parameters: parsed });
                } catch {
                  setParamsError("This is not a valid JSON object yet; the last valid version is kept.");
                }
              }}
            />
          </Field>
          <Field id={`${id}-headers`} label="Headers" hint="One per line: Name: value">
            <Textarea
              rows={3}
              className="font-mono text-xs"
              value={headers}
              onChange={(e) => {
                setHeaders(e.target.value);
                onChange({ headers: textToHeaders(e.target.value) });
              }}
            />
          </Field>
          <Field id={`${id}-secrets`} label="Secret headers" hint="Stored encrypted and shown masked, e.g. Authorization: Bearer …">
            <Textarea
              rows={3}
              className="font-mono text-xs"
              value={secrets}
              onChange={(e) => {
                setSecrets(e.target.value);
                onChange({ secret_headers: textToHeaders(e.target.value) });
              }}
            />
          </Field>
        </div>
      )}
    </li>
  );
}
