import { vi } from 'vitest';
import { Api, ApiError, NetworkError, type Bot } from '../src/app/api';
import { ChatController } from '../src/app/controller';
import { memoryKV, type KV } from '../src/app/storage';
import { StreamError, type EventFn, type Outgoing, type Transport } from '../src/app/transport';

export const BOT: Bot = {
  id: 'b1',
  name: 'Helper',
  greeting: 'Hi! How can I help?',
  suggested_questions: ['What are your prices?'],
  handoff_enabled: true,
  lead_capture_enabled: true,
  appearance: { primary_color: '#4f46e5', theme: 'light', position: 'right', title: 'Acme help' },
};

export function fakeApi(overrides: Partial<Record<keyof Api, unknown>> = {}) {
  let n = 0;
  const api = {
    base: 'https://parley.example.com/api/v1/widget',
    config: vi.fn(async () => ({ bot: BOT })),
    session: vi.fn(async (body: { visitor_id?: string }) => ({
      token: `tok${++n}`,
      expires_in: 900,
      visitor_id: body.visitor_id || 'v-1',
      conversation_id: 'c-1',
    })),
    conversation: vi.fn(async () => ({ conversation_id: 'c-1', messages: [] })),
    newConversation: vi.fn(async () => ({ conversation_id: 'c-2' })),
    feedback: vi.fn(async () => undefined),
    lead: vi.fn(async () => ({})),
    handoff: vi.fn(async () => ({})),
    ...overrides,
  };
  return api as unknown as Api & typeof api;
}

export type Reply = (msg: Outgoing, onEvent: EventFn) => Promise<void> | void;

/** A transport that answers each message with `reply` (default: echo in two tokens). */
export class FakeTransport implements Transport {
  sent: Outgoing[] = [];
  reply: Reply = (msg, on) => {
    on({ type: 'start', conversation_id: 'c-1', message_id: `m-${msg.client_id}`, client_id: msg.client_id });
    on({ type: 'token', text: 'You said: ' });
    on({ type: 'token', text: msg.text });
    on({ type: 'done', message_id: `m-${msg.client_id}`, conversation_id: 'c-1' });
  };
  async stream(msg: Outgoing, token: () => Promise<string>, onEvent: EventFn) {
    await token();
    this.sent.push(msg);
    await this.reply(msg, onEvent);
  }
  close() {}
}

export const down = () => {
  throw new StreamError('network', 'ws_closed', 'down');
};

export function makeController(opts: { kv?: KV; api?: ReturnType<typeof fakeApi>; transport?: FakeTransport; online?: () => boolean; post?: boolean } = {}) {
  const kv = opts.kv || memoryKV();
  const api = opts.api || fakeApi();
  const transport = opts.transport || new FakeTransport();
  const posted: unknown[] = [];
  let id = 0;
  const ctl = new ChatController({
    key: 'pk_test',
    host: 'https://shop.example.com',
    lang: 'en',
    api,
    transport,
    kv,
    post: opts.post === false ? null : (m) => posted.push(m),
    online: opts.online,
    uuid: () => `id${++id}`,
  });
  return { ctl, kv, api, transport, posted };
}

/** Start the controller as embedded: config, ready, init from the loader, session, history. */
export async function started(opts: Parameters<typeof makeController>[0] = {}) {
  const h = makeController(opts);
  await h.ctl.start();
  h.ctl.init(true, null);
  await settle();
  return h;
}

export const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

export { ApiError, NetworkError };
