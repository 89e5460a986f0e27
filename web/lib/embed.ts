/** The embed code for a bot, in the forms developers ask for. */
export type EmbedInput = { origin: string; publicKey: string; botName?: string; allowedOrigins?: string[] };

const trim = (o: string) => o.replace(/\/+$/, "");

export function scriptTag({ origin, publicKey }: EmbedInput): string {
  return `<script src="${trim(origin)}/widget.js" data-bot="${publicKey}" async></script>`;
}

export function htmlSnippet(input: EmbedInput): string {
  return `<!-- Parley chat widget: paste just before </body> on every page where the chat should appear -->\n${scriptTag(input)}`;
}

export function nextSnippet({ origin, publicKey }: EmbedInput): string {
  return `// app/layout.tsx (Next.js App Router) — or pages/_app.tsx with the Pages Router
import Script from "next/script";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <Script src="${trim(origin)}/widget.js" data-bot="${publicKey}" strategy="lazyOnload" />
      </body>
    </html>
  );
}`;
}

export function reactSnippet({ origin, publicKey }: EmbedInput): string {
  return `// ParleyWidget.tsx — render <ParleyWidget /> once, e.g. in App.tsx
import { useEffect } from "react";

export function ParleyWidget() {
  useEffect(() => {
    if (document.querySelector('script[data-bot="${publicKey}"]')) return;
    const s = document.createElement("script");
    s.src = "${trim(origin)}/widget.js";
    s.async = true;
    s.dataset.bot = "${publicKey}";
    document.body.appendChild(s);
  }, []);
  return null;
}`;
}

export function developerMessage(input: EmbedInput): string {
  const sites = input.allowedOrigins?.length ? input.allowedOrigins.join(", ") : "(none yet: tell me the site address so I can allow it)";
  return `Hi! Could you add our chat assistant${input.botName ? ` "${input.botName}"` : ""} to the website?

Paste this one line just before </body> on every page (or in the shared layout/template):

${scriptTag(input)}

For React or Next.js, load the same script once in the root layout (e.g. with next/script and strategy="lazyOnload").

It loads asynchronously, adds a chat button in the corner and does not touch the rest of the page.
Sites allowed to show it: ${sites}. It will not load from other addresses, so tell me if it should run on a staging site too.

Thanks!`;
}

export function mailtoLink(subject: string, body: string): string {
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
