"use client";
import * as React from "react";
import type { Appearance } from "@/lib/bot-form";
import { contrast, normalizeHex } from "@/lib/color";
import { Field } from "../field";
import { Input } from "../ui/input";
import { Textarea } from "../ui/textarea";
import { Alert } from "../ui/alert";
import { cn } from "@/lib/utils";
import { LAUNCHER_ICONS } from "./widget-mock";

export const SWATCHES = ["#4f46e5", "#2563eb", "#0f766e", "#15803d", "#b45309", "#be123c", "#7c3aed", "#111827"];

function Choice<T extends string>({ legend, value, options, onChange, name }: { legend: string; value: T; options: [T, React.ReactNode][]; onChange: (v: T) => void; name: string }) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-2">
        {options.map(([v, label]) => (
          <label
            key={v}
            className={cn(
              "flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
              value === v && "border-primary bg-accent",
            )}
          >
            <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} className="sr-only" />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The appearance fields; `greeting` is the bot's greeting (shared with Behaviour). */
export function AppearanceEditor({
  value: a,
  onChange,
  greeting,
  onGreeting,
  errors = {},
}: {
  value: Appearance;
  onChange: (patch: Partial<Appearance>) => void;
  greeting: string;
  onGreeting: (v: string) => void;
  errors?: Record<string, string>;
}) {
  const [hexText, setHexText] = React.useState(a.primary_color);
  // Follow outside changes (swatches, picker) without rewriting what is being typed.
  React.useEffect(() => {
    setHexText((t) => (/^#?[0-9a-f]{6}$/i.test(t.trim()) && normalizeHex(t) === a.primary_color ? t : a.primary_color));
  }, [a.primary_color]);
  const faint = a.theme !== "dark" && contrast(a.primary_color, "#ffffff") < 3;
  return (
    <div className="space-y-5">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Main colour</legend>
        <div className="flex flex-wrap items-center gap-2">
          {SWATCHES.map((c) => (
            <button
              key={c}
              type="button"
              aria-label={`Use colour ${c}`}
              aria-pressed={a.primary_color.toLowerCase() === c}
              onClick={() => onChange({ primary_color: c })}
              className={cn("h-8 w-8 rounded-full border-2 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2", a.primary_color.toLowerCase() === c ? "border-foreground" : "border-transparent")}
              style={{ background: c }}
            />
          ))}
          <input
            type="color"
            aria-label="Pick any colour"
            value={a.primary_color}
            onChange={(e) => onChange({ primary_color: e.target.value.toLowerCase() })}
            className="h-8 w-10 cursor-pointer rounded border bg-transparent"
          />
          <div className="w-32">
            <label htmlFor="appearance-hex" className="sr-only">
              Colour code
            </label>
            <Input
              id="appearance-hex"
              value={hexText}
              maxLength={7}
              className="font-mono"
              aria-invalid={!!errors["appearance.primary_color"] || !normalizeHex(hexText)}
              onChange={(e) => {
                setHexText(e.target.value);
                // Six digits apply at once; three ("#abc") only on leaving the field, as typing passes through them.
                if (/^#?[0-9a-f]{6}$/i.test(e.target.value.trim())) onChange({ primary_color: normalizeHex(e.target.value)! });
              }}
              onBlur={() => {
                const hex = normalizeHex(hexText);
                if (hex) {
                  setHexText(hex);
                  onChange({ primary_color: hex });
                }
              }}
            />
          </div>
        </div>
        {!normalizeHex(hexText) && <p className="mt-1 text-sm text-destructive">Use a colour code like #4f46e5.</p>}
        {faint && (
          <Alert variant="warning" className="mt-2">
            This light colour barely stands out on a white page: visitors may miss the chat button and your messages&apos; edges. Pick a darker shade.
          </Alert>
        )}
      </fieldset>
      <Choice
        legend="Theme"
        name="appearance-theme"
        value={a.theme}
        onChange={(v) => onChange({ theme: v })}
        options={[
          ["light", "Light"],
          ["dark", "Dark"],
          ["auto", "Follow the visitor's device"],
        ]}
      />
      <Choice
        legend="Position"
        name="appearance-position"
        value={a.position}
        onChange={(v) => onChange({ position: v })}
        options={[
          ["right", "Bottom right"],
          ["left", "Bottom left"],
        ]}
      />
      <Choice
        legend="Launcher icon"
        name="appearance-icon"
        value={a.launcher_icon}
        onChange={(v) => onChange({ launcher_icon: v })}
        options={(Object.keys(LAUNCHER_ICONS) as (keyof typeof LAUNCHER_ICONS)[]).map((k) => {
          const I = LAUNCHER_ICONS[k];
          return [k, <span key={k} className="flex items-center gap-2"><I className="h-4 w-4" aria-hidden />{k === "chat" ? "Chat" : k === "help" ? "Help" : "Sparkle"}</span>];
        })}
      />
      <Field id="appearance-title" label="Window title" error={errors["appearance.title"]}>
        <Input value={a.title} maxLength={100} onChange={(e) => onChange({ title: e.target.value })} />
      </Field>
      <Field id="appearance-avatar" label="Avatar image URL (optional)" hint="A square image, e.g. your logo: https://example.com/logo.png" error={errors["appearance.avatar_url"]}>
        <Input type="url" value={a.avatar_url ?? ""} onChange={(e) => onChange({ avatar_url: e.target.value || null })} />
      </Field>
      <Field id="appearance-greeting" label="Greeting">
        <Textarea rows={2} maxLength={1000} value={greeting} onChange={(e) => onGreeting(e.target.value)} />
      </Field>
      <Field id="appearance-bubble" label="Bubble text" hint="Shown next to the closed launcher to invite a click. Leave empty for none." error={errors["appearance.bubble_text"]}>
        <Input value={a.bubble_text} maxLength={200} onChange={(e) => onChange({ bubble_text: e.target.value })} />
      </Field>
    </div>
  );
}
