import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encode } from '../src/shared/protocol';
import { boot, replay } from '../src/loader/boot';
import { createWidget, type ParleyApi } from '../src/loader/widget';

const PARLEY = 'https://parley.example.com';
const BOT = {
  bot: {
    id: 'b1',
    name: 'Helper',
    appearance: { primary_color: '#4f46e5', theme: 'light', position: 'right', launcher_icon: 'help', title: 'Ask <Acme>', bubble_text: 'Hi <b>there</b>' },
  },
};

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function shadow(): ShadowRoot | null {
  const host = document.querySelector('parley-widget');
  return host ? host.shadowRoot : null;
}

function frame(): HTMLIFrameElement | null {
  const s = shadow();
  return s ? s.querySelector('iframe') : null;
}

/** A message as if posted by the iframe (or by someone pretending to be it). */
function fromFrame(data: unknown, origin = PARLEY, source: unknown = frame()!.contentWindow) {
  const e = new Event('message');
  Object.defineProperties(e, { data: { value: data }, origin: { value: origin }, source: { value: source } });
  window.dispatchEvent(e);
}

// jsdom gives no browsing context to iframes inside a shadow root (browsers do): fake one window per iframe.
const fakeWindows = new WeakMap<HTMLIFrameElement, { postMessage: (...a: unknown[]) => void }>();
const realContentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')!;
beforeEach(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get(this: HTMLIFrameElement) {
      if (!this.isConnected) return null;
      if (!fakeWindows.has(this)) fakeWindows.set(this, { postMessage: () => {} });
      return fakeWindows.get(this);
    },
  });
});
afterEach(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', realContentWindow);
});

let api: ParleyApi | null = null;
let log: ReturnType<typeof vi.fn>;

async function mount(opts: Partial<Parameters<typeof createWidget>[0]> = {}, response = jsonResponse(200, BOT)) {
  log = vi.fn();
  const fetch = vi.fn(async () => response);
  api = createWidget({ key: 'pk_test', origin: PARLEY, fetch: fetch as unknown as typeof globalThis.fetch, log, ...opts });
  await flush();
  await flush();
  return fetch;
}

beforeEach(() => {
  document.body.innerHTML = '';
  sessionStorage.clear();
});
afterEach(() => {
  api?.destroy();
  api = null;
  delete (window as { Parley?: unknown }).Parley;
});

describe('loader', () => {
  it('fetches the config from the Parley origin and renders a launcher in a shadow root', async () => {
    const fetch = await mount();
    expect(fetch).toHaveBeenCalledWith(`${PARLEY}/api/v1/widget/config?key=pk_test`, { credentials: 'omit' });
    const s = shadow()!;
    const launcher = s.querySelector('button.b')!;
    expect(launcher.getAttribute('aria-label')).toBe('Open chat');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    // Config text is text, never markup.
    expect(s.querySelector('.p')!.getAttribute('aria-label')).toBe('Ask <Acme>');
    expect(s.querySelector('.t .m')!.textContent).toBe('Hi <b>there</b>');
    expect(s.querySelector('b')).toBeNull();
    // The page's own styles can't target the inside; the host element resets inherited styles.
    expect(document.querySelector('parley-widget')!.getAttribute('style')).toContain('all:initial!important');
    expect(frame()).toBeNull(); // the iframe waits for the first open
    expect(log).not.toHaveBeenCalled();
  });

  it('opens an iframe on the Parley origin with the key and the page origin', async () => {
    await mount();
    const onOpen = vi.fn();
    api!.on('open', onOpen);
    api!.open();
    const f = frame()!;
    const url = new URL(f.src);
    expect(url.origin).toBe(PARLEY);
    expect(url.pathname).toBe('/widget/frame.html');
    expect(url.searchParams.get('key')).toBe('pk_test');
    expect(url.searchParams.get('host')).toBe(window.location.origin);
    expect(f.getAttribute('sandbox')).not.toContain('allow-top-navigation');
    expect(shadow()!.querySelector('.r')!.classList.contains('o')).toBe(true);
    expect(shadow()!.querySelector('.b')!.getAttribute('aria-expanded')).toBe('true');
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('toggle and close fire events and keep state', async () => {
    await mount();
    const events: string[] = [];
    api!.on('open', () => events.push('open'));
    api!.on('close', () => events.push('close'));
    api!.toggle();
    api!.toggle();
    api!.close(); // already closed: no event
    api!.open();
    expect(events).toEqual(['open', 'close', 'open']);
  });

  it('talks to the iframe only after "ready", at the Parley origin, never "*"', async () => {
    await mount();
    api!.identify({ id: 'u1', name: 'Ada', email: 'ada@example.com' });
    api!.open();
    const win = frame()!.contentWindow!;
    const post = vi.spyOn(win, 'postMessage').mockImplementation(() => {});
    api!.close();
    api!.open();
    expect(post).not.toHaveBeenCalled();
    fromFrame(encode({ type: 'ready' }));
    expect(post).toHaveBeenCalledWith(
      encode({ type: 'init', open: true, identity: { id: 'u1', name: 'Ada', email: 'ada@example.com' } }),
      PARLEY,
    );
    api!.close();
    expect(post).toHaveBeenLastCalledWith(encode({ type: 'close' }), PARLEY);
    for (const call of post.mock.calls) expect(call[1]).toBe(PARLEY);
  });

  it('ignores messages from a forged origin or another window', async () => {
    await mount();
    const onMessage = vi.fn();
    api!.on('message', onMessage);
    api!.open();
    const evil = encode({ type: 'event', name: 'message', data: { text: 'forged' } });
    fromFrame(evil, 'https://evil.example'); // wrong origin
    fromFrame(evil, PARLEY, window); // right origin, wrong window
    fromFrame(evil, PARLEY, { postMessage() {} }); // right origin, another frame
    fromFrame({ type: 'close' }); // no namespace
    fromFrame(encode({ type: 'close' }), 'https://evil.example');
    expect(onMessage).not.toHaveBeenCalled();
    expect(shadow()!.querySelector('.r')!.classList.contains('o')).toBe(true);

    fromFrame(evil); // the real frame
    expect(onMessage).toHaveBeenCalledWith({ text: 'forged' });
  });

  it('handles close, unread and event messages from the frame', async () => {
    await mount();
    api!.open();
    const errors = vi.fn();
    api!.on('error', errors);
    api!.on('error', () => {
      throw new Error('host bug'); // must not break the widget or reach the page
    });
    fromFrame(encode({ type: 'close' }));
    const s = shadow()!;
    expect(s.querySelector('.r')!.classList.contains('o')).toBe(false);
    fromFrame(encode({ type: 'unread', count: 2 }));
    expect(s.querySelector('.n')!.textContent).toBe('2');
    expect((s.querySelector('.n') as HTMLElement).hidden).toBe(false);
    expect(s.querySelector('.b')!.getAttribute('aria-label')).toBe('Open chat (2 unread messages)');
    fromFrame(encode({ type: 'event', name: 'error', data: { code: 'rate_limited' } }));
    expect(errors).toHaveBeenCalledWith({ code: 'rate_limited' });
    api!.open();
    expect((s.querySelector('.n') as HTMLElement).hidden).toBe(true);
  });

  it('closes on Escape and gives focus back to the launcher', async () => {
    await mount();
    const launcher = shadow()!.querySelector('.b') as HTMLButtonElement;
    launcher.click();
    expect(shadow()!.querySelector('.r')!.classList.contains('o')).toBe(true);
    fromFrame(encode({ type: 'close' })); // the frame sends "close" on Escape
    expect(shadow()!.activeElement).toBe(launcher);
    launcher.click();
    launcher.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(shadow()!.querySelector('.r')!.classList.contains('o')).toBe(false);
  });

  it('honours data-position and data-open', async () => {
    await mount({ position: 'left', open: true });
    expect(shadow()!.querySelector('.r')!.classList.contains('l')).toBe(true);
    expect(frame()).not.toBeNull();
  });

  it('says one clear thing and shows nothing for an unknown key', async () => {
    await mount({}, jsonResponse(404, { error: { code: 'bot_not_found', message: 'x' } }));
    expect(shadow()).toBeNull();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^\[Parley\].*pk_test.*unknown or the bot is disabled/);
    api!.open(); // still a safe no-op
    expect(shadow()).toBeNull();
  });

  it('says one clear thing for a page origin the bot does not allow', async () => {
    const errors = vi.fn();
    log = vi.fn();
    api = createWidget({
      key: 'pk_test',
      origin: PARLEY,
      log,
      fetch: (async () => jsonResponse(403, { error: { code: 'origin_not_allowed', message: 'x' } })) as typeof fetch,
    });
    api.on('error', errors);
    await flush();
    await flush();
    expect(shadow()).toBeNull();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toContain('not an allowed origin');
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'origin_not_allowed' }));
  });

  it('says one clear thing when the key is missing', async () => {
    await mount({ key: '' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toContain('data-bot');
  });

  it('retries quietly when the server is down', async () => {
    vi.useFakeTimers();
    try {
      log = vi.fn();
      const fetch = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValue(jsonResponse(200, BOT));
      api = createWidget({ key: 'pk_test', origin: PARLEY, fetch, log });
      await vi.advanceTimersByTimeAsync(10);
      expect(shadow()).toBeNull();
      await vi.advanceTimersByTimeAsync(2500);
      expect(fetch).toHaveBeenCalledTimes(2);
      expect(shadow()).not.toBeNull();
      expect(log).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a bad identity with an error event instead of throwing', async () => {
    await mount();
    const errors = vi.fn();
    api!.on('error', errors);
    expect(() => api!.identify({ name: 'no id' } as never)).not.toThrow();
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_identity' }));
  });

  it('destroy removes everything and later calls are no-ops', async () => {
    await mount();
    api!.open();
    api!.destroy();
    expect(document.querySelector('parley-widget')).toBeNull();
    expect(() => {
      api!.open();
      api!.toggle();
      api!.identify({ id: 'x' });
      api!.destroy();
    }).not.toThrow();
    expect(document.querySelector('parley-widget')).toBeNull();
  });
});

describe('boot and the pre-load queue', () => {
  function script(attrs: Record<string, string>) {
    const s = document.createElement('script');
    for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
    document.head.appendChild(s);
    return s;
  }

  it('replays calls queued by the documented stub, in order', async () => {
    const w = window as unknown as { Parley: Record<string, unknown> & { q: unknown[] } };
    // The snippet from the README.
    w.Parley = { q: [] } as never;
    for (const m of ['open', 'close', 'toggle', 'identify', 'on', 'destroy'])
      w.Parley[m] = (...args: unknown[]) => w.Parley.q.push([m, args]);
    const seen: string[] = [];
    (w.Parley.on as (e: string, f: () => void) => void)('open', () => seen.push('open'));
    (w.Parley.identify as (i: unknown) => void)({ id: 'u9' });
    (w.Parley.open as () => void)();

    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, BOT)));
    const tag = script({ src: `${PARLEY}/widget.js`, 'data-bot': 'pk_live', 'data-lang': 'fr' });
    api = boot(window, tag);
    expect(w.Parley).toBe(api);
    await flush();
    await flush();
    expect(globalThis.fetch).toHaveBeenCalledWith(`${PARLEY}/api/v1/widget/config?key=pk_live`, { credentials: 'omit' });
    expect(seen).toEqual(['open']);
    expect(frame()).not.toBeNull();
    expect(shadow()!.querySelector('.b')!.getAttribute('aria-label')).toBe('Fermer le chat');
    // Loading the script twice keeps the first instance.
    expect(boot(window, tag)).toBe(api);
    vi.unstubAllGlobals();
  });

  it('skips bad queue entries without throwing', () => {
    const calls: unknown[] = [];
    const fake = { open: (...a: unknown[]) => calls.push(['open', a]), identify: () => { throw new Error('x'); } } as unknown as ParleyApi;
    expect(() => replay(fake, [null, 'open', ['nope'], ['identify', [{}]], ['open', []], ['open', 1, 2]])).not.toThrow();
    expect(calls).toEqual([['open', []], ['open', [1, 2]]]);
    expect(() => replay(fake, 'not a queue')).not.toThrow();
  });

  it('uses data-origin when the script itself is on a CDN', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, BOT)));
    const tag = script({ src: 'https://cdn.example.net/parley/widget.js', 'data-bot': 'pk', 'data-origin': PARLEY });
    api = boot(window, tag);
    await flush();
    expect(globalThis.fetch).toHaveBeenCalledWith(`${PARLEY}/api/v1/widget/config?key=pk`, { credentials: 'omit' });
    vi.unstubAllGlobals();
  });
});
