/**
 * Streaming answers: WebSocket first, Server-Sent Events (POST /chat) as the fallback when a
 * WebSocket can't be opened (some proxies block them) but plain HTTP works.
 *
 * `stream()` resolves on the `done` event and rejects with a StreamError:
 *  - kind "network": the server could not be reached or the connection dropped; `started` says
 *    whether the server had already accepted the message (a `start` event arrived);
 *  - kind "auth": the token was refused (refresh the session and try again);
 *  - kind "server": the server refused the message (`code`, `retryAfter`).
 * One message is streamed at a time per transport (the server's events carry no client id after
 * `start`), which the controller guarantees.
 */
import type { Citation } from './api';
import { errorFrom } from './api';

export type ServerEvent =
  | { type: 'start'; conversation_id: string; message_id: string; client_id?: string }
  | { type: 'token'; text: string }
  | { type: 'tool'; name: string; status: 'started' | 'done' }
  | { type: 'citations'; citations: Citation[] }
  | { type: 'lead_form' }
  | { type: 'done'; message_id?: string; conversation_id?: string; usage?: unknown }
  | { type: 'error'; code: string; message: string; retry_after?: number }
  | { type: 'pong' };

export interface Outgoing {
  text: string;
  conversation_id: string | null;
  client_id: string;
}

export type TokenFn = () => Promise<string>;
export type EventFn = (ev: ServerEvent) => void;

export interface Transport {
  stream(msg: Outgoing, token: TokenFn, onEvent: EventFn): Promise<void>;
  close(): void;
}

export class StreamError extends Error {
  constructor(
    readonly kind: 'network' | 'auth' | 'server',
    readonly code: string,
    message: string,
    readonly started = false,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

interface Pending {
  onEvent: EventFn;
  resolve: () => void;
  reject: (e: StreamError) => void;
  started: boolean;
}

/** Route one server event to the pending stream; returns true when the stream is over. */
function dispatch(p: Pending, ev: ServerEvent): boolean {
  if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || ev.type === 'pong') return false;
  if (ev.type === 'error') {
    const kind = ev.code === 'token_expired' || ev.code === 'unauthorized' || ev.code === 'invalid_token' ? 'auth' : 'server';
    p.reject(new StreamError(kind, ev.code || 'error', ev.message || '', p.started, ev.retry_after ?? null));
    return true;
  }
  if (ev.type === 'start') p.started = true;
  try {
    p.onEvent(ev);
  } catch {
    /* a rendering bug must not kill the stream */
  }
  if (ev.type === 'done') {
    p.resolve();
    return true;
  }
  return false;
}

function pending(onEvent: EventFn): [Pending, Promise<void>] {
  let p!: Pending;
  const promise = new Promise<void>((resolve, reject) => {
    p = { onEvent, resolve, reject, started: false };
  });
  return [p, promise];
}

// ------------------------------------------------------------------ WebSocket

export class WsTransport implements Transport {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private current: Pending | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private lastSeen = 0;
  /** Whether a socket has ever opened on this page (tells "WS blocked" from "server down"). */
  everOpened = false;

  constructor(
    private readonly url: (token: string) => string,
    private readonly WS: typeof WebSocket = WebSocket,
    private readonly pingMs = 25000,
  ) {}

  private connect(token: string): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === 1) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    this.opening = new Promise<WebSocket>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new this.WS(this.url(token));
      } catch (e) {
        reject(new StreamError('network', 'ws_unavailable', String(e)));
        return;
      }
      let open = false;
      ws.onopen = () => {
        open = true;
        this.everOpened = true;
        this.ws = ws;
        this.lastSeen = Date.now();
        this.startPing();
        resolve(ws);
      };
      ws.onmessage = (m) => {
        this.lastSeen = Date.now();
        let ev: ServerEvent;
        try {
          ev = JSON.parse(String(m.data));
        } catch {
          return;
        }
        if (this.current && dispatch(this.current, ev)) this.current = null;
      };
      ws.onerror = () => {
        /* onclose follows */
      };
      ws.onclose = (e) => {
        if (this.ws === ws) this.ws = null;
        this.stopPing();
        if (!open) {
          // 4401/4403: the server refused the token or origin during the handshake.
          reject(
            e && (e.code === 4401 || e.code === 4001)
              ? new StreamError('auth', 'token_expired', 'token refused')
              : new StreamError('network', 'ws_closed', 'WebSocket closed before opening'),
          );
          return;
        }
        const cur = this.current;
        this.current = null;
        if (cur) {
          if (e && (e.code === 4401 || e.code === 4001)) cur.reject(new StreamError('auth', 'token_expired', 'token refused', cur.started));
          else cur.reject(new StreamError('network', 'ws_closed', 'connection lost', cur.started));
        }
      };
    }).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private startPing() {
    this.stopPing();
    this.ping = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      if (Date.now() - this.lastSeen > this.pingMs * 2 + 5000) {
        ws.close(); // no pong: the connection is dead
        return;
      }
      try {
        ws.send('{"type":"ping"}');
      } catch {
        /* closing */
      }
    }, this.pingMs);
  }

  private stopPing() {
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
  }

  async stream(msg: Outgoing, token: TokenFn, onEvent: EventFn): Promise<void> {
    const ws = await this.connect(await token());
    const [p, promise] = pending(onEvent);
    this.current = p;
    try {
      ws.send(JSON.stringify({ type: 'message', ...msg }));
    } catch (e) {
      this.current = null;
      throw new StreamError('network', 'ws_send', String(e));
    }
    return promise;
  }

  close() {
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close();
  }
}

// ------------------------------------------------------------------ SSE

/** Parse an SSE byte stream incrementally; calls `onEvent(name, data)` per complete event. */
export class SseParser {
  private buf = '';
  constructor(private readonly onEvent: (name: string, data: string) => void) {}

  push(chunk: string) {
    this.buf += chunk.replace(/\r\n?/g, '\n');
    let idx: number;
    while ((idx = this.buf.indexOf('\n\n')) >= 0) {
      const raw = this.buf.slice(0, idx);
      this.buf = this.buf.slice(idx + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of raw.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) this.onEvent(name, data.join('\n'));
    }
  }
}

export class SseTransport implements Transport {
  private abort: AbortController | null = null;

  constructor(
    private readonly url: string,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  async stream(msg: Outgoing, token: TokenFn, onEvent: EventFn): Promise<void> {
    const [p, promise] = pending(onEvent);
    this.abort = typeof AbortController === 'undefined' ? null : new AbortController();
    let res: Response;
    try {
      res = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          Authorization: `Bearer ${await token()}`,
        },
        body: JSON.stringify({ message: msg.text, conversation_id: msg.conversation_id, client_id: msg.client_id }),
        credentials: 'omit',
        signal: this.abort ? this.abort.signal : undefined,
      });
    } catch (e) {
      throw new StreamError('network', 'fetch_failed', String(e));
    }
    if (!res.ok) {
      const err = await errorFrom(res);
      throw new StreamError(res.status === 401 ? 'auth' : 'server', err.code, err.message, false, err.retryAfter);
    }
    let over = false;
    const parser = new SseParser((name, data) => {
      if (over) return;
      let ev: ServerEvent;
      try {
        ev = JSON.parse(data);
      } catch {
        return;
      }
      if (!ev || typeof ev !== 'object') return;
      if (!(ev as { type?: string }).type) (ev as { type: string }).type = name;
      over = dispatch(p, ev);
    });
    try {
      if (res.body && typeof res.body.getReader === 'function') {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
          if (over) {
            reader.cancel().catch(() => {});
            break;
          }
        }
      } else {
        parser.push(await res.text());
      }
      parser.push('\n\n');
    } catch (e) {
      if (!over) p.reject(new StreamError('network', 'stream_broken', String(e), p.started));
      over = true;
    }
    if (!over) p.reject(new StreamError('network', 'stream_ended', 'the stream ended early', p.started));
    return promise;
  }

  close() {
    if (this.abort) this.abort.abort();
  }
}

// ------------------------------------------------------------------ WS, then SSE

export class AutoTransport implements Transport {
  mode: 'ws' | 'sse' = 'ws';

  constructor(
    private readonly ws: WsTransport,
    private readonly sse: Transport,
  ) {}

  async stream(msg: Outgoing, token: TokenFn, onEvent: EventFn): Promise<void> {
    if (this.mode === 'sse') return this.sse.stream(msg, token, onEvent);
    try {
      return await this.ws.stream(msg, token, onEvent);
    } catch (e) {
      // The socket never opened on this page: try plain HTTP. If that reaches the server, stay on SSE.
      if (!(e instanceof StreamError) || e.kind !== 'network' || e.started || this.ws.everOpened) throw e;
      try {
        await this.sse.stream(msg, token, onEvent);
        this.mode = 'sse';
      } catch (e2) {
        if (e2 instanceof StreamError && e2.kind !== 'network') this.mode = 'sse';
        throw e2;
      }
    }
  }

  close() {
    this.ws.close();
    this.sse.close();
  }
}
