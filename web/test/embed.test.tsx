import * as React from "react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { developerMessage, htmlSnippet, mailtoLink, nextSnippet, reactSnippet, scriptTag } from "@/lib/embed";
import { OriginsEditor } from "@/components/embed/origins-editor";
import { normalizeOrigin } from "@/lib/bot-form";

const input = { origin: "https://parley.example.com/", publicKey: "pk_live_123", botName: "Support", allowedOrigins: ["https://shop.example.com"] };

describe("embed code", () => {
  it("is one async script tag with the bot's public key", () => {
    expect(scriptTag(input)).toBe('<script src="https://parley.example.com/widget.js" data-bot="pk_live_123" async></script>');
    expect(htmlSnippet(input)).toContain(scriptTag(input));
  });

  it("has React and Next.js versions loading the same script", () => {
    expect(nextSnippet(input)).toContain('import Script from "next/script"');
    expect(nextSnippet(input)).toContain('src="https://parley.example.com/widget.js" data-bot="pk_live_123"');
    expect(reactSnippet(input)).toContain('s.dataset.bot = "pk_live_123"');
  });

  it("writes a message for the developer with the code and allowed sites", () => {
    const m = developerMessage(input);
    expect(m).toContain(scriptTag(input));
    expect(m).toContain("https://shop.example.com");
    expect(developerMessage({ ...input, allowedOrigins: [] })).toContain("none yet");
    expect(mailtoLink("Hi there", "a&b")).toBe("mailto:?subject=Hi%20there&body=a%26b");
  });
});

describe("allowed origins", () => {
  it("normalises addresses to origins and explains what is wrong", () => {
    expect(normalizeOrigin("shop.example.com")).toEqual({ origin: "https://shop.example.com" });
    expect(normalizeOrigin("http://localhost:3000/")).toEqual({ origin: "http://localhost:3000" });
    expect(normalizeOrigin("https://*.example.com")).toEqual({ origin: "https://*.example.com" });
    expect(normalizeOrigin("https://example.com/pricing").error).toMatch(/without a path/);
    expect(normalizeOrigin("ftp://example.com").error).toMatch(/Only http/);
    expect(normalizeOrigin("intranet").error).toMatch(/not a full domain/);
  });

  function Harness() {
    const [v, setV] = React.useState<string[]>(["https://a.example.com"]);
    return <OriginsEditor value={v} onChange={setV} dashboardOrigin="https://parley.example.com" />;
  }

  it("adds several at once, ignores duplicates, refuses bad ones, removes", async () => {
    render(<Harness />);
    const box = screen.getByLabelText("Site address to allow");
    await userEvent.type(box, "b.example.com, https://a.example.com{Enter}");
    const list = screen.getByRole("list", { name: "Allowed sites" });
    expect(list).toHaveTextContent("https://b.example.com");
    expect(list.querySelectorAll("li")).toHaveLength(3); // dashboard + a + b
    await userEvent.type(box, "https://c.example.com/page");
    await userEvent.click(screen.getByRole("button", { name: "Allow site" }));
    expect(box).toHaveAccessibleDescription(/without a path/);
    await userEvent.click(screen.getByRole("button", { name: "Remove https://a.example.com" }));
    expect(list).not.toHaveTextContent("https://a.example.com");
  });
});
