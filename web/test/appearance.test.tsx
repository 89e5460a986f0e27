import * as React from "react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { AppearanceEditor } from "@/components/appearance/appearance-editor";
import { WidgetMock } from "@/components/appearance/widget-mock";
import { DEFAULT_APPEARANCE, type Appearance } from "@/lib/bot-form";
import { contrast, normalizeHex, readableOn } from "@/lib/color";

function Harness({ initial = DEFAULT_APPEARANCE }: { initial?: Appearance }) {
  const [a, setA] = React.useState(initial);
  const [greeting, setGreeting] = React.useState("Hello there");
  return (
    <>
      <AppearanceEditor value={a} onChange={(p) => setA((x) => ({ ...x, ...p }))} greeting={greeting} onGreeting={setGreeting} />
      <WidgetMock appearance={a} greeting={greeting} suggestions={["Opening hours?"]} dark={false} botName="Bot" />
    </>
  );
}

describe("colour helpers", () => {
  it("computes WCAG contrast and picks readable text", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 0);
    expect(readableOn("#4f46e5")).toBe("#ffffff");
    expect(readableOn("#fde047")).toBe("#000000");
    expect(normalizeHex("abc")).toBe("#aabbcc");
    expect(normalizeHex("#12345")).toBeNull();
  });
});

describe("appearance editor with live preview", () => {
  it("recolours the preview from a swatch and from a typed code", async () => {
    render(<Harness />);
    const preview = screen.getByTestId("widget-preview");
    expect(preview).toHaveAttribute("data-primary", "#4f46e5");
    await userEvent.click(screen.getByRole("button", { name: "Use colour #be123c" }));
    expect(preview).toHaveAttribute("data-primary", "#be123c");
    expect(screen.getByTestId("widget-header")).toHaveStyle({ background: "#be123c" });
    const hex = screen.getByLabelText("Colour code");
    await userEvent.clear(hex);
    await userEvent.type(hex, "#0f766e");
    expect(preview).toHaveAttribute("data-primary", "#0f766e");
    await userEvent.clear(hex);
    await userEvent.type(hex, "nope");
    expect(screen.getByText("Use a colour code like #4f46e5.")).toBeInTheDocument();
    expect(preview).toHaveAttribute("data-primary", "#0f766e"); // the last valid colour stays
  });

  it("moves the launcher, switches theme, and updates title, greeting and bubble", async () => {
    render(<Harness />);
    const preview = screen.getByTestId("widget-preview");
    await userEvent.click(screen.getByLabelText("Bottom left"));
    expect(preview).toHaveAttribute("data-position", "left");
    await userEvent.click(screen.getByLabelText("Dark"));
    expect(preview).toHaveAttribute("data-theme", "dark");
    const title = screen.getByLabelText("Window title");
    await userEvent.clear(title);
    await userEvent.type(title, "Ask Ada");
    expect(preview).toHaveTextContent("Ask Ada");
    await userEvent.type(screen.getByLabelText("Greeting"), "!");
    expect(preview).toHaveTextContent("Hello there!");
    await userEvent.click(screen.getByRole("button", { name: "Close preview chat" }));
    expect(preview).toHaveTextContent("Questions? Ask me!");
  });

  it("warns about colours that vanish on a white page", () => {
    render(<Harness initial={{ ...DEFAULT_APPEARANCE, primary_color: "#fde047" }} />);
    expect(screen.getByText(/barely stands out/)).toBeInTheDocument();
  });

  it("expands a three-digit code when leaving the field", async () => {
    render(<Harness />);
    const hex = screen.getByLabelText("Colour code");
    await userEvent.clear(hex);
    await userEvent.type(hex, "#0a0");
    await userEvent.tab();
    expect(hex).toHaveValue("#00aa00");
    expect(screen.getByTestId("widget-preview")).toHaveAttribute("data-primary", "#00aa00");
  });
});
