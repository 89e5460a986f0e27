import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { confirmLeave, hasUnsaved, setUnsaved } from "@/lib/unsaved";

const sameBot = (url: URL) => url.pathname === "/bots/" && url.searchParams.get("id") === "b1";

// Stands in for Next's router, which listens to popstate (registered before the guard, as in the app).
const router = vi.fn((e: PopStateEvent) => e);
window.addEventListener("popstate", router);

let confirm: MockInstance<(message?: string) => boolean>;
beforeEach(() => {
  confirm = vi.spyOn(window, "confirm");
  router.mockClear();
});
afterEach(() => {
  setUnsaved(false);
  confirm.mockRestore();
});

async function openEditorFromList() {
  window.history.replaceState({ page: "list" }, "", "/bots/");
  window.history.pushState({ page: "editor" }, "", "/bots/?id=b1&tab=behaviour");
}

describe("the Back button with unsaved changes", () => {
  it("stays on the editor, with the router kept out, when the person cancels", async () => {
    await openEditorFromList();
    setUnsaved(true, sameBot);
    confirm.mockReturnValue(false);
    window.history.back();
    await vi.waitFor(() => expect(confirm).toHaveBeenCalledTimes(1));
    // The guard's own history.forward() brings the editor's URL back.
    await vi.waitFor(() => expect(window.location.search).toBe("?id=b1&tab=behaviour"));
    expect(router).not.toHaveBeenCalled();
    expect(hasUnsaved()).toBe(true);
  });

  it("lets the router follow Back once the person agrees to discard", async () => {
    await openEditorFromList();
    setUnsaved(true, sameBot);
    confirm.mockReturnValue(true);
    window.history.back();
    await vi.waitFor(() => expect(router).toHaveBeenCalledTimes(1));
    expect(window.location.pathname + window.location.search).toBe("/bots/");
    expect(router.mock.calls[0][0].state).toEqual({ page: "list" });
    expect(hasUnsaved()).toBe(false);
  });

  it("does not ask when nothing is unsaved", async () => {
    await openEditorFromList();
    window.history.back();
    await vi.waitFor(() => expect(router).toHaveBeenCalledTimes(1));
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe("links and closing the tab with unsaved changes", () => {
  function Links({ onNavigate }: { onNavigate: () => void }) {
    return (
      <>
        <a href="/org/" onClick={(e) => { e.preventDefault(); onNavigate(); }}>Team</a>
        <a href="/bots/?id=b1&tab=tools" onClick={(e) => { e.preventDefault(); onNavigate(); }}>Tools tab</a>
      </>
    );
  }

  it("asks before an in-app link leaves the page, and blocks it on cancel", () => {
    window.history.replaceState(null, "", "/bots/?id=b1&tab=behaviour");
    const navigate = vi.fn();
    render(<Links onNavigate={navigate} />);
    setUnsaved(true, sameBot);
    confirm.mockReturnValue(false);
    fireEvent.click(screen.getByText("Team"));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(navigate).not.toHaveBeenCalled();
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByText("Team"));
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(hasUnsaved()).toBe(false);
  });

  it("lets another tab of the same bot open without asking", () => {
    window.history.replaceState(null, "", "/bots/?id=b1&tab=behaviour");
    const navigate = vi.fn();
    render(<Links onNavigate={navigate} />);
    setUnsaved(true, sameBot);
    fireEvent.click(screen.getByText("Tools tab"));
    expect(confirm).not.toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it("asks the browser to confirm unloading only while something is unsaved", () => {
    setUnsaved(true);
    const unload = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);
    setUnsaved(false);
    const later = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(later);
    expect(later.defaultPrevented).toBe(false);
  });

  it("confirmLeave() clears the flag when the person agrees", () => {
    setUnsaved(true);
    confirm.mockReturnValue(true);
    expect(confirmLeave()).toBe(true);
    expect(hasUnsaved()).toBe(false);
    expect(confirmLeave()).toBe(true);
    expect(confirm).toHaveBeenCalledTimes(1);
  });
});
