/**
 * The visitor's session: a visitor id kept in localStorage (per bot key) and a short-lived token,
 * refreshed 30 s before it expires and on any 401.
 */
import { ApiError, type Api, type SessionOut } from './api';
import type { Identity } from '../shared/protocol';
import type { KV } from './storage';

const REFRESH_BEFORE_MS = 30_000;

export interface SessionDeps {
  key: string;
  api: Api;
  kv: KV;
  now: () => number;
  /** Each new session (first start, refresh, identify) with the conversation the server has for it. */
  onStarted: (s: SessionOut) => void;
}

export class VisitorSession {
  /** Sent with the next session request (from the loader's init or identify). */
  identity: Identity | null = null;
  private token: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<string> | null = null;
  private visitorId: string | null;

  constructor(private readonly d: SessionDeps) {
    this.visitorId = d.kv.get(this.visitorKey);
  }

  private get visitorKey() {
    return `parley:visitor:${this.d.key}`;
  }

  async refresh(): Promise<string> {
    const body: { key: string; visitor_id?: string; identity?: Identity } = { key: this.d.key };
    if (this.visitorId) body.visitor_id = this.visitorId;
    if (this.identity) body.identity = this.identity;
    const s = await this.d.api.session(body);
    this.token = s.token;
    this.expiresAt = this.d.now() + Math.max(10, s.expires_in || 0) * 1000;
    if (s.visitor_id && s.visitor_id !== this.visitorId) {
      this.visitorId = s.visitor_id;
      this.d.kv.set(this.visitorKey, s.visitor_id);
    }
    this.d.onStarted(s);
    return s.token;
  }

  /** A token valid for at least 30 more seconds (refreshing the session if needed). */
  getToken = (force = false): Promise<string> => {
    if (!force && this.token && this.expiresAt - this.d.now() > REFRESH_BEFORE_MS) return Promise.resolve(this.token);
    if (!this.refreshing) this.refreshing = this.refresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  };

  /** Call with a token; on 401 refresh the session once and retry. */
  async authed<T>(fn: (token: string) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.getToken());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return fn(await this.getToken(true));
      throw e;
    }
  }
}
