import * as React from "react";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderKeys } from "@/components/org/provider-keys";

// The typed client builds Requests from relative URLs, as in the browser; Node's Request needs a
// base. Hoisted: the client takes `Request` when it is created, at import.
vi.hoisted(() => {
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === "string" ? new URL(input, "http://parley.test") : input, init);
    }
  } as typeof Request;
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function renderKeys(admin = true) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ProviderKeys orgId="org-1" admin={admin} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe("model provider keys", () => {
  it("saves a key, then shows it by its hint only", async () => {
    let stored: unknown[] = [];
    const fetchMock = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const request = input as Request;
      if (request.method === "PUT") {
        const body = await request.json();
        expect(request.url).toMatch(/\/api\/v1\/orgs\/org-1\/provider-keys\/groq$/);
        expect(body).toEqual({ api_key: "gsk_secret_9876" });
        stored = [{ provider: "groq", hint: "…9876", created_at: new Date().toISOString(), updated_at: new Date().toISOString() }];
        return json(stored[0]);
      }
      return json(stored);
    });
    renderKeys();
    expect(await screen.findAllByText("not set: the server's key is used")).toHaveLength(2);
    await userEvent.type(screen.getByLabelText("Groq API key"), "gsk_secret_9876");
    await userEvent.click(screen.getAllByRole("button", { name: "Save key" })[0]);
    await waitFor(() => expect(screen.getByText(/set · …9876/)).toBeInTheDocument());
    expect(screen.getByLabelText("Groq API key")).toHaveValue("");
    expect(screen.queryByText(/gsk_secret_9876/)).not.toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalled();
  });

  it("tells members that only admins manage keys, without asking the API", () => {
    const fetchMock = vi.spyOn(globalThis, "fetch");
    renderKeys(false);
    expect(screen.getByText("Only owners and admins can see or change provider keys.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
