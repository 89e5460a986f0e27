/**
 * The chat app's state and behaviour, independent of the UI (tested without a DOM).
 * Components read `state` and call methods; `subscribe` tells them when to re-render.
 */
import { ApiError, NetworkError, type Api, type Bot, type Citation, type ServerMessage } from './api';
import type { FrameToHost, Identity } from '../shared/protocol';
import { duration, translator, type Translate } from './i18n';
import { Outbox, type OutboxItem } from './outbox';
import { uuid as makeUuid, type KV } from './storage';
import { StreamError, type ServerEvent, type Transport } from './transport';

export const DEFAULT_MAX_CHARS = 4000;
const BACKOFF = [2, 4, 8, 15, 30];
const INIT_TIMEOUT_MS = 3000;

/** Characters as the server counts them (code points, so an emoji is one). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export type MessageStatus = 'done' | 'queued' | 'sending' | 'failed' | 'streaming' | 'interrupted';

export interface UiMessage {
  key: string;
  /** Server id (for feedback), null until known. */
  id: string | null;
  role: 'user' | 'assistant' | 'system';
  content: string;
  citations: Citation[];
  feedback: 1 | -1 | null;
  status: MessageStatus;
  error?: string;
  tool?: string | null;
  clientId?: string;
  greeting?: boolean;
}

export interface ChatState {
  phase: 'loading' | 'ready' | 'unavailable';
  bot: Bot | null;
  messages: UiMessage[];
  conversationId: string | null;
  /** ok; offline (the browser says so); down (the server can't be reached). */
  net: 'ok' | 'offline' | 'down';
  retryAt: number | null;
  busy: boolean;
  typing: boolean;
  notice: { kind: 'error' | 'info'; text: string } | null;
  lead: 'hidden' | 'open' | 'sending' | 'sent';
  leadError: string | null;
  handoff: 'idle' | 'sending' | 'sent';
  open: boolean;
  unread: number;
  /** Text for the aria-live region. */
  announce: string;
}

export interface ControllerDeps {
  key: string;
  host: string;
  lang: string;
  api: Api;
  transport: Transport;
  kv: KV;
  /** Send a protocol message to the host page (null when not embedded). */
  post: ((msg: FrameToHost) => void) | null;
  online?: () => boolean;
  uuid?: () => string;
  now?: () => number;
}

export class ChatController {
  state: ChatState = {
    phase: 'loading',
    bot: null,
    messages: [],
    conversationId: null,
    net: 'ok',
    retryAt: null,
    busy: false,
    typing: false,
    notice: null,
    lead: 'hidden',
    leadError: null,
    handoff: 'idle',
    open: false,
    unread: 0,
    announce: '',
  };
  t: Translate;
  readonly outbox: Outbox;
  private listeners = new Set<() => void>();
  private token: string | null = null;
  private tokenExpiresAt = 0;
  private refreshing: Promise<string> | null = null;
  private identity: Identity | null = null;
  private visitorId: string | null;
  private sessionReady = false;
  private starting = false;
  private pumping = false;
  private needReload = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private initTimer: ReturnType<typeof setTimeout> | null = null;
  private inited = false;
  private readonly uuid: () => string;
  private readonly now: () => number;
  private readonly online: () => boolean;

  constructor(private readonly d: ControllerDeps) {
    this.t = translator(d.lang);
    this.outbox = new Outbox(d.kv, d.key);
    this.uuid = d.uuid || makeUuid;
    this.now = d.now || Date.now;
    this.online = d.online || (() => typeof navigator === 'undefined' || navigator.onLine !== false);
    this.visitorId = d.kv.get(this.visitorKey);
  }

  private get visitorKey() {
    return `parley:visitor:${this.d.key}`;
  }

  /** Inside a host page's iframe (not opened on its own). */
  get embedded(): boolean {
    return !!this.d.post;
  }

  get maxChars(): number {
    const n = this.state.bot && this.state.bot.max_message_chars;
    return typeof n === 'number' && n > 0 ? n : DEFAULT_MAX_CHARS;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((fn) => fn());
  }

  private updateMessage(key: string, patch: Partial<UiMessage>) {
    this.set({ messages: this.state.messages.map((m) => (m.key === key ? { ...m, ...patch } : m)) });
  }

  private toHost(msg: FrameToHost) {
    if (this.d.post) this.d.post(msg);
  }

  private hostEvent(name: 'message' | 'error', data: unknown) {
    this.toHost({ type: 'event', name, data });
  }

  // ---------------------------------------------------------------- start-up

  /** Check the bot and the embedding origin, then tell the host page we're ready. */
  async start(): Promise<void> {
    let bot: Bot;
    try {
      bot = (await this.d.api.config(this.d.key, this.d.host)).bot;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
        this.set({ phase: 'unavailable' });
        return; // the host isn't trusted: say nothing to it
      }
      this.offline(() => this.start());
      return;
    }
    const queued = this.outbox.items().map((it) => this.queuedMessage(it));
    this.set({ bot, phase: 'ready', net: 'ok', retryAt: null });
    this.set({ messages: this.withGreeting([...this.state.messages, ...queued]) });
    this.attempt = 0;
    if (this.d.post) {
      this.toHost({ type: 'ready' });
      // The loader answers "ready" with "init"; don't wait forever if it doesn't.
      this.initTimer = setTimeout(() => this.init(false, null), INIT_TIMEOUT_MS);
    } else this.init(true, null);
  }

  /** The loader's "init": open state and identity, then the session starts. */
  init(open: boolean, identity: Identity | null) {
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    if (this.inited) return;
    this.inited = true;
    this.identity = identity;
    this.setOpen(open);
    void this.connect();
  }

  /** Create the visitor session and load the conversation. */
  private async connect(): Promise<void> {
    if (this.starting || !this.state.bot) return;
    this.starting = true;
    try {
      await this.refreshSession();
      await this.loadHistory();
      this.sessionReady = true;
      this.attempt = 0;
      this.set({ net: 'ok', retryAt: null });
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.status === 403 || e.status === 404) this.set({ phase: 'unavailable' });
        else {
          this.showError(e.code, e.message, e.retryAfter);
          this.offline(() => this.connect(), e.retryAfter ?? undefined, 'down');
        }
      } else this.offline(() => this.connect());
      return;
    } finally {
      this.starting = false;
    }
    void this.pump();
  }

  private async refreshSession(): Promise<string> {
    const body: { key: string; visitor_id?: string; identity?: Identity } = { key: this.d.key };
    if (this.visitorId) body.visitor_id = this.visitorId;
    if (this.identity) body.identity = this.identity;
    const s = await this.d.api.session(body);
    this.token = s.token;
    this.tokenExpiresAt = this.now() + Math.max(10, s.expires_in || 0) * 1000;
    if (s.visitor_id && s.visitor_id !== this.visitorId) {
      this.visitorId = s.visitor_id;
      this.d.kv.set(this.visitorKey, s.visitor_id);
    }
    if (s.conversation_id !== undefined && s.conversation_id !== this.state.conversationId && !this.state.busy)
      this.set({ conversationId: s.conversation_id });
    return s.token;
  }

  /** A token valid for at least 30 more seconds (refreshing the session if needed). */
  getToken = (force = false): Promise<string> => {
    if (!force && this.token && this.tokenExpiresAt - this.now() > 30000) return Promise.resolve(this.token);
    if (!this.refreshing) this.refreshing = this.refreshSession().finally(() => (this.refreshing = null));
    return this.refreshing;
  };

  /** Call with a token; on 401 refresh the session once and retry. */
  private async authed<T>(fn: (token: string) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.getToken());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return fn(await this.getToken(true));
      throw e;
    }
  }

  private async loadHistory() {
    const conv = await this.authed((tk) => this.d.api.conversation(tk));
    const history = (conv.messages || []).map(fromServer);
    const queued = this.outbox.items().map((it) => this.queuedMessage(it));
    this.needReload = false;
    this.set({ conversationId: conv.conversation_id, messages: this.withGreeting([...history, ...queued]) });
  }

  private queuedMessage(it: OutboxItem): UiMessage {
    return {
      key: it.clientId,
      clientId: it.clientId,
      id: null,
      role: 'user',
      content: it.text,
      citations: [],
      feedback: null,
      status: it.failed ? 'failed' : 'queued',
      error: it.failed ? this.errorText(it.failed.code, it.failed.message, null) : undefined,
    };
  }

  /** The bot's greeting (local, never stored) first, then the conversation. */
  private withGreeting(list: UiMessage[]): UiMessage[] {
    const real = list.filter((m) => !m.greeting);
    const greeting = this.state.bot && this.state.bot.greeting;
    return greeting ? [greet(greeting), ...real] : real;
  }

  // ---------------------------------------------------------------- connectivity

  /** Go to offline/down, and retry `again` with backoff (or when the browser is back online). */
  private offline(again: () => unknown, afterSeconds?: number, net?: 'down') {
    const status = net || (this.online() ? 'down' : 'offline');
    const wait = afterSeconds ?? BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
    this.attempt++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pendingRetry = again;
    if (status === 'offline') {
      this.set({ net: 'offline', retryAt: null });
      return; // wait for the browser's "online" event
    }
    this.set({ net: status, retryAt: this.now() + wait * 1000 });
    this.retryTimer = setTimeout(() => this.retryNow(), wait * 1000);
  }

  private pendingRetry: (() => unknown) | null = null;

  /** The banner's Retry button, the browser's "online" event and the backoff timer all land here. */
  retryNow() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const again = this.pendingRetry;
    this.pendingRetry = null;
    if (this.state.net !== 'ok') this.set({ net: 'ok', retryAt: null });
    if (again) void again();
    else void this.pump();
  }

  /** The browser went offline or online. */
  setOnline(online: boolean) {
    if (!online) {
      if (this.state.net === 'ok' && !this.pendingRetry) this.pendingRetry = () => this.resume();
      this.set({ net: 'offline', retryAt: null });
    } else if (this.state.net !== 'ok') {
      this.attempt = 0;
      this.retryNow();
    }
  }

  private async resume(): Promise<void> {
    if (!this.sessionReady) return this.connect();
    if (this.needReload) {
      try {
        await this.loadHistory();
      } catch (e) {
        if (!(e instanceof ApiError)) return this.offline(() => this.resume());
      }
    }
    return this.pump();
  }

  // ---------------------------------------------------------------- sending

  /** Queue a message. Returns false (and sends nothing) when it's empty or over the limit. */
  send(raw: string): boolean {
    const text = raw.trim();
    if (!text) return false;
    const n = charCount(text);
    if (n > this.maxChars) {
      this.set({ notice: { kind: 'error', text: this.t('tooLong', { n, max: this.maxChars }) } });
      return false;
    }
    const clientId = this.uuid();
    this.outbox.add(clientId, text, this.now());
    const msg: UiMessage = { key: clientId, clientId, id: null, role: 'user', content: text, citations: [], feedback: null, status: 'queued' };
    this.set({ messages: [...this.state.messages, msg], notice: null });
    void this.pump();
    return true;
  }

  /** Send a failed message again. */
  resend(key: string) {
    const msg = this.state.messages.find((m) => m.key === key);
    if (!msg || msg.status !== 'failed' || !msg.clientId) return;
    if (!this.outbox.get(msg.clientId)) this.outbox.add(msg.clientId, msg.content, this.now());
    this.outbox.retry(msg.clientId);
    // Move it to the end so the thread shows it in the order it will be answered.
    const rest = this.state.messages.filter((m) => m.key !== key);
    this.set({ messages: [...rest, { ...msg, status: 'queued', error: undefined }], notice: null });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.sessionReady || this.state.net !== 'ok') return;
    const item = this.outbox.next();
    if (!item) return;
    this.pumping = true;
    const key = item.clientId;
    let assistantKey: string | null = null;
    let authRetried = false;
    this.set({ busy: true, typing: true });
    this.updateMessage(key, { status: 'sending', error: undefined });

    const onEvent = (ev: ServerEvent) => {
      switch (ev.type) {
        case 'start':
          this.updateMessage(key, { status: 'done' });
          this.set({ conversationId: ev.conversation_id || this.state.conversationId });
          this.hostEvent('message', { role: 'user', text: item.text, conversation_id: ev.conversation_id });
          assistantKey = ensureAssistant(ev.message_id);
          break;
        case 'token':
          assistantKey = ensureAssistant(null);
          this.set({
            typing: false,
            messages: this.state.messages.map((m) => (m.key === assistantKey ? { ...m, content: m.content + (ev.text || ''), tool: null } : m)),
          });
          break;
        case 'tool':
          assistantKey = ensureAssistant(null);
          this.updateMessage(assistantKey, { tool: ev.status === 'started' ? ev.name : null });
          this.set({ typing: ev.status === 'started' });
          break;
        case 'citations':
          assistantKey = ensureAssistant(null);
          this.updateMessage(assistantKey, { citations: Array.isArray(ev.citations) ? ev.citations : [] });
          break;
        case 'lead_form':
          if (this.state.lead !== 'sent') this.set({ lead: 'open', leadError: null });
          break;
        case 'done': {
          assistantKey = ensureAssistant(ev.message_id || null);
          const m = this.state.messages.find((x) => x.key === assistantKey)!;
          this.updateMessage(assistantKey, { status: 'done', tool: null, id: ev.message_id || m.id });
          const unread = this.state.open ? 0 : this.state.unread + 1;
          this.set({
            conversationId: ev.conversation_id || this.state.conversationId,
            typing: false,
            unread,
            announce: `${this.botName()}: ${m.content}`,
          });
          if (!this.state.open) this.toHost({ type: 'unread', count: unread });
          this.hostEvent('message', { role: 'assistant', text: m.content, id: ev.message_id || m.id, conversation_id: this.state.conversationId });
          break;
        }
      }
    };
    const ensureAssistant = (id: string | null): string => {
      if (assistantKey) {
        if (id) this.updateMessage(assistantKey, { id });
        return assistantKey;
      }
      const k = `a-${key}`;
      // Right after its question, before any message still waiting in the outbox.
      const list = this.state.messages.slice();
      const at = list.findIndex((m) => m.key === key);
      list.splice(at < 0 ? list.length : at + 1, 0, { key: k, id, role: 'assistant', content: '', citations: [], feedback: null, status: 'streaming' });
      this.set({ messages: list });
      return k;
    };

    const outgoing = { text: item.text, conversation_id: this.state.conversationId, client_id: key };
    for (;;) {
      try {
        await this.d.transport.stream(outgoing, () => this.getToken(), onEvent);
        this.outbox.remove(key);
        this.attempt = 0;
        break;
      } catch (e) {
        const err =
          e instanceof StreamError
            ? e
            : e instanceof ApiError
              ? new StreamError(e.status === 401 ? 'auth' : 'server', e.code, e.message, false, e.retryAfter)
              : e instanceof NetworkError
                ? new StreamError('network', 'network', e.message)
                : new StreamError('server', 'client_error', String(e));
        if (err.kind === 'auth' && !authRetried && !err.started) {
          authRetried = true;
          try {
            await this.getToken(true);
            continue;
          } catch (e2) {
            if (e2 instanceof ApiError) {
              this.failMessage(key, assistantKey, e2.code, e2.message, e2.retryAfter);
              break;
            }
            this.networkFailure(key, assistantKey, false);
            return;
          }
        }
        if (err.kind === 'network') {
          this.networkFailure(key, assistantKey, err.started);
          return;
        }
        this.failMessage(key, assistantKey, err.code, err.message, err.retryAfter);
        break;
      }
    }
    this.pumping = false;
    this.set({ busy: false, typing: false });
    void this.pump();
  }

  private networkFailure(key: string, assistantKey: string | null, started: boolean) {
    this.pumping = false;
    if (started) {
      // The server has the message: don't send it twice. Its answer will be in the history.
      this.outbox.remove(key);
      this.updateMessage(key, { status: 'done' });
      if (assistantKey) this.updateMessage(assistantKey, { status: 'interrupted', tool: null });
      this.needReload = true;
    } else {
      this.updateMessage(key, { status: 'queued' });
      if (assistantKey) this.set({ messages: this.state.messages.filter((m) => m.key !== assistantKey) });
    }
    this.set({ busy: false, typing: false });
    this.offline(() => this.resume());
  }

  private failMessage(key: string, assistantKey: string | null, code: string, message: string, retryAfter: number | null) {
    const text = this.errorText(code, message, retryAfter);
    this.outbox.fail(key, code, message);
    let messages = this.state.messages;
    const a = assistantKey && messages.find((m) => m.key === assistantKey);
    if (a && !a.content) messages = messages.filter((m) => m.key !== assistantKey);
    else if (a) messages = messages.map((m) => (m.key === assistantKey ? { ...m, status: 'interrupted' as const } : m));
    this.set({ messages });
    // A message the server accepted (it started answering) is not sent again.
    if (a && a.content) this.outbox.remove(key);
    else this.updateMessage(key, { status: 'failed', error: text });
    this.showError(code, message, retryAfter);
  }

  private showError(code: string, message: string, retryAfter: number | null) {
    const text = this.errorText(code, message, retryAfter);
    this.set({ notice: { kind: 'error', text }, announce: text });
    this.hostEvent('error', { code, message: text, retry_after: retryAfter });
  }

  /** Words for the visitor. */
  errorText(code: string, message: string, retryAfter: number | null): string {
    if (code === 'rate_limited' || code === 'too_many_requests' || code === 'http_429')
      return this.t('rateLimited', { t: duration(this.t, retryAfter ?? 20) });
    if (code === 'message_too_long') return this.t('tooLong', { n: '>' + this.maxChars, max: this.maxChars });
    return message || this.t('errorGeneric');
  }

  private botName() {
    const b = this.state.bot;
    return (b && ((b.appearance && b.appearance.title) || b.name)) || this.t('assistant');
  }

  // ---------------------------------------------------------------- actions

  setOpen(open: boolean) {
    this.set({ open, unread: open ? 0 : this.state.unread });
    if (open) this.toHost({ type: 'unread', count: 0 });
  }

  requestClose() {
    this.toHost({ type: 'close' });
  }

  async identify(identity: Identity) {
    this.identity = identity;
    if (!this.sessionReady) return; // used when the session starts
    try {
      const before = this.state.conversationId;
      await this.getToken(true);
      if (this.state.conversationId !== before) await this.loadHistory();
    } catch (e) {
      if (e instanceof ApiError) this.showError(e.code, e.message, e.retryAfter);
    }
  }

  async newConversation() {
    if (this.state.busy) return;
    try {
      const res = await this.authed((tk) => this.d.api.newConversation(tk));
      const pending = this.state.messages.filter((m) => m.role === 'user' && (m.status === 'queued' || m.status === 'failed'));
      this.set({
        conversationId: res.conversation_id,
        messages: this.withGreeting(pending),
        lead: 'hidden',
        handoff: 'idle',
        notice: null,
      });
    } catch (e) {
      this.actionError(e);
    }
  }

  async feedback(key: string, rating: 1 | -1) {
    const msg = this.state.messages.find((m) => m.key === key);
    if (!msg || !msg.id || msg.feedback === rating) return;
    const before = msg.feedback;
    this.updateMessage(key, { feedback: rating });
    try {
      await this.authed((tk) => this.d.api.feedback(tk, msg.id!, rating));
      this.set({ announce: this.t('feedbackThanks') });
    } catch (e) {
      this.updateMessage(key, { feedback: before });
      this.actionError(e);
    }
  }

  async submitLead(form: { name: string; email: string; message?: string }) {
    const name = form.name.trim();
    const email = form.email.trim();
    if (!name || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      this.set({ leadError: this.t('leadInvalid') });
      return;
    }
    this.set({ lead: 'sending', leadError: null });
    try {
      const body: { name: string; email: string; message?: string } = { name, email };
      if (form.message && form.message.trim()) body.message = form.message.trim();
      await this.authed((tk) => this.d.api.lead(tk, body));
      this.set({ lead: 'sent' });
      this.system(this.t('leadThanks'));
    } catch (e) {
      this.set({ lead: 'open', leadError: this.describe(e) });
    }
  }

  dismissLead() {
    this.set({ lead: 'hidden', leadError: null });
  }

  async handoff() {
    if (this.state.handoff !== 'idle') return;
    this.set({ handoff: 'sending' });
    try {
      await this.authed((tk) => this.d.api.handoff(tk));
      this.set({ handoff: 'sent' });
      this.system(this.t('handoffSent'));
    } catch (e) {
      this.set({ handoff: 'idle' });
      this.actionError(e);
    }
  }

  dismissNotice() {
    this.set({ notice: null });
  }

  /** Reload the conversation from the server (after an interrupted answer). */
  async reload() {
    try {
      await this.loadHistory();
    } catch (e) {
      this.actionError(e);
    }
  }

  private system(text: string) {
    const msg: UiMessage = { key: `s-${this.uuid()}`, id: null, role: 'system', content: text, citations: [], feedback: null, status: 'done' };
    this.set({ messages: [...this.state.messages, msg], announce: text });
  }

  private describe(e: unknown): string {
    if (e instanceof ApiError) return this.errorText(e.code, e.message, e.retryAfter);
    return this.online() ? this.t('serverDown') : this.t('offline');
  }

  private actionError(e: unknown) {
    if (e instanceof ApiError) this.showError(e.code, e.message, e.retryAfter);
    else this.set({ notice: { kind: 'error', text: this.describe(e) } });
  }

  dispose() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.initTimer) clearTimeout(this.initTimer);
    this.d.transport.close();
    this.listeners.clear();
  }
}

function greet(text: string): UiMessage {
  return { key: 'greeting', id: null, role: 'assistant', content: text, citations: [], feedback: null, status: 'done', greeting: true };
}

function fromServer(m: ServerMessage): UiMessage {
  return {
    key: m.id,
    id: m.id,
    role: m.role === 'user' ? 'user' : 'assistant',
    content: String(m.content || ''),
    citations: Array.isArray(m.citations) ? m.citations : [],
    feedback: m.feedback === 1 || m.feedback === -1 ? m.feedback : null,
    status: 'done',
  };
}
