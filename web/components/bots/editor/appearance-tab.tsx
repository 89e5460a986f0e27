"use client";
import * as React from "react";
import type { Appearance } from "@/lib/bot-form";
import { Alert } from "../../ui/alert";
import { AppearanceEditor } from "../../appearance/appearance-editor";
import { WidgetMock } from "../../appearance/widget-mock";
import type { EditorProps } from "./bot-editor";

function useDashboardDark() {
  const [dark, setDark] = React.useState(false);
  React.useEffect(() => {
    const el = document.documentElement;
    const update = () => setDark(el.classList.contains("dark"));
    update();
    const obs = new MutationObserver(update);
    obs.observe(el, { attributes: true, attributeFilter: ["class"] });
    return () => obs.disconnect();
  }, []);
  return dark;
}

export function AppearanceTab({ draft, setDraft, errors, supported }: EditorProps & { supported: boolean }) {
  const dark = useDashboardDark();
  if (!supported) return <Alert>This server does not support widget appearance settings yet. Update Parley to customise colours and layout.</Alert>;
  const a = draft.config.appearance;
  const onChange = (patch: Partial<Appearance>) => setDraft((d) => ({ ...d, config: { ...d.config, appearance: { ...d.config.appearance, ...patch } } }));
  return (
    <div className="grid max-w-6xl gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <AppearanceEditor value={a} onChange={onChange} greeting={draft.config.greeting} onGreeting={(g) => setDraft((d) => ({ ...d, config: { ...d.config, greeting: g } }))} errors={errors} />
      <div className="lg:sticky lg:top-4 lg:self-start">
        <h2 className="mb-2 text-sm font-semibold">Live preview</h2>
        <WidgetMock appearance={a} greeting={draft.config.greeting} suggestions={draft.config.suggested_questions} dark={dark} botName={draft.name} />
        <p className="mt-2 text-xs text-muted-foreground">Save to apply the changes to your site. &ldquo;Follow the visitor&apos;s device&rdquo; previews with the dashboard&apos;s theme.</p>
      </div>
    </div>
  );
}
