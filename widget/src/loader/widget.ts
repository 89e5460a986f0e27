/**
 * The loader: a launcher button in a shadow root, and the chat iframe served from the Parley origin.
 * No framework; everything here must stay small (the built widget.js targets ≤ 5 KB gzipped).
 *
 * It never throws into the host page. The only console output is one error when the widget can't
 * run at all (missing or unknown key, bot disabled, origin not allowed).
 */
import { encode, parseFrameToHost, receive, toIdentity, type HostToFrame, type Identity } from '../shared/protocol';
import { safeColor, textOn } from '../shared/color';
import { browserLanguages, pickLang } from '../shared/lang';
import { LOADER_LANGS, LOADER_STRINGS } from './strings';
import { svg } from './icons';
import { CSS, HOST_STYLE } from './styles';

export type WidgetEvent = 'message' | 'open' | 'close' | 'error';
type Listener = (data?: unknown) => void;

export interface ParleyApi {
  open(): void;
  close(): void;
  toggle(): void;
  identify(identity: Identity): void;
  on(event: WidgetEvent, fn: Listener): () => void;
  off(event: WidgetEvent, fn: Listener): void;
  destroy(): void;
  readonly version: string;
}

export interface WidgetOptions {
  key: string;
  /** Origin of the Parley server (API and iframe). */
  origin: string;
  position?: string | null;
  open?: boolean;
  lang?: string | null;
  /** Load the iframe as soon as the browser is idle instead of on first open. */
  preload?: boolean;
  win?: Window;
  fetch?: typeof fetch;
  /** Where the one fatal message goes (console.error by default). */
  log?: (message: string) => void;
}

interface Appearance {
  primary_color?: string;
  theme?: string;
  position?: string;
  launcher_icon?: string;
  title?: string;
  bubble_text?: string;
}

export const VERSION = '0.1.0';
const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const CONFIG_RETRIES = [2000, 5000, 15000];

export function createWidget(opts: WidgetOptions): ParleyApi {
  const win = opts.win || window;
  const doc = win.document;
  const doFetch = opts.fetch || win.fetch.bind(win);
  const log = opts.log || ((m: string) => console.error(m));
  const origin = opts.origin;
  const lang = pickLang(LOADER_LANGS, opts.lang, browserLanguages(win.navigator));
  const S = LOADER_STRINGS[lang];
  const listeners: Record<string, Listener[]> = {};
  const timers: ReturnType<typeof setTimeout>[] = [];

  let destroyed = false;
  let isOpen = false;
  let wantOpen = !!opts.open;
  let identity: Identity | null = null;
  let ready = false;
  let unread = 0;
  let host: HTMLElement | null = null;
  let root: HTMLElement;
  let launcher: HTMLButtonElement;
  let badge: HTMLElement;
  let panel: HTMLElement;
  let bubble: HTMLElement | null = null;
  let iframe: HTMLIFrameElement | null = null;
  let title = '';

  const emit = (event: string, data?: unknown) => {
    for (const fn of (listeners[event] || []).slice()) {
      try {
        fn(data);
      } catch {
        /* a host listener's bug must not break the widget */
      }
    }
  };

  // Before the frame says "ready" nothing is posted: its reply to "ready" is an "init" that carries
  // the current open state and identity. (Posting earlier would also make the browser log an error.)
  const post = (msg: HostToFrame) => {
    if (!ready || !iframe || !iframe.contentWindow) return;
    try {
      iframe.contentWindow.postMessage(encode(msg), origin);
    } catch {
      /* frame gone */
    }
  };

  const onMessage = (event: MessageEvent) => {
    const msg = receive(event, origin, iframe && iframe.contentWindow, parseFrameToHost);
    if (!msg) return;
    switch (msg.type) {
      case 'ready': {
        ready = true;
        post({ type: 'init', open: isOpen, identity });
        break;
      }
      case 'close':
        close(true);
        break;
      case 'unread':
        setUnread(isOpen ? 0 : msg.count);
        break;
      case 'resize':
        panel.style.setProperty('--ph', Math.max(240, Math.round(msg.height)) + 'px');
        break;
      case 'event':
        emit(msg.name, msg.data);
        break;
    }
  };

  const setUnread = (n: number) => {
    unread = n;
    if (!host) return;
    badge.hidden = n <= 0;
    badge.textContent = n > 9 ? '9+' : String(n);
    launcher.setAttribute('aria-label', isOpen ? S.close : n > 0 ? `${S.open} (${n} ${S.unread})` : S.open);
  };

  const ensureFrame = () => {
    if (iframe || !host) return;
    const params = new URLSearchParams({ key: opts.key, host: win.location.origin, lang });
    iframe = doc.createElement('iframe');
    iframe.src = `${origin}/widget/frame.html?${params}`;
    iframe.title = title ? `${title} – ${S.frame}` : S.frame;
    iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.setAttribute('referrerpolicy', 'strict-origin');
    panel.appendChild(iframe);
  };

  const open = () => {
    if (destroyed) return;
    if (!host) {
      wantOpen = true;
      return;
    }
    if (isOpen) return;
    isOpen = true;
    ensureFrame();
    root.classList.add('o');
    launcher.setAttribute('aria-expanded', 'true');
    setUnread(0);
    if (bubble) bubble.hidden = true;
    post({ type: 'open' });
    try {
      iframe!.focus();
    } catch {
      /* ignore */
    }
    emit('open');
  };

  const close = (restoreFocus = false) => {
    if (destroyed) return;
    wantOpen = false;
    if (!host || !isOpen) return;
    const hadFocus = doc.activeElement === host;
    isOpen = false;
    root.classList.remove('o');
    launcher.setAttribute('aria-expanded', 'false');
    setUnread(unread);
    post({ type: 'close' });
    if (restoreFocus || hadFocus) launcher.focus();
    emit('close');
  };

  const render = (bot: { name?: string; appearance?: Appearance }) => {
    const a = bot.appearance || {};
    const primary = safeColor(a.primary_color);
    const position = opts.position === 'left' || opts.position === 'right' ? opts.position : a.position;
    const theme = a.theme === 'dark' ? 'd' : a.theme === 'light' ? '' : 'a';
    title = a.title || bot.name || '';

    host = doc.createElement('parley-widget');
    host.setAttribute('style', HOST_STYLE);
    const shadow = host.attachShadow({ mode: 'open' });
    // Static markup; the only config text in it (the title) is escaped, the bubble text is set as text.
    shadow.innerHTML =
      `<style>:host{--p:${primary};--pt:${textOn(primary)}}${CSS}</style>` +
      `<div class="r${position === 'left' ? ' l' : ''}${theme ? ' ' + theme : ''}" part="root">` +
      `<div class="p" id="parley-panel" role="dialog" aria-label="${esc(title || S.frame)}"></div>` +
      (a.bubble_text && !seenBubble()
        ? `<div class="t"><button type="button" class="m"></button><button type="button" class="c" aria-label="${esc(S.dismiss)}">×</button></div>`
        : '') +
      `<button type="button" class="b" aria-haspopup="dialog" aria-controls="parley-panel" aria-expanded="false">` +
      `<span class="i">${svg(a.launcher_icon || 'chat')}</span><span class="x">${svg('close')}</span><span class="n" hidden></span></button></div>`;
    const $ = <T extends HTMLElement>(sel: string) => shadow.querySelector(sel) as T;
    root = $('.r');
    panel = $('.p');
    launcher = $('.b');
    badge = $('.n');
    bubble = $('.t');
    launcher.addEventListener('click', () => (isOpen ? close(true) : open()));
    // Warm the iframe up as soon as the visitor shows intent.
    launcher.addEventListener('pointerenter', ensureFrame);
    launcher.addEventListener('focus', ensureFrame);
    if (bubble) {
      // A teaser next to the launcher: its text opens the chat, its × hides it for this session.
      const text = $('.m');
      text.textContent = a.bubble_text!; // text only, never HTML
      text.addEventListener('click', open);
      $('.c').addEventListener('click', () => {
        bubble!.hidden = true;
        rememberBubble();
      });
    }
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && isOpen) close(true);
    });
    doc.body.appendChild(host);
    setUnread(0);
    win.addEventListener('message', onMessage);

    if (wantOpen) open();
    else if (opts.preload) {
      const idle = (win as Window & { requestIdleCallback?: (cb: () => void) => number }).requestIdleCallback;
      if (idle) idle.call(win, ensureFrame);
      else timers.push(setTimeout(ensureFrame, 1500));
    }
  };

  const bubbleKey = 'parley:bubble:' + opts.key;
  const seenBubble = () => {
    try {
      return win.sessionStorage.getItem(bubbleKey) === '1';
    } catch {
      return false;
    }
  };
  const rememberBubble = () => {
    try {
      win.sessionStorage.setItem(bubbleKey, '1');
    } catch {
      /* storage blocked */
    }
  };

  const loadConfig = (attempt: number) => {
    if (destroyed) return;
    const retry = () => {
      if (attempt < CONFIG_RETRIES.length) timers.push(setTimeout(() => loadConfig(attempt + 1), CONFIG_RETRIES[attempt]));
    };
    doFetch(`${origin}/api/v1/widget/config?key=${encodeURIComponent(opts.key)}`, { credentials: 'omit' })
      .then((res) =>
        res.json().then(
          (body) => ({ res, body }),
          () => ({ res, body: null }),
        ),
      )
      .then(({ res, body }) => {
        if (destroyed) return;
        if (res.ok && body && body.bot) {
          if (!doc.body) doc.addEventListener('DOMContentLoaded', () => destroyed || render(body.bot));
          else render(body.bot);
        } else if (res.status === 404 || res.status === 403) {
          const code = body && body.error && body.error.code;
          const denied = res.status === 403;
          fatal(
            denied
              ? `${win.location.origin} is not an allowed origin of this bot (see its settings in Parley).`
              : `bot key "${opts.key}" is unknown or the bot is disabled (check data-bot).`,
            code || (denied ? 'origin_not_allowed' : 'bot_not_found'),
          );
        } else retry();
      })
      .catch(retry);
  };

  const fatal = (why: string, code: string) => {
    log(`[Parley] Chat widget not shown: ${why}`);
    emit('error', { code, message: why });
  };

  const api: ParleyApi = {
    version: VERSION,
    open,
    close: () => close(false),
    toggle: () => (isOpen ? close(false) : open()),
    identify(value: Identity) {
      if (destroyed) return;
      const id = toIdentity(value);
      if (!id) {
        emit('error', { code: 'invalid_identity', message: 'identify() needs {id, name?, email?, hash?}' });
        return;
      }
      identity = id;
      post({ type: 'identify', identity: id });
    },
    on(event, fn) {
      if (typeof fn === 'function') (listeners[event] = listeners[event] || []).push(fn);
      return () => api.off(event, fn);
    },
    off(event, fn) {
      listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      timers.forEach(clearTimeout);
      win.removeEventListener('message', onMessage);
      if (host) host.remove();
      host = null;
      iframe = null;
      for (const k in listeners) delete listeners[k];
    },
  };

  if (!opts.key) fatal('the widget.js script tag has no data-bot="PUBLIC_KEY".', 'missing_key');
  else loadConfig(0);
  return api;
}
