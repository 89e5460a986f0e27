"use client";
import * as React from "react";
import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { BotList } from "@/components/bots/bot-list";
import { Loading } from "@/components/states";

const BotEditor = dynamic(() => import("@/components/bots/editor/bot-editor").then((m) => m.BotEditor), {
  loading: () => <Loading rows={5} label="Loading the editor…" />,
  ssr: false,
});

function BotsRoute() {
  const id = useSearchParams().get("id");
  return id ? <BotEditor key={id} botId={id} /> : <BotList />;
}

export default function BotsPage() {
  return (
    <AppShell title="Bots">
      <React.Suspense fallback={<Loading rows={4} />}>
        <BotsRoute />
      </React.Suspense>
    </AppShell>
  );
}
