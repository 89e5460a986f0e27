/**
 * The postMessage protocol between the loader (host page) and the chat iframe.
 *
 * Every message is `{ns: "parley", v: 1, type, ...}`. A receiver accepts a message only when it
 * comes from the expected window AND the expected origin, has our namespace and version, and its
 * fields have the right shape; anything else is ignored silently (pages receive plenty of
 * unrelated postMessage traffic). Senders always name the target origin, never "*".
 */

export const NS = 'parley';
export const VERSION = 1;

export interface Identity {
  id: string;
  name?: string;
  email?: string;
  /** HMAC of `id` computed by the site's server with the bot's identity secret. */
  hash?: string;
}

export type EventName = 'message' | 'error';

/** Loader → iframe. */
export type HostToFrame =
  | { type: 'init'; open: boolean; identity: Identity | null }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'identify'; identity: Identity };

/** Iframe → loader. */
export type FrameToHost =
  | { type: 'ready' }
  | { type: 'close' }
  | { type: 'resize'; height: number }
  | { type: 'unread'; count: number }
  | { type: 'event'; name: EventName; data: unknown };

export type Envelope<T> = T & { ns: typeof NS; v: typeof VERSION };

export function encode<T extends { type: string }>(msg: T): Envelope<T> {
  return { ns: NS, v: VERSION, ...msg };
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const optStr = (x: unknown, max: number) => x === undefined || isStr(x, max);

/** A valid identity, normalised, or null. */
export function toIdentity(x: unknown): Identity | null {
  if (!isObj(x)) return null;
  const id = typeof x.id === 'number' ? String(x.id) : x.id;
  if (!isStr(id, 200) || !id || !optStr(x.name, 200) || !optStr(x.email, 320) || !optStr(x.hash, 512)) return null;
  const out: Identity = { id };
  if (x.name) out.name = x.name as string;
  if (x.email) out.email = x.email as string;
  if (x.hash) out.hash = x.hash as string;
  return out;
}

function base(data: unknown): Record<string, unknown> | null {
  return isObj(data) && data.ns === NS && data.v === VERSION && typeof data.type === 'string' ? data : null;
}

/** Parse a message the iframe received from the host page. */
export function parseHostToFrame(data: unknown): HostToFrame | null {
  const m = base(data);
  if (!m) return null;
  switch (m.type) {
    case 'open':
    case 'close':
      return { type: m.type };
    case 'identify': {
      const identity = toIdentity(m.identity);
      return identity ? { type: 'identify', identity } : null;
    }
    case 'init': {
      const identity = m.identity == null ? null : toIdentity(m.identity);
      if (m.identity != null && !identity) return null;
      return { type: 'init', open: m.open === true, identity };
    }
  }
  return null;
}

/** Parse a message the loader received from the iframe. */
export function parseFrameToHost(data: unknown): FrameToHost | null {
  const m = base(data);
  if (!m) return null;
  switch (m.type) {
    case 'ready':
    case 'close':
      return { type: m.type };
    case 'resize':
      return typeof m.height === 'number' && m.height >= 0 && m.height < 10000 ? { type: 'resize', height: m.height } : null;
    case 'unread':
      return Number.isInteger(m.count) && (m.count as number) >= 0 ? { type: 'unread', count: m.count as number } : null;
    case 'event':
      return m.name === 'message' || m.name === 'error' ? { type: 'event', name: m.name, data: m.data } : null;
  }
  return null;
}

/**
 * Accept `event` only from `source` (the window we talk to) at `origin`; then parse it.
 * Returns null for anything else.
 */
export function receive<T>(
  event: MessageEvent,
  origin: string,
  source: unknown,
  parse: (data: unknown) => T | null,
): T | null {
  if (!origin || event.origin !== origin) return null;
  if (source == null || event.source !== source) return null;
  return parse(event.data);
}

/** `https://example.com` for a string that is exactly an http(s) origin, else null. */
export function asOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin === value) return u.origin;
  } catch {
    /* not a URL */
  }
  return null;
}
