/**
 * Messages the visitor wrote that the server has not accepted yet. Persisted (per bot key), so a
 * message typed offline survives a reload and is sent, in order, when the connection is back.
 * An item that the server refused (rate limit, too long...) stays, marked failed, until the
 * visitor sends it again: nothing typed is ever dropped silently.
 */
import type { KV } from './storage';

export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: number;
  failed?: { code: string; message: string };
}

export class Outbox {
  private list: OutboxItem[];
  private readonly storageKey: string;

  constructor(
    private readonly kv: KV,
    botKey: string,
  ) {
    this.storageKey = `parley:outbox:${botKey}`;
    this.list = [];
    try {
      const saved = JSON.parse(kv.get(this.storageKey) || '[]');
      if (Array.isArray(saved))
        this.list = saved.filter((x) => x && typeof x.clientId === 'string' && typeof x.text === 'string');
    } catch {
      /* corrupt: start empty */
    }
  }

  private save() {
    if (this.list.length) this.kv.set(this.storageKey, JSON.stringify(this.list));
    else this.kv.remove(this.storageKey);
  }

  items(): OutboxItem[] {
    return this.list.slice();
  }

  add(clientId: string, text: string, now = Date.now()): OutboxItem {
    const item = { clientId, text, createdAt: now };
    this.list.push(item);
    this.save();
    return item;
  }

  /** The oldest item still to send. */
  next(): OutboxItem | undefined {
    return this.list.find((x) => !x.failed);
  }

  get(clientId: string): OutboxItem | undefined {
    return this.list.find((x) => x.clientId === clientId);
  }

  remove(clientId: string) {
    this.list = this.list.filter((x) => x.clientId !== clientId);
    this.save();
  }

  fail(clientId: string, code: string, message: string) {
    const item = this.get(clientId);
    if (item) {
      item.failed = { code, message };
      this.save();
    }
  }

  /** Queue a failed item again, after everything already waiting. */
  retry(clientId: string) {
    const item = this.get(clientId);
    if (!item) return;
    delete item.failed;
    this.list = this.list.filter((x) => x !== item).concat(item);
    this.save();
  }
}
