"use client";
import * as React from "react";
import { Plus, X } from "lucide-react";
import { normalizeOrigin } from "@/lib/bot-form";
import { Input } from "../ui/input";
import { Button } from "../ui/button";

export function OriginsEditor({ value, onChange, errors = {}, dashboardOrigin }: { value: string[]; onChange: (v: string[]) => void; errors?: Record<string, string>; dashboardOrigin?: string }) {
  const [text, setText] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const add = () => {
    const parts = text.split(/[\s,]+/).filter(Boolean);
    if (!parts.length) return setError("Enter a site address.");
    const next = [...value];
    for (const p of parts) {
      const r = normalizeOrigin(p);
      if (r.error) return setError(r.error);
      if (!next.includes(r.origin!)) next.push(r.origin!);
    }
    if (next.length > 50) return setError("At most 50 sites.");
    onChange(next);
    setText("");
    setError(null);
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <div className="flex-1">
          <label htmlFor="origin-input" className="sr-only">
            Site address to allow
          </label>
          <Input
            id="origin-input"
            placeholder="https://www.example.com"
            value={text}
            aria-invalid={!!error}
            aria-describedby={error ? "origin-error" : "origin-hint"}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
          />
        </div>
        <Button type="button" variant="outline" onClick={add}>
          <Plus aria-hidden /> Allow site
        </Button>
      </div>
      {error ? (
        <p id="origin-error" className="text-sm text-destructive">
          {error}
        </p>
      ) : (
        <p id="origin-hint" className="text-xs text-muted-foreground">
          Only the origin: scheme, host and port, e.g. https://shop.example.com or http://localhost:3000. Use https://*.example.com for all subdomains.
        </p>
      )}
      <ul className="space-y-1" aria-label="Allowed sites">
        {dashboardOrigin && (
          <li className="flex items-center gap-2 rounded-md bg-muted px-3 py-2 text-sm">
            <span className="flex-1 truncate font-mono">{dashboardOrigin}</span>
            <span className="text-xs text-muted-foreground">this dashboard, always allowed</span>
          </li>
        )}
        {value.map((o, i) => (
          <li key={o + i} className="flex flex-col rounded-md border px-3 py-1.5 text-sm">
            <div className="flex items-center gap-2">
              <span className="flex-1 truncate font-mono">{o}</span>
              <Button type="button" variant="ghost" size="icon" className="h-8 w-8" aria-label={`Remove ${o}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                <X aria-hidden />
              </Button>
            </div>
            {errors[`origins.${i}`] && <p className="text-sm text-destructive">{errors[`origins.${i}`]}</p>}
          </li>
        ))}
      </ul>
      {!value.length && <p className="text-sm text-warning">No site is allowed yet: the widget will only work in this dashboard&apos;s preview.</p>}
    </div>
  );
}
