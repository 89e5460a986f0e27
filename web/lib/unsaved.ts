/** One app-wide "unsaved changes" flag: the editor sets it; links and unload ask before leaving. */
let dirty = false;
const MESSAGE = "You have unsaved changes. Leave without saving?";

function onBeforeUnload(e: BeforeUnloadEvent) {
  e.preventDefault();
  e.returnValue = MESSAGE;
  return MESSAGE;
}

export function setUnsaved(value: boolean) {
  if (value === dirty || typeof window === "undefined") return;
  dirty = value;
  if (dirty) window.addEventListener("beforeunload", onBeforeUnload);
  else window.removeEventListener("beforeunload", onBeforeUnload);
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
