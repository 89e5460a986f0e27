/**
 * The chat app's behaviour, independent of the UI (tested without a DOM): start-up, connectivity
 * and the visitor's actions. Components read `state` and call methods; `subscribe` tells them when
 * to re-render. The session (session.ts), sending (delivery.ts) and the UI state (thread.ts) are
 * their own modules.
 */
import { ApiError, type Api, type Bot } from './api';
import type { FrameToHost, Identity } from '../shared/protocol';
import { Delivery } from './delivery';
import { duration, translator, type Translate } from './i18n';
import { Outbox, type OutboxItem } from './outbox';
import { VisitorSession } from './session';
import { uuid as makeUuid, type KV } from './storage';
import { ChatStore, DEFAULT_MAX_CHARS, charCount, fromServer, systemMessage, userMessage, type UiMessage } from './thread';
import type { Transport } from './transport';

const BACKOFF = [2, 4, 8, 15, 30];
const INIT_TIMEOUT_MS = 3000;

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

export class ChatController extends ChatStore {
  t: Translate;
  readonly outbox: Outbox;
  private readonly session: VisitorSession;
  private readonly delivery: Delivery;
  private sessionReady = false;
  private starting = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingRetry: (() => unknown) | null = null;
  private initTimer: ReturnType<typeof setTimeout> | null = null;
  private inited = false;
  private readonly uuid: () => string;
  private readonly now: () => number;
  private readonly online: () => boolean;

  constructor(private readonly d: ControllerDeps) {
    super();
    this.t = translator(d.lang);
    this.outbox = new Outbox(d.kv, d.key);
    this.uuid = d.uuid || makeUuid;
    this.now = d.now || Date.now;
    this.online = d.online || (() => typeof navigator === 'undefined' || navigator.onLine !== false);
    this.session = new VisitorSession({
      key: d.key,
      api: d.api,
      kv: d.kv,
      now: this.now,
      onStarted: (s) => {
        if (s.conversation_id !== undefined && s.conversation_id !== this.state.conversationId && !this.state.busy)
          this.set({ conversationId: s.conversation_id });
      },
    });
    this.delivery = new Delivery({
      store: this,
      outbox: this.outbox,
      transport: d.transport,
      session: this.session,
      canSend: () => this.sessionReady && this.state.net === 'ok',
      toHost: (msg) => this.toHost(msg),
      botName: () => this.botName(this.t('assistant')),
      errorText: (code, message, retryAfter) => this.errorText(code, message, retryAfter),
      showError: (code, message, retryAfter) => this.showError(code, message, retryAfter),
      delivered: () => (this.attempt = 0),
      lost: () => this.offline(() => this.resume()),
    });
  }

  /** Inside a host page's iframe (not opened on its own). */
  get embedded(): boolean {
    return !!this.d.post;
  }

  get maxChars(): number {
    const n = this.state.bot && this.state.bot.max_message_chars;
    return typeof n === 'number' && n > 0 ? n : DEFAULT_MAX_CHARS;
  }

  private toHost(msg: FrameToHost) {
    if (this.d.post) this.d.post(msg);
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
    this.session.identity = identity;
    this.setOpen(open);
    void this.connect();
  }

  /** Create the visitor session and load the conversation. */
  private async connect(): Promise<void> {
    if (this.starting || !this.state.bot) return;
    this.starting = true;
    try {
      await this.session.refresh();
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
    void this.delivery.pump();
  }

  private async loadHistory() {
    const conv = await this.session.authed((tk) => this.d.api.conversation(tk));
    const history = (conv.messages || []).map(fromServer);
    const queued = this.outbox.items().map((it) => this.queuedMessage(it));
    this.delivery.needReload = false;
    this.set({ conversationId: conv.conversation_id, messages: this.withGreeting([...history, ...queued]) });
  }

  private queuedMessage(it: OutboxItem): UiMessage {
    return userMessage(it.clientId, it.text, it.failed ? this.errorText(it.failed.code, it.failed.message, null) : undefined);
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

  /** The banner's Retry button, the browser's "online" event and the backoff timer all land here. */
  retryNow() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const again = this.pendingRetry;
    this.pendingRetry = null;
    if (this.state.net !== 'ok') this.set({ net: 'ok', retryAt: null });
    if (again) void again();
    else void this.delivery.pump();
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
    if (this.delivery.needReload) {
      try {
        await this.loadHistory();
      } catch (e) {
        if (!(e instanceof ApiError)) return this.offline(() => this.resume());
      }
    }
    return this.delivery.pump();
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
    this.delivery.queue(this.uuid(), text, this.now());
    return true;
  }

  /** Send a failed message again. */
  resend(key: string) {
    this.delivery.resend(key, this.now());
  }

  private showError(code: string, message: string, retryAfter: number | null) {
    const text = this.errorText(code, message, retryAfter);
    this.set({ notice: { kind: 'error', text }, announce: text });
    this.toHost({ type: 'event', name: 'error', data: { code, message: text, retry_after: retryAfter } });
  }

  /** Words for the visitor. */
  errorText(code: string, message: string, retryAfter: number | null): string {
    if (code === 'rate_limited' || code === 'too_many_requests' || code === 'http_429')
      return this.t('rateLimited', { t: duration(this.t, retryAfter ?? 20) });
    if (code === 'message_too_long') return this.t('tooLong', { n: '>' + this.maxChars, max: this.maxChars });
    return message || this.t('errorGeneric');
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
    this.session.identity = identity;
    if (!this.sessionReady) return; // used when the session starts
    try {
      const before = this.state.conversationId;
      await this.session.getToken(true);
      if (this.state.conversationId !== before) await this.loadHistory();
    } catch (e) {
      if (e instanceof ApiError) this.showError(e.code, e.message, e.retryAfter);
    }
  }

  async newConversation() {
    if (this.state.busy) return;
    try {
      const res = await this.session.authed((tk) => this.d.api.newConversation(tk));
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
      await this.session.authed((tk) => this.d.api.feedback(tk, msg.id!, rating));
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
      await this.session.authed((tk) => this.d.api.lead(tk, body));
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
      await this.session.authed((tk) => this.d.api.handoff(tk));
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
    this.set({ messages: [...this.state.messages, systemMessage(`s-${this.uuid()}`, text)], announce: text });
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
    this.unsubscribeAll();
  }
}
