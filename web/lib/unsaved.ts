/**
 * One app-wide "unsaved changes" flag. The editor sets it; while it is set, leaving the page asks first:
 * - closing or reloading the tab, or leaving the site: `beforeunload`;
 * - any in-app link (a document-level click guard, ahead of Next's <Link> handler);
 * - the browser's Back button: a `popstate` guard ahead of Next's router (see onPopState).
 * Buttons that navigate in code call confirmLeave() themselves.
 */
let dirty = false;
let samePage: (url: URL) => boolean = () => false;
let returning = false; // our own history.forward() is on its way back
const MESSAGE = "You have unsaved changes. Leave without saving?";

function onBeforeUnload(e: BeforeUnloadEvent) {
  e.preventDefault();
  e.returnValue = MESSAGE;
  return MESSAGE;
}

/**
 * Back has already moved the history when popstate fires, so: keep Next's router from following
 * (stopImmediatePropagation), ask, then either let the router follow (the same event, sent again
 * once the flag is cleared) or step forward to where the person was. Chrome calls a window's
 * listeners in the order they were added, capturing or not, so this one is added when the module
 * loads, before the router's (added in an effect after hydration). Added later, the router would go
 * first, unmount the editor, and the editor's cleanup would remove this listener mid-dispatch.
 */
function onPopState(e: PopStateEvent) {
  if (returning) {
    returning = false;
    e.stopImmediatePropagation();
    return;
  }
  if (!dirty || samePage(new URL(window.location.href))) return;
  e.stopImmediatePropagation();
  if (window.confirm(MESSAGE)) {
    setUnsaved(false);
    window.dispatchEvent(new PopStateEvent("popstate", { state: e.state }));
  } else {
    returning = true;
    window.history.forward();
  }
}

/** Links anywhere on the page, in the capture phase: a refusal stops the click before React sees it. */
function onClick(e: MouseEvent) {
  if (!dirty || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const link = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return; // leaving the site: beforeunload asks
  if (samePage(url) || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
  if (window.confirm(MESSAGE)) setUnsaved(false);
  else {
    e.preventDefault();
    e.stopPropagation();
  }
}

/**
 * `isSamePage` tells which URLs still show the thing being edited (another tab of the same bot, say):
 * going there needs no confirmation.
 */
export function setUnsaved(value: boolean, isSamePage?: (url: URL) => boolean) {
  if (typeof window === "undefined") return;
  if (value) samePage = isSamePage ?? (() => false);
  if (value === dirty) return;
  dirty = value;
  // Only while needed: a beforeunload listener keeps some browsers from caching the page (bfcache).
  if (dirty) window.addEventListener("beforeunload", onBeforeUnload);
  else window.removeEventListener("beforeunload", onBeforeUnload);
}

if (typeof window !== "undefined") {
  window.addEventListener("popstate", onPopState, { capture: true });
  document.addEventListener("click", onClick, { capture: true });
}

export function hasUnsaved() {
  return dirty;
}

/** True when it is fine to navigate away (nothing unsaved, or the person agreed to discard). */
export function confirmLeave(): boolean {
  if (!dirty) return true;
  const ok = window.confirm(MESSAGE);
  if (ok) setUnsaved(false);
  return ok;
}
