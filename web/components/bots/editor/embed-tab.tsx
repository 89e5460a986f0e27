"use client";
import * as React from "react";
import { Mail, RotateCcw } from "lucide-react";
import type { Bot } from "@/lib/api/types";
import { useRotateBotKey } from "@/lib/api/hooks/bots";
import { developerMessage, htmlSnippet, mailtoLink, nextSnippet, reactSnippet, scriptTag } from "@/lib/embed";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../ui/tabs";
import { Button } from "../../ui/button";
import { Alert } from "../../ui/alert";
import { CopyButton } from "../../copy-button";
import { ConfirmButton } from "../../confirm";
import { OriginsEditor } from "../../embed/origins-editor";
import { toast } from "../../ui/toast";
import type { EditorProps } from "./bot-editor";

function Code({ code, label }: { code: string; label: string }) {
  return (
    <div className="space-y-2">
      <pre className="max-h-80 overflow-auto rounded-md border bg-muted p-3 text-xs leading-relaxed" tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}

export function EmbedTab({ draft, setDraft, errors, bot }: EditorProps & { bot: Bot }) {
  const rotate = useRotateBotKey(bot.id);
  const [origin, setOrigin] = React.useState("");
  React.useEffect(() => {
    setOrigin(window.location.origin);
  }, []);
  const input = { origin, publicKey: bot.public_key, botName: bot.name, allowedOrigins: draft.allowed_origins };
  const message = developerMessage(input);
  return (
    <div className="grid max-w-5xl gap-6">
      {!bot.enabled && <Alert variant="warning">This bot is off: the widget shows nothing until you switch it on (top right) and save.</Alert>}
      <Card>
        <CardHeader>
          <CardTitle>Embed code</CardTitle>
          <CardDescription>Paste this line before &lt;/body&gt; on your site. That&apos;s all.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <pre className="flex-1 overflow-x-auto rounded-md border bg-muted p-3 text-xs" data-testid="embed-script" tabIndex={0} aria-label="Script tag">
              <code>{scriptTag(input)}</code>
            </pre>
            <CopyButton text={scriptTag(input)} label="Copy code" data-testid="copy-embed" />
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Allowed sites</CardTitle>
          <CardDescription>The widget answers only on these sites, so nobody can put your bot on theirs. Save after changing.</CardDescription>
        </CardHeader>
        <CardContent>
          <OriginsEditor value={draft.allowed_origins} onChange={(v) => setDraft((d) => ({ ...d, allowed_origins: v }))} errors={errors} dashboardOrigin={origin} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>For developers</CardTitle>
        </CardHeader>
        <CardContent>
          <Tabs defaultValue="html">
            <TabsList aria-label="Code for">
              <TabsTrigger value="html">HTML</TabsTrigger>
              <TabsTrigger value="next">Next.js</TabsTrigger>
              <TabsTrigger value="react">React</TabsTrigger>
            </TabsList>
            <TabsContent value="html">
              <Code code={htmlSnippet(input)} label="HTML snippet" />
            </TabsContent>
            <TabsContent value="next">
              <Code code={nextSnippet(input)} label="Next.js snippet" />
            </TabsContent>
            <TabsContent value="react">
              <Code code={reactSnippet(input)} label="React snippet" />
            </TabsContent>
          </Tabs>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Send to your developer</CardTitle>
          <CardDescription>A ready-made message with everything they need.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <pre className="max-h-72 overflow-auto whitespace-pre-wrap rounded-md border bg-muted p-3 text-xs" tabIndex={0} aria-label="Message for your developer">
            {message}
          </pre>
          <div className="flex flex-wrap gap-2">
            <CopyButton text={message} label="Copy message" />
            <Button asChild variant="outline" size="sm">
              <a href={mailtoLink(`Add the ${bot.name} chat to our website`, message)}>
                <Mail aria-hidden /> Email it
              </a>
            </Button>
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Public key</CardTitle>
          <CardDescription>
            The key in the embed code is public by design. Rotate it if someone misuses it; then update the code on your sites.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <code className="flex-1 truncate rounded bg-muted px-2 py-1 text-xs">{bot.public_key}</code>
          <ConfirmButton
            title="Rotate the public key?"
            description="The current embed code stops working at once. You will need to paste the new code on every site."
            confirmLabel="Rotate key"
            onConfirm={() => rotate.mutateAsync().then(() => toast({ title: "Key rotated", description: "Update the embed code on your sites." }))}
            variant="outline"
            size="sm"
          >
            <RotateCcw aria-hidden /> Rotate key
          </ConfirmButton>
        </CardContent>
      </Card>
    </div>
  );
}
