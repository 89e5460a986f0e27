"use client";
import * as React from "react";
import { useSearchParams } from "next/navigation";

/** A blank "customer page" that loads the real widget; the bot editor shows it in an iframe. */
function Frame() {
  const key = useSearchParams().get("key");
  const [state, setState] = React.useState<"loading" | "loaded" | "missing">("loading");
  React.useEffect(() => {
    if (!key) return;
    document.title = "Widget preview · Parley";
    const s = document.createElement("script");
    s.src = "/widget.js";
    s.async = true;
    s.dataset.bot = key;
    s.onload = () => setState("loaded");
    s.onerror = () => setState("missing");
    document.body.appendChild(s);
    return () => s.remove();
  }, [key]);
  return (
    <main className="min-h-screen bg-[repeating-linear-gradient(45deg,transparent,transparent_12px,hsl(var(--muted))_12px,hsl(var(--muted))_24px)] p-4 text-sm">
      <div className="max-w-xs rounded-md bg-background/95 p-3 shadow">
        <h1 className="font-semibold">Example page</h1>
        {!key && <p className="text-destructive">No bot key was given.</p>}
        {state === "loading" && key && <p className="text-muted-foreground">Loading the widget…</p>}
        {state === "loaded" && <p className="text-muted-foreground">Use the chat button in the corner.</p>}
        {state === "missing" && <p className="text-destructive">The widget script (/widget.js) could not be loaded from this server. Update Parley, or build the widget.</p>}
      </div>
    </main>
  );
}

export default function PreviewFramePage() {
  return (
    <React.Suspense>
      <Frame />
    </React.Suspense>
  );
}
