/** The chat iframe's entry point (frame.html?key=PUBLIC_KEY&host=<page origin>&lang=xx). */
import { render } from 'preact';
import { asOrigin, encode, parseHostToFrame, receive, type FrameToHost } from '../shared/protocol';
import { Api } from './api';
import { App } from './App';
import { ChatController } from './controller';
import { installKeyboard } from './focus';
import { chooseLang } from './i18n';
import { browserKV } from './storage';
import { applyTheme } from './theme';
import { AutoTransport, SseTransport, WsTransport } from './transport';
import './styles.css';

const params = new URLSearchParams(location.search);
const key = params.get('key') || '';
const embedded = window.parent !== window;
const host = asOrigin(params.get('host'));
const lang = chooseLang(params.get('lang'), null, navigator);
document.documentElement.lang = lang;
const mount = document.getElementById('app')!;

// The host origin comes from the URL, so it is only a claim: the server checks it against the bot's
// allowed origins (config?host=), we only ever post to it (a lying parent gets nothing), and where
// the browser tells us our real parent (location.ancestorOrigins), it must match.
const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
const parentOk = !embedded || (!!host && (!ancestors || !ancestors.length || ancestors[0] === host));

const api = new Api(`${location.origin}/api/v1/widget`);
const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
const transport = new AutoTransport(
  new WsTransport((token) => `${wsBase}/api/v1/widget/ws?token=${encodeURIComponent(token)}`),
  new SseTransport(`${api.base}/chat`),
);
const post = embedded && host ? (msg: FrameToHost) => window.parent.postMessage(encode(msg), host) : null;
const ctl = new ChatController({ key, host: host || location.origin, lang, api, transport, kv: browserKV(), post });
const inputRef: { current: HTMLTextAreaElement | null } = { current: null };

if (!key || !parentOk) {
  ctl.state = { ...ctl.state, phase: 'unavailable' };
} else {
  window.addEventListener('message', (event) => {
    const msg = receive(event, host!, window.parent, parseHostToFrame);
    if (!msg) return;
    switch (msg.type) {
      case 'init':
        ctl.init(msg.open, msg.identity);
        if (msg.open) setTimeout(() => inputRef.current && inputRef.current.focus(), 50);
        break;
      case 'open':
        ctl.setOpen(true);
        setTimeout(() => inputRef.current && inputRef.current.focus(), 50);
        break;
      case 'close':
        ctl.setOpen(false);
        break;
      case 'identify':
        void ctl.identify(msg.identity);
        break;
    }
  });
  window.addEventListener('online', () => ctl.setOnline(true));
  window.addEventListener('offline', () => ctl.setOnline(false));
  installKeyboard(document, () => embedded && ctl.requestClose());
  let untheme = () => {};
  ctl.subscribe(() => {
    const bot = ctl.state.bot;
    if (bot && !document.documentElement.hasAttribute('data-theme')) untheme = applyTheme(document, bot.appearance);
  });
  window.addEventListener('pagehide', () => untheme());
  void ctl.start();
}

render(<App ctl={ctl} inputRef={inputRef} />, mount);
