/** localStorage that never throws: storage can be blocked in third-party iframes; then we use memory. */
export interface KV {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryKV(): KV {
  const m = new Map<string, string>();
  return { get: (k) => (m.has(k) ? m.get(k)! : null), set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
}

export function browserKV(): KV {
  const mem = memoryKV();
  let ls: Storage | null = null;
  try {
    ls = window.localStorage;
    ls.setItem('parley:probe', '1');
    ls.removeItem('parley:probe');
  } catch {
    ls = null;
  }
  if (!ls) return mem;
  const store = ls;
  return {
    get(k) {
      try {
        return store.getItem(k);
      } catch {
        return mem.get(k);
      }
    },
    set(k, v) {
      try {
        store.setItem(k, v);
      } catch {
        mem.set(k, v);
      }
    },
    remove(k) {
      try {
        store.removeItem(k);
      } catch {
        mem.remove(k);
      }
    },
  };
}

export function uuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
