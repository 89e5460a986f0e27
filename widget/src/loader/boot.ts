import { createWidget, type ParleyApi } from './widget';

type Stub = { q?: unknown[]; __parley?: boolean } & Record<string, unknown>;
type Call = [string, unknown[]];

function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript as HTMLScriptElement | null;
  if (current && current.src) return current;
  const all = doc.querySelectorAll<HTMLScriptElement>('script[data-bot][src]');
  for (let i = all.length - 1; i >= 0; i--) if (/\/widget\.js(\?|#|$)/.test(all[i].src)) return all[i];
  return null;
}

/** Replay `[method, args]` calls queued by the stub. Bad entries are skipped, never thrown. */
export function replay(api: ParleyApi, queue: unknown): void {
  if (!Array.isArray(queue)) return;
  for (const entry of queue) {
    // Accept both [method, [args]] (our stub) and [method, arg1, arg2] (hand-written pushes).
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const [method, ...rest] = entry as Call;
    const args = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as unknown[]) : rest;
    const fn = (api as unknown as Record<string, unknown>)[method];
    if (method !== 'version' && typeof fn === 'function') {
      try {
        (fn as (...a: unknown[]) => unknown).apply(api, args);
      } catch {
        /* never throw into the host page */
      }
    }
  }
}

export function boot(win: Window & { Parley?: Stub | ParleyApi }, script?: HTMLScriptElement | null): ParleyApi | null {
  try {
    const existing = win.Parley as Stub | undefined;
    if (existing && existing.__parley) return existing as unknown as ParleyApi; // loaded twice: keep the first
    const tag = script === undefined ? findScript(win.document) : script;
    const data = (tag && tag.dataset) || {};
    let origin = '';
    try {
      origin = new URL(data.origin || (tag && tag.src) || '', win.location.href).origin;
    } catch {
      /* no usable src */
    }
    const api = createWidget({
      key: (data.bot || '').trim(),
      origin,
      position: data.position,
      open: data.open === 'true',
      lang: data.lang,
      preload: data.preload === 'true',
      win,
    });
    Object.defineProperty(api, '__parley', { value: true });
    const queue = existing && existing.q;
    win.Parley = api;
    replay(api, queue);
    return api;
  } catch {
    return null;
  }
}
