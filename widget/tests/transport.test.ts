import { describe, expect, it, vi } from 'vitest';
import { AutoTransport, SseParser, SseTransport, StreamError, WsTransport, type ServerEvent } from '../src/app/transport';

const enc = new TextEncoder();
function sseResponse(chunks: string[], status = 200, headers: Record<string, string> = {}) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream', ...headers } });
}

const msg = { text: 'hi', conversation_id: null, client_id: 'c1' };
const token = async () => 'tok';

describe('SSE', () => {
  it('parses events split across chunks', () => {
    const got: [string, string][] = [];
    const p = new SseParser((n, d) => got.push([n, d]));
    p.push('event: tok');
    p.push('en\ndata: {"text":"a"}\n\n: comment\n\nevent: done\r\ndata: {}\r\n\r\n');
    expect(got).toEqual([
      ['token', '{"text":"a"}'],
      ['done', '{}'],
    ]);
  });

  it('streams over POST /chat with the bearer token', async () => {
    const fetch = vi.fn(async () =>
      sseResponse([
        'event: start\ndata: {"conversation_id":"c","message_id":"m","client_id":"c1"}\n\n',
        'event: token\ndata: {"text":"Hel"}\n\nevent: token\ndata: {"text":"lo"}\n\n',
        'event: done\ndata: {"message_id":"m","conversation_id":"c"}\n\n',
      ]),
    );
    const events: ServerEvent[] = [];
    await new SseTransport('https://p.example/api/v1/widget/chat', fetch as unknown as typeof globalThis.fetch).stream(msg, token, (e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['start', 'token', 'token', 'done']);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://p.example/api/v1/widget/chat');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((init.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect(JSON.parse(init.body as string)).toEqual({ message: 'hi', conversation_id: null, client_id: 'c1' });
  });

  it('turns a 429 into a server error with Retry-After', async () => {
    const fetch = vi.fn(async () =>
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), { status: 429, headers: { 'Retry-After': '20' } }),
    );
    const err = await new SseTransport('/chat', fetch as unknown as typeof globalThis.fetch).stream(msg, token, () => {}).catch((e) => e);
    expect(err).toBeInstanceOf(StreamError);
    expect(err).toMatchObject({ kind: 'server', code: 'rate_limited', retryAfter: 20 });
  });

  it('reports an error event and an early end', async () => {
    const e1 = await new SseTransport('/chat', (async () =>
      sseResponse(['event: error\ndata: {"code":"bot_error","message":"boom"}\n\n'])) as unknown as typeof fetch)
      .stream(msg, token, () => {})
      .catch((e) => e);
    expect(e1).toMatchObject({ kind: 'server', code: 'bot_error' });
    const e2 = await new SseTransport('/chat', (async () =>
      sseResponse(['event: start\ndata: {"conversation_id":"c","message_id":"m"}\n\n'])) as unknown as typeof fetch)
      .stream(msg, token, () => {})
      .catch((e) => e);
    expect(e2).toMatchObject({ kind: 'network', started: true });
  });
});

/** A WebSocket double: `behaviour` decides what happens on open and send. */
class FakeWS {
  static instances: FakeWS[] = [];
  static mode: 'ok' | 'refuse' = 'ok';
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeWS.instances.push(this);
    setTimeout(() => {
      if (FakeWS.mode === 'refuse') {
        this.onerror?.();
        this.onclose?.({ code: 1006 });
      } else {
        this.readyState = 1;
        this.onopen?.();
      }
    }, 0);
  }
  send(data: string) {
    this.sent.push(data);
    const m = JSON.parse(data);
    if (m.type !== 'message') return;
    const out = [
      { type: 'start', conversation_id: 'c', message_id: 'm', client_id: m.client_id },
      { type: 'token', text: 'ok' },
      { type: 'done', message_id: 'm', conversation_id: 'c' },
    ];
    setTimeout(() => out.forEach((o) => this.onmessage?.({ data: JSON.stringify(o) })), 0);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }
}

describe('WebSocket and fallback', () => {
  it('streams over a WebSocket opened with the token', async () => {
    FakeWS.mode = 'ok';
    FakeWS.instances = [];
    const ws = new WsTransport((t) => `wss://p.example/api/v1/widget/ws?token=${t}`, FakeWS as unknown as typeof WebSocket);
    const events: string[] = [];
    await ws.stream(msg, token, (e) => events.push(e.type));
    expect(events).toEqual(['start', 'token', 'done']);
    expect(FakeWS.instances[0].url).toBe('wss://p.example/api/v1/widget/ws?token=tok');
    expect(JSON.parse(FakeWS.instances[0].sent[0])).toEqual({ type: 'message', text: 'hi', conversation_id: null, client_id: 'c1' });
    ws.close();
  });

  it('falls back to SSE when WebSockets never open, and stays there', async () => {
    FakeWS.mode = 'refuse';
    const ws = new WsTransport(() => 'wss://x', FakeWS as unknown as typeof WebSocket);
    const sse = { stream: vi.fn(async (_m, _t, on: (e: ServerEvent) => void) => on({ type: 'done' })), close: vi.fn() };
    const auto = new AutoTransport(ws, sse);
    const events: string[] = [];
    await auto.stream(msg, token, (e) => events.push(e.type));
    expect(events).toEqual(['done']);
    expect(auto.mode).toBe('sse');
    await auto.stream(msg, token, () => {});
    expect(sse.stream).toHaveBeenCalledTimes(2);
  });

  it('reports "network" when neither works (offline)', async () => {
    FakeWS.mode = 'refuse';
    const ws = new WsTransport(() => 'wss://x', FakeWS as unknown as typeof WebSocket);
    const sse = new SseTransport('/chat', (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    const auto = new AutoTransport(ws, sse);
    const err = await auto.stream(msg, token, () => {}).catch((e) => e);
    expect(err).toMatchObject({ kind: 'network', started: false });
    expect(auto.mode).toBe('ws');
  });
});
