"use client";
import * as React from "react";
import type { Bot } from "@/lib/api/types";
import { Alert } from "../../ui/alert";
import { TestChat } from "../../chat/test-chat";

/** The real widget, loaded as on a customer's page (same origin as the dashboard, which is always allowed). */
function WidgetFrame({ bot }: { bot: Bot }) {
  return (
    <iframe
      title="Your bot's widget as visitors see it"
      src={`/preview-frame/?key=${encodeURIComponent(bot.public_key)}&v=${encodeURIComponent(bot.updated_at)}`}
      className="h-[36rem] w-full rounded-lg border bg-background"
      data-testid="widget-frame"
    />
  );
}

export function PreviewTab({ bot, dirty }: { bot: Bot; dirty: boolean }) {
  return (
    <div className="max-w-6xl space-y-4">
      {dirty && <Alert variant="warning">The preview uses the saved settings. Save your changes to try them here.</Alert>}
      {!bot.enabled && <Alert variant="warning">This bot is off. Switch it on to let visitors chat with it.</Alert>}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="preview-inspect">
          <h2 id="preview-inspect" className="mb-1 font-semibold">
            Ask and inspect
          </h2>
          <p className="mb-3 text-sm text-muted-foreground">Answers stream as they are written; open &ldquo;Why this answer?&rdquo; to see the passages and tools behind each one.</p>
          <TestChat bot={bot} />
        </section>
        <section aria-labelledby="preview-widget">
          <h2 id="preview-widget" className="mb-1 font-semibold">
            On your site
          </h2>
          <p className="mb-3 text-sm text-muted-foreground">The real widget, exactly as your visitors get it.</p>
          <WidgetFrame bot={bot} />
        </section>
      </div>
    </div>
  );
}
