/**
 * The chat app's UI state: what the components render, kept in one immutable `state` object.
 * `set` replaces it and tells subscribers to re-render. Also the thread's message shapes.
 */
import type { Bot, Citation, ServerMessage } from './api';

export const DEFAULT_MAX_CHARS = 4000;

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

export class ChatStore {
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
  private listeners = new Set<() => void>();

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((fn) => fn());
  }

  updateMessage(key: string, patch: Partial<UiMessage>) {
    this.set({ messages: this.state.messages.map((m) => (m.key === key ? { ...m, ...patch } : m)) });
  }

  /** The bot's greeting (local, never stored) first, then the conversation. */
  withGreeting(list: UiMessage[]): UiMessage[] {
    const real = list.filter((m) => !m.greeting);
    const greeting = this.state.bot && this.state.bot.greeting;
    return greeting ? [greet(greeting), ...real] : real;
  }

  /** The name answers are announced under. */
  botName(fallback: string): string {
    const b = this.state.bot;
    return (b && ((b.appearance && b.appearance.title) || b.name)) || fallback;
  }

  protected unsubscribeAll() {
    this.listeners.clear();
  }
}

/** A visitor's message not yet accepted by the server: waiting to be sent, or refused (with why). */
export function userMessage(clientId: string, text: string, failedWith?: string): UiMessage {
  const msg: UiMessage = { key: clientId, clientId, id: null, role: 'user', content: text, citations: [], feedback: null, status: 'queued' };
  return failedWith === undefined ? msg : { ...msg, status: 'failed', error: failedWith };
}

export function systemMessage(key: string, text: string): UiMessage {
  return { key, id: null, role: 'system', content: text, citations: [], feedback: null, status: 'done' };
}

function greet(text: string): UiMessage {
  return { key: 'greeting', id: null, role: 'assistant', content: text, citations: [], feedback: null, status: 'done', greeting: true };
}

export function fromServer(m: ServerMessage): UiMessage {
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
