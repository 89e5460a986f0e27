/** HTTP calls to /api/v1/widget/*. Errors become ApiError (the server answered) or NetworkError. */
import type { Identity } from '../shared/protocol';

export interface Citation {
  source?: string;
  title?: string;
  location?: string;
  snippet?: string;
  url?: string | null;
}

export interface Appearance {
  primary_color: string;
  theme: 'light' | 'dark' | 'auto';
  position: 'right' | 'left';
  launcher_icon: string;
  avatar_url: string | null;
  title: string;
  bubble_text: string;
}

export interface Bot {
  id: string;
  name: string;
  language?: string;
  greeting?: string;
  suggested_questions?: string[];
  handoff_enabled?: boolean;
  lead_capture_enabled?: boolean;
  max_message_chars?: number;
  appearance?: Partial<Appearance>;
}

export interface SessionOut {
  token: string;
  expires_in: number;
  visitor_id: string;
  conversation_id: string | null;
}

export interface ServerMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  citations?: Citation[];
  created_at?: string;
  feedback?: 1 | -1 | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export class NetworkError extends Error {}

export function retryAfterOf(res: Response): number | null {
  const v = res.headers.get('Retry-After');
  if (!v) return null;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, Math.round((date - Date.now()) / 1000)) : null;
}

/** An ApiError from a non-2xx response with the `{"error": {"code", "message"}}` body. */
export async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = '';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = String(body.error.code || code);
      message = String(body.error.message || '');
    }
  } catch {
    /* not JSON */
  }
  if (res.status === 429 && code.startsWith('http_')) code = 'rate_limited';
  return new ApiError(res.status, code, message, retryAfterOf(res));
}

export class Api {
  constructor(
    readonly base: string,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch (e) {
      throw new NetworkError(String(e));
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** `host` lets the server check the embedding page against the bot's allowed origins. */
  config(key: string, host: string) {
    return this.call<{ bot: Bot }>('GET', `/config?key=${encodeURIComponent(key)}&host=${encodeURIComponent(host)}`);
  }

  session(body: { key: string; visitor_id?: string; identity?: Identity }) {
    return this.call<SessionOut>('POST', '/session', body);
  }

  conversation(token: string) {
    return this.call<{ conversation_id: string | null; messages: ServerMessage[] }>('GET', '/conversation', undefined, token);
  }

  newConversation(token: string) {
    return this.call<{ conversation_id: string }>('POST', '/conversation', {}, token);
  }

  feedback(token: string, messageId: string, rating: 1 | -1, comment?: string) {
    return this.call<void>('POST', `/messages/${encodeURIComponent(messageId)}/feedback`, comment ? { rating, comment } : { rating }, token);
  }

  lead(token: string, body: { name: string; email: string; message?: string }) {
    return this.call<unknown>('POST', '/leads', body, token);
  }

  handoff(token: string, reason?: string) {
    return this.call<unknown>('POST', '/handoff', reason ? { reason } : {}, token);
  }
}
