import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { charCount, DEFAULT_MAX_CHARS } from '../src/app/thread';
import { memoryKV } from '../src/app/storage';
import { StreamError } from '../src/app/transport';
import { ApiError, BOT, fakeApi, FakeTransport, makeController, NetworkError, settle, started } from './helpers';

afterEach(() => vi.useRealTimers());

const texts = (ctl: { state: { messages: { role: string; content: string; status: string }[] } }) =>
  ctl.state.messages.map((m) => `${m.role}:${m.status}:${m.content}`);

describe('chat controller', () => {
  it('checks the bot and the host, says ready, then starts the session after init', async () => {
    const { ctl, api, posted } = makeController();
    await ctl.start();
    expect(api.config).toHaveBeenCalledWith('pk_test', 'https://shop.example.com');
    expect(posted).toEqual([{ type: 'ready' }]);
    expect(api.session).not.toHaveBeenCalled();
    ctl.init(false, { id: 'u1', hash: 'h' });
    await settle();
    expect(api.session).toHaveBeenCalledWith({ key: 'pk_test', identity: { id: 'u1', hash: 'h' } });
    expect(texts(ctl)).toEqual(['assistant:done:Hi! How can I help?']);
  });

  it('is unavailable (and silent to the host) when the server refuses the origin', async () => {
    const api = fakeApi({ config: vi.fn(async () => Promise.reject(new ApiError(403, 'origin_not_allowed', 'no'))) });
    const { ctl, posted } = makeController({ api });
    await ctl.start();
    expect(ctl.state.phase).toBe('unavailable');
    expect(posted).toEqual([]);
  });

  it('keeps the visitor id per bot key and sends it back', async () => {
    const kv = memoryKV();
    await started({ kv });
    expect(kv.get('parley:visitor:pk_test')).toBe('v-1');
    const { api } = await started({ kv });
    expect(api.session).toHaveBeenCalledWith({ key: 'pk_test', visitor_id: 'v-1' });
  });

  it('loads the history from the server', async () => {
    const api = fakeApi({
      conversation: vi.fn(async () => ({
        conversation_id: 'c-1',
        messages: [
          { id: 'm1', role: 'user', content: 'Hello', citations: [], created_at: '', feedback: null },
          { id: 'm2', role: 'assistant', content: 'Hi **there**', citations: [{ title: 'Doc', snippet: 's' }], created_at: '', feedback: 1 },
        ],
      })),
    });
    const { ctl } = await started({ api });
    expect(texts(ctl)).toEqual(['assistant:done:Hi! How can I help?', 'user:done:Hello', 'assistant:done:Hi **there**']);
    expect(ctl.state.messages[2].feedback).toBe(1);
    expect(ctl.state.messages[2].citations[0].title).toBe('Doc');
  });

  it('streams an answer and tells the host page', async () => {
    const { ctl, transport, posted } = await started();
    ctl.setOpen(false);
    expect(ctl.send('  hello  ')).toBe(true);
    await settle();
    expect(transport.sent).toEqual([{ text: 'hello', conversation_id: 'c-1', client_id: 'id1' }]);
    expect(texts(ctl).slice(1)).toEqual(['user:done:hello', 'assistant:done:You said: hello']);
    expect(ctl.state.messages[2].id).toBe('m-id1');
    expect(ctl.state.unread).toBe(1);
    expect(posted).toContainEqual({ type: 'unread', count: 1 });
    expect(posted).toContainEqual({ type: 'event', name: 'message', data: expect.objectContaining({ role: 'user', text: 'hello' }) });
    expect(posted).toContainEqual({ type: 'event', name: 'message', data: expect.objectContaining({ role: 'assistant', text: 'You said: hello' }) });
    expect(ctl.state.announce).toBe('Acme help: You said: hello');
    expect(ctl.outbox.items()).toEqual([]);
  });

  it('shows citations, tool use and the lead form from the stream', async () => {
    const { ctl, transport } = await started();
    transport.reply = (msg, on) => {
      on({ type: 'start', conversation_id: 'c-1', message_id: 'm9', client_id: msg.client_id });
      on({ type: 'tool', name: 'search', status: 'started' });
      expect(ctl.state.typing).toBe(true);
      on({ type: 'tool', name: 'search', status: 'done' });
      on({ type: 'token', text: 'Answer' });
      on({ type: 'citations', citations: [{ title: 'Pricing', url: 'https://acme.example/pricing', snippet: '$10' }] });
      on({ type: 'lead_form' });
      on({ type: 'done', message_id: 'm9', conversation_id: 'c-1' });
    };
    ctl.send('prices?');
    await settle();
    const answer = ctl.state.messages.at(-1)!;
    expect(answer.citations).toHaveLength(1);
    expect(ctl.state.lead).toBe('open');
    await ctl.submitLead({ name: 'Ada', email: 'not-an-email' });
    expect(ctl.state.leadError).toMatch(/valid email/);
    await ctl.submitLead({ name: 'Ada', email: 'ada@example.com', message: ' call me ' });
    expect(ctl.state.lead).toBe('sent');
  });

  it('refuses a message over the limit before sending', async () => {
    const { ctl, transport } = await started();
    expect(ctl.maxChars).toBe(DEFAULT_MAX_CHARS);
    expect(ctl.send('x'.repeat(4001))).toBe(false);
    expect(ctl.state.notice!.text).toBe('Your message is too long: 4001 characters, the limit is 4000.');
    expect(ctl.send('x'.repeat(4000))).toBe(true);
    await settle();
    expect(transport.sent).toHaveLength(1);
    // Emoji count as one character, as the server counts them.
    expect(charCount('👍'.repeat(4000))).toBe(4000);
    expect(ctl.send('👍'.repeat(4000))).toBe(true);
  });

  it('shows a rate limit in words and keeps the message to send again', async () => {
    const { ctl, transport, posted } = await started();
    transport.reply = () => {
      throw new StreamError('server', 'rate_limited', 'Too many requests', false, 20);
    };
    ctl.send('one');
    await settle();
    expect(ctl.state.notice!.text).toBe('Too many messages — try again in 20 s.');
    const failed = ctl.state.messages.at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Too many messages — try again in 20 s.');
    expect(posted).toContainEqual({ type: 'event', name: 'error', data: expect.objectContaining({ code: 'rate_limited', retry_after: 20 }) });
    // Nothing lost: still in the outbox, and "send again" works.
    expect(ctl.outbox.items().map((i) => i.text)).toEqual(['one']);
    transport.reply = new FakeTransport().reply;
    ctl.resend(failed.key);
    await settle();
    expect(texts(ctl).slice(1)).toEqual(['user:done:one', 'assistant:done:You said: one']);
    expect(ctl.outbox.items()).toEqual([]);
  });

  it('formats long waits in minutes', async () => {
    const { ctl } = await started();
    expect(ctl.errorText('rate_limited', '', 150)).toBe('Too many messages — try again in 3 min.');
  });

  it('queues messages typed while offline and sends them in order when back', async () => {
    vi.useFakeTimers();
    let online = true;
    const kv = memoryKV();
    const transport = new FakeTransport();
    const ok = transport.reply;
    const h = makeController({ kv, transport, online: () => online });
    await h.ctl.start();
    h.ctl.init(true, null);
    await vi.advanceTimersByTimeAsync(0);
    const { ctl } = h;

    online = false;
    ctl.setOnline(false);
    transport.reply = () => {
      throw new StreamError('network', 'ws_closed', 'offline');
    };
    ctl.send('first');
    ctl.send('second');
    await vi.advanceTimersByTimeAsync(0);
    expect(ctl.state.net).toBe('offline');
    expect(texts(ctl).slice(1)).toEqual(['user:queued:first', 'user:queued:second']);
    expect(transport.sent).toEqual([]);
    // Persisted: a reload now would not lose them.
    expect(JSON.parse(kv.get('parley:outbox:pk_test')!).map((i: { text: string }) => i.text)).toEqual(['first', 'second']);

    online = true;
    transport.reply = ok;
    ctl.setOnline(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(ctl.state.net).toBe('ok');
    expect(transport.sent.map((m) => m.text)).toEqual(['first', 'second']);
    expect(texts(ctl).slice(1)).toEqual([
      'user:done:first',
      'assistant:done:You said: first',
      'user:done:second',
      'assistant:done:You said: second',
    ]);
    expect(kv.get('parley:outbox:pk_test')).toBeNull();
  });

  it('retries with backoff when the server is down, and the Retry button skips the wait', async () => {
    vi.useFakeTimers();
    const transport = new FakeTransport();
    const ok = transport.reply;
    let fail = true;
    transport.reply = (m, on) => (fail ? (() => { throw new StreamError('network', 'ws_closed', 'down'); })() : ok(m, on));
    const h = makeController({ transport, online: () => true });
    await h.ctl.start();
    h.ctl.init(true, null);
    await vi.advanceTimersByTimeAsync(0);
    h.ctl.send('hello?');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ctl.state.net).toBe('down');
    expect(h.ctl.state.retryAt).not.toBeNull();
    await vi.advanceTimersByTimeAsync(2100); // first retry after 2 s: still down
    expect(h.ctl.state.net).toBe('down');
    fail = false;
    h.ctl.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ctl.state.net).toBe('ok');
    expect(texts(h.ctl).slice(1)).toEqual(['user:done:hello?', 'assistant:done:You said: hello?']);
  });

  it('keeps queued messages across a reload and sends them on start', async () => {
    const kv = memoryKV();
    const first = makeController({ kv });
    first.ctl.outbox.add('old-1', 'typed before the reload');
    const { ctl, transport } = await started({ kv });
    expect(transport.sent.map((m) => m.text)).toEqual(['typed before the reload']);
    expect(texts(ctl).slice(1)).toEqual(['user:done:typed before the reload', 'assistant:done:You said: typed before the reload']);
  });

  it('does not resend a message the server already accepted when the connection drops mid-answer', async () => {
    vi.useFakeTimers();
    const transport = new FakeTransport();
    transport.reply = (msg, on) => {
      on({ type: 'start', conversation_id: 'c-1', message_id: 'm1', client_id: msg.client_id });
      on({ type: 'token', text: 'Part' });
      throw new StreamError('network', 'ws_closed', 'lost', true);
    };
    const api = fakeApi();
    const h = makeController({ transport, api, online: () => true });
    await h.ctl.start();
    h.ctl.init(true, null);
    await vi.advanceTimersByTimeAsync(0);
    h.ctl.send('question');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ctl.state.messages.at(-1)!.status).toBe('interrupted');
    expect(h.ctl.outbox.items()).toEqual([]);
    (api.conversation as unknown as Mock).mockResolvedValueOnce({
      conversation_id: 'c-1',
      messages: [
        { id: 'u', role: 'user', content: 'question', citations: [], created_at: '', feedback: null },
        { id: 'm1', role: 'assistant', content: 'Part and the rest', citations: [], created_at: '', feedback: null },
      ],
    });
    await vi.advanceTimersByTimeAsync(2100); // reconnect: the history has the full answer
    expect(transport.sent).toHaveLength(1);
    expect(texts(h.ctl).slice(1)).toEqual(['user:done:question', 'assistant:done:Part and the rest']);
  });

  it('refreshes an expired token once and sends the message', async () => {
    const { ctl, transport, api } = await started();
    let first = true;
    const ok = transport.reply;
    transport.reply = (m, on) => {
      if (first) {
        first = false;
        throw new StreamError('auth', 'token_expired', 'expired');
      }
      return ok(m, on);
    };
    ctl.send('hi');
    await settle();
    expect(api.session).toHaveBeenCalledTimes(2);
    expect(ctl.state.messages.at(-1)!.content).toBe('You said: hi');
  });

  it('retries a REST call after a 401', async () => {
    const api = fakeApi();
    const { ctl } = await started({ api });
    ctl.send('hi');
    await settle();
    (api.feedback as unknown as Mock).mockRejectedValueOnce(new ApiError(401, 'token_expired', 'expired'));
    const key = ctl.state.messages.at(-1)!.key;
    await ctl.feedback(key, -1);
    expect(api.feedback).toHaveBeenCalledTimes(2);
    expect(api.feedback).toHaveBeenLastCalledWith('tok2', 'm-id1', -1);
    expect(ctl.state.messages.at(-1)!.feedback).toBe(-1);
  });

  it('starts a new conversation and asks for a human', async () => {
    const { ctl, api } = await started();
    ctl.send('hi');
    await settle();
    await ctl.newConversation();
    expect(ctl.state.conversationId).toBe('c-2');
    expect(texts(ctl)).toEqual(['assistant:done:Hi! How can I help?']);
    await ctl.handoff();
    expect(api.handoff).toHaveBeenCalled();
    expect(ctl.state.handoff).toBe('sent');
    expect(ctl.state.messages.at(-1)!.role).toBe('system');
  });

  it('shows a network error during start-up as a banner and recovers', async () => {
    vi.useFakeTimers();
    const api = fakeApi({ session: vi.fn().mockRejectedValueOnce(new NetworkError('down')) });
    (api.session as ReturnType<typeof vi.fn>).mockResolvedValue({ token: 't', expires_in: 900, visitor_id: 'v', conversation_id: null });
    const h = makeController({ api, online: () => true });
    await h.ctl.start();
    h.ctl.init(false, null);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ctl.state.net).toBe('down');
    h.ctl.send('while down');
    await vi.advanceTimersByTimeAsync(2100);
    expect(h.ctl.state.net).toBe('ok');
    expect(texts(h.ctl).slice(1)).toEqual(['user:done:while down', 'assistant:done:You said: while down']);
  });

  it('uses the bot limit when the config gives one', async () => {
    const api = fakeApi({ config: vi.fn(async () => ({ bot: { ...BOT, max_message_chars: 100 } })) });
    const { ctl } = await started({ api });
    expect(ctl.maxChars).toBe(100);
    expect(ctl.send('x'.repeat(101))).toBe(false);
  });
});
