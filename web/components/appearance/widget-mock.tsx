"use client";
import * as React from "react";
import { CircleHelp, MessageCircle, Sparkles, Send, X } from "lucide-react";
import type { Appearance } from "@/lib/bot-form";
import { readableOn } from "@/lib/color";
import { cn } from "@/lib/utils";

export const LAUNCHER_ICONS = { chat: MessageCircle, help: CircleHelp, sparkle: Sparkles } as const;

/**
 * A faithful stand-in for the widget, drawn from the appearance settings, so changes show at once.
 * `dark` resolves theme "auto" against the dashboard's own theme.
 */
export function WidgetMock({
  appearance: a,
  greeting,
  suggestions,
  dark,
  botName,
}: {
  appearance: Appearance;
  greeting: string;
  suggestions: string[];
  dark: boolean;
  botName: string;
}) {
  const [open, setOpen] = React.useState(true);
  const fg = readableOn(a.primary_color);
  const isDark = a.theme === "dark" || (a.theme === "auto" && dark);
  const Icon = LAUNCHER_ICONS[a.launcher_icon] ?? MessageCircle;
  const left = a.position === "left";
  const panel = isDark ? { bg: "#111827", fg: "#f3f4f6", muted: "#1f2937", border: "#374151", sub: "#d1d5db" } : { bg: "#ffffff", fg: "#111827", muted: "#f3f4f6", border: "#e5e7eb", sub: "#4b5563" };
  return (
    <div
      className="relative h-[34rem] overflow-hidden rounded-lg border bg-[repeating-linear-gradient(45deg,transparent,transparent_12px,hsl(var(--muted))_12px,hsl(var(--muted))_24px)]"
      data-testid="widget-preview"
      data-primary={a.primary_color}
      data-theme={isDark ? "dark" : "light"}
      data-position={a.position}
    >
      <p className="absolute left-3 top-2 rounded bg-background/90 px-2 py-1 text-xs text-muted-foreground">Your website</p>
      {open && (
        <div
          role="group"
          aria-label="Chat window preview"
          className={cn("absolute bottom-24 flex h-[25rem] w-[min(20rem,calc(100%-2rem))] flex-col overflow-hidden rounded-xl shadow-2xl", left ? "left-4" : "right-4")}
          style={{ background: panel.bg, color: panel.fg, border: `1px solid ${panel.border}` }}
        >
          <div className="flex items-center gap-2 px-3 py-3" style={{ background: a.primary_color, color: fg }} data-testid="widget-header">
            {a.avatar_url ? (
              // eslint-disable-next-line @next/next/no-img-element
              <img src={a.avatar_url} alt="" className="h-8 w-8 rounded-full bg-white/20 object-cover" />
            ) : (
              <span className="flex h-8 w-8 items-center justify-center rounded-full" style={{ background: fg === "#ffffff" ? "rgba(255,255,255,.2)" : "rgba(0,0,0,.12)" }}>
                <Icon className="h-4 w-4" aria-hidden />
              </span>
            )}
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-semibold">{a.title || botName}</p>
              <p className="text-xs opacity-90">Usually answers instantly</p>
            </div>
            <button type="button" aria-label="Close preview chat" onClick={() => setOpen(false)} className="rounded p-1 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-current">
              <X className="h-4 w-4" aria-hidden />
            </button>
          </div>
          <div className="flex-1 space-y-3 overflow-y-auto p-3 text-sm">
            <div className="max-w-[85%] rounded-2xl rounded-tl-sm px-3 py-2" style={{ background: panel.muted }}>
              {greeting || "Hi! How can I help you today?"}
            </div>
            <div className="ml-auto max-w-[85%] rounded-2xl rounded-tr-sm px-3 py-2" style={{ background: a.primary_color, color: fg }}>
              What are your opening hours?
            </div>
            {suggestions.filter(Boolean).length > 0 && (
              <div className="flex flex-wrap gap-1.5 pt-1">
                {suggestions.filter(Boolean).map((q, i) => (
                  <span key={i} className="rounded-full border px-2.5 py-1 text-xs" style={{ borderColor: a.primary_color, color: isDark ? panel.fg : panel.fg }}>
                    {q}
                  </span>
                ))}
              </div>
            )}
          </div>
          <div className="flex items-center gap-2 border-t p-2" style={{ borderColor: panel.border }}>
            <span className="flex-1 rounded-md px-2 py-1.5 text-xs" style={{ background: panel.muted, color: panel.sub }}>
              Type your question…
            </span>
            <span className="flex h-7 w-7 items-center justify-center rounded-md" style={{ background: a.primary_color, color: fg }}>
              <Send className="h-3.5 w-3.5" aria-hidden />
            </span>
          </div>
        </div>
      )}
      {!open && a.bubble_text && (
        <div className={cn("absolute bottom-24 max-w-[14rem] rounded-lg px-3 py-2 text-sm shadow-lg", left ? "left-4" : "right-4")} style={{ background: panel.bg, color: panel.fg, border: `1px solid ${panel.border}` }}>
          {a.bubble_text}
        </div>
      )}
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-label={open ? "Close the chat preview" : "Open the chat preview"}
        aria-expanded={open}
        className={cn("absolute bottom-5 flex h-14 w-14 items-center justify-center rounded-full shadow-xl focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-ring", left ? "left-4" : "right-4")}
        style={{ background: a.primary_color, color: fg }}
        data-testid="widget-launcher"
      >
        {open ? <X className="h-6 w-6" aria-hidden /> : <Icon className="h-6 w-6" aria-hidden />}
      </button>
    </div>
  );
}
