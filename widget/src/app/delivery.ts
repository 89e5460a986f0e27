/**
 * Sending: the outbox is drained one message at a time, in order, over the transport, and each
 * answer's stream events are written into the thread. A refused message stays "Not sent"; a
 * dropped connection waits in the outbox (or, once the server has started answering, is not sent
 * again: the answer comes back with the history).
 */
import { ApiError, NetworkError } from './api';
import type { FrameToHost } from '../shared/protocol';
import type { Outbox, OutboxItem } from './outbox';
import type { VisitorSession } from './session';
import { userMessage, type ChatStore } from './thread';
import { StreamError, type ServerEvent, type Transport } from './transport';

export interface DeliveryContext {
  store: ChatStore;
  outbox: Outbox;
  transport: Transport;
  session: VisitorSession;
  /** The session has started and the network is up. */
  canSend: () => boolean;
  toHost: (msg: FrameToHost) => void;
  botName: () => string;
  errorText: (code: string, message: string, retryAfter: number | null) => string;
  showError: (code: string, message: string, retryAfter: number | null) => void;
  /** A message went through: the reconnect backoff starts again from its shortest wait. */
  delivered: () => void;
  /** The connection dropped: go offline and resume later. */
  lost: () => void;
}

export class Delivery {
  /** An answer was cut off after the server accepted its question: reload the history. */
  needReload = false;
  private pumping = false;

  constructor(private readonly c: DeliveryContext) {}

  /** Put a new message in the outbox and the thread, then send what is waiting. */
  queue(clientId: string, text: string, now: number) {
    const { store, outbox } = this.c;
    outbox.add(clientId, text, now);
    store.set({ messages: [...store.state.messages, userMessage(clientId, text)], notice: null });
    void this.pump();
  }

  /** Send a failed message again. */
  resend(key: string, now: number) {
    const { store, outbox } = this.c;
    const msg = store.state.messages.find((m) => m.key === key);
    if (!msg || msg.status !== 'failed' || !msg.clientId) return;
    if (!outbox.get(msg.clientId)) outbox.add(msg.clientId, msg.content, now);
    outbox.retry(msg.clientId);
    // Move it to the end so the thread shows it in the order it will be answered.
    const rest = store.state.messages.filter((m) => m.key !== key);
    store.set({ messages: [...rest, { ...msg, status: 'queued', error: undefined }], notice: null });
    void this.pump();
  }

  async pump(): Promise<void> {
    const { store, outbox } = this.c;
    if (this.pumping || !this.c.canSend()) return;
    const item = outbox.next();
    if (!item) return;
    this.pumping = true;
    const key = item.clientId;
    const answer = new AnswerWriter(this.c, item);
    let authRetried = false;
    store.set({ busy: true, typing: true });
    store.updateMessage(key, { status: 'sending', error: undefined });

    const outgoing = { text: item.text, conversation_id: store.state.conversationId, client_id: key };
    for (;;) {
      try {
        await this.c.transport.stream(outgoing, () => this.c.session.getToken(), answer.apply);
        outbox.remove(key);
        this.c.delivered();
        break;
      } catch (e) {
        const err = asStreamError(e);
        if (err.kind === 'auth' && !authRetried && !err.started) {
          authRetried = true;
          try {
            await this.c.session.getToken(true);
            continue;
          } catch (e2) {
            if (e2 instanceof ApiError) {
              this.failMessage(key, answer.key, e2.code, e2.message, e2.retryAfter);
              break;
            }
            this.networkFailure(key, answer.key, false);
            return;
          }
        }
        if (err.kind === 'network') {
          this.networkFailure(key, answer.key, err.started);
          return;
        }
        this.failMessage(key, answer.key, err.code, err.message, err.retryAfter);
        break;
      }
    }
    this.pumping = false;
    store.set({ busy: false, typing: false });
    void this.pump();
  }

  private networkFailure(key: string, assistantKey: string | null, started: boolean) {
    const { store } = this.c;
    this.pumping = false;
    if (started) {
      // The server has the message: don't send it twice. Its answer will be in the history.
      this.c.outbox.remove(key);
      store.updateMessage(key, { status: 'done' });
      if (assistantKey) store.updateMessage(assistantKey, { status: 'interrupted', tool: null });
      this.needReload = true;
    } else {
      store.updateMessage(key, { status: 'queued' });
      if (assistantKey) store.set({ messages: store.state.messages.filter((m) => m.key !== assistantKey) });
    }
    store.set({ busy: false, typing: false });
    this.c.lost();
  }

  private failMessage(key: string, assistantKey: string | null, code: string, message: string, retryAfter: number | null) {
    const { store, outbox } = this.c;
    const text = this.c.errorText(code, message, retryAfter);
    outbox.fail(key, code, message);
    let messages = store.state.messages;
    const a = assistantKey && messages.find((m) => m.key === assistantKey);
    if (a && !a.content) messages = messages.filter((m) => m.key !== assistantKey);
    else if (a) messages = messages.map((m) => (m.key === assistantKey ? { ...m, status: 'interrupted' as const } : m));
    store.set({ messages });
    // A message the server accepted (it started answering) is not sent again.
    if (a && a.content) outbox.remove(key);
    else store.updateMessage(key, { status: 'failed', error: text });
    this.c.showError(code, message, retryAfter);
  }
}

function asStreamError(e: unknown): StreamError {
  if (e instanceof StreamError) return e;
  if (e instanceof ApiError) return new StreamError(e.status === 401 ? 'auth' : 'server', e.code, e.message, false, e.retryAfter);
  if (e instanceof NetworkError) return new StreamError('network', 'network', e.message);
  return new StreamError('server', 'client_error', String(e));
}

/** Writes one answer's stream events into the thread, right after its question. */
class AnswerWriter {
  /** The answer's message key, once its first event has arrived. */
  key: string | null = null;

  constructor(
    private readonly c: DeliveryContext,
    private readonly question: OutboxItem,
  ) {}

  private ensure(id: string | null): string {
    const { store } = this.c;
    if (this.key) {
      if (id) store.updateMessage(this.key, { id });
      return this.key;
    }
    const k = `a-${this.question.clientId}`;
    // Right after its question, before any message still waiting in the outbox.
    const list = store.state.messages.slice();
    const at = list.findIndex((m) => m.key === this.question.clientId);
    list.splice(at < 0 ? list.length : at + 1, 0, { key: k, id, role: 'assistant', content: '', citations: [], feedback: null, status: 'streaming' });
    store.set({ messages: list });
    return (this.key = k);
  }

  apply = (ev: ServerEvent) => {
    const { store } = this.c;
    switch (ev.type) {
      case 'start': {
        store.updateMessage(this.question.clientId, { status: 'done' });
        store.set({ conversationId: ev.conversation_id || store.state.conversationId });
        const data = { role: 'user', text: this.question.text, conversation_id: ev.conversation_id };
        this.c.toHost({ type: 'event', name: 'message', data });
        this.ensure(ev.message_id);
        break;
      }
      case 'token': {
        const k = this.ensure(null);
        store.set({
          typing: false,
          messages: store.state.messages.map((m) => (m.key === k ? { ...m, content: m.content + (ev.text || ''), tool: null } : m)),
        });
        break;
      }
      case 'tool':
        store.updateMessage(this.ensure(null), { tool: ev.status === 'started' ? ev.name : null });
        store.set({ typing: ev.status === 'started' });
        break;
      case 'citations':
        store.updateMessage(this.ensure(null), { citations: Array.isArray(ev.citations) ? ev.citations : [] });
        break;
      case 'lead_form':
        if (store.state.lead !== 'sent') store.set({ lead: 'open', leadError: null });
        break;
      case 'done':
        this.finish(ev.message_id || null, ev.conversation_id);
        break;
    }
  };

  private finish(messageId: string | null, conversationId: string | undefined) {
    const { store } = this.c;
    const k = this.ensure(messageId);
    const m = store.state.messages.find((x) => x.key === k)!;
    store.updateMessage(k, { status: 'done', tool: null, id: messageId || m.id });
    const unread = store.state.open ? 0 : store.state.unread + 1;
    store.set({
      conversationId: conversationId || store.state.conversationId,
      typing: false,
      unread,
      announce: `${this.c.botName()}: ${m.content}`,
    });
    if (!store.state.open) this.c.toHost({ type: 'unread', count: unread });
    const data = { role: 'assistant', text: m.content, id: messageId || m.id, conversation_id: store.state.conversationId };
    this.c.toHost({ type: 'event', name: 'message', data });
  }
}
