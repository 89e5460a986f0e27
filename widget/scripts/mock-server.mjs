#!/usr/bin/env node
// A stand-in for the Parley widget API (the contract in README.md), for trying the widget in a
// browser without the Python server:  npm run build && node scripts/mock-server.mjs
//   Parley origin  http://127.0.0.1:8790  (serves dist/ like the real server, and /api/v1/widget/*)
//   host page      http://127.0.0.1:8791  (a site that embeds the widget; allowed origin)
// Options: --no-ws (refuse WebSocket upgrades: exercises the SSE fallback), PORT / HOST_PORT env.
// Messages that trigger behaviour: "rate" → 429 with Retry-After 20, "lead" → lead_form event.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const PORT = Number(process.env.PORT || 8790);
const HOST_PORT = Number(process.env.HOST_PORT || 8791);
const PARLEY = `http://127.0.0.1:${PORT}`;
const ALLOWED = [`http://127.0.0.1:${HOST_PORT}`, `http://localhost:${HOST_PORT}`];
const NO_WS = process.argv.includes('--no-ws');
const KEY = 'pk_demo';
const BOT = {
  id: 'bot-1',
  name: 'Acme assistant',
  language: 'en',
  greeting: 'Hi! I can answer questions about **Acme** products.',
  suggested_questions: ['What are your prices?', 'How do I reset my password?'],
  handoff_enabled: true,
  lead_capture_enabled: true,
  appearance: {
    primary_color: '#4f46e5', theme: 'light', position: 'right', launcher_icon: 'chat', avatar_url: null,
    title: 'Acme help', bubble_text: 'Questions? Ask me!',
  },
};
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
const tokens = new Map(); // token -> visitor id
const conversations = new Map(); // visitor id -> {id, messages}

const log = (...a) => process.env.QUIET || console.log(new Date().toISOString().slice(11, 19), ...a);

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
const error = (res, status, code, message, headers) => send(res, status, { error: { code, message } }, headers);

function cors(req) {
  const origin = req.headers.origin;
  return origin && ALLOWED.includes(origin)
    ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Allow-Headers': 'authorization, content-type', 'Access-Control-Allow-Methods': 'GET, POST' }
    : {};
}

/** Origin checks: a cross-origin caller (the loader) by its Origin header; the frame (same origin) by ?host=. */
function originAllowed(req, url) {
  const origin = req.headers.origin;
  if (origin && origin !== PARLEY) return ALLOWED.includes(origin);
  const host = url.searchParams.get('host');
  return !host || ALLOWED.includes(host);
}

function visitor(req) {
  const auth = req.headers.authorization || '';
  return tokens.get(auth.replace(/^Bearer /, ''));
}

async function body(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  try { return data ? JSON.parse(data) : {}; } catch { return null; }
}

function conversation(v) {
  if (!conversations.has(v)) conversations.set(v, { id: null, messages: [] });
  return conversations.get(v);
}

/** The answer to `text`, as the server's event sequence. */
function* answer(v, text, clientId) {
  const conv = conversation(v);
  if (!conv.id) conv.id = randomUUID();
  const messageId = randomUUID();
  conv.messages.push({ id: randomUUID(), role: 'user', content: text, citations: [], created_at: new Date().toISOString(), feedback: null });
  yield { type: 'start', conversation_id: conv.id, message_id: messageId, client_id: clientId };
  yield { type: 'tool', name: 'search_knowledge', status: 'started' };
  yield { type: 'tool', name: 'search_knowledge', status: 'done' };
  const reply = `You asked: *${text.slice(0, 200)}*\n\nHere is what I found:\n\n- Plans start at **$10/month**\n- See [pricing](https://example.com/pricing)\n\n\`<script>alert(1)</script>\` stays text.`;
  for (const word of reply.split(/(?<= )/)) yield { type: 'token', text: word };
  const citations = [{ source: 'pricing.pdf', title: 'Pricing guide', location: 'page 2', snippet: 'Plans start at $10 per month.', url: 'https://example.com/pricing' }];
  yield { type: 'citations', citations };
  if (/lead/i.test(text)) yield { type: 'lead_form' };
  conv.messages.push({ id: messageId, role: 'assistant', content: reply, citations, created_at: new Date().toISOString(), feedback: null });
  yield { type: 'done', message_id: messageId, conversation_id: conv.id, usage: { input_tokens: 10, output_tokens: 40 } };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(req, res, url) {
  const path = url.pathname.replace('/api/v1/widget', '');
  const h = cors(req);
  if (req.method === 'OPTIONS') return send(res, 204, undefined, h);
  if (path === '/config' && req.method === 'GET') {
    if (url.searchParams.get('key') !== KEY) return error(res, 404, 'bot_not_found', 'No such bot.', h);
    if (!originAllowed(req, url)) return error(res, 403, 'origin_not_allowed', 'This site may not use this bot.', h);
    return send(res, 200, { bot: BOT }, { ...h, 'Cache-Control': 'public, max-age=60' });
  }
  if (path === '/session' && req.method === 'POST') {
    const b = await body(req);
    if (!b || b.key !== KEY) return error(res, 404, 'bot_not_found', 'No such bot.');
    if (!originAllowed(req, url)) return error(res, 403, 'origin_not_allowed', 'This site may not use this bot.');
    const v = b.visitor_id || randomUUID();
    const token = randomUUID();
    tokens.set(token, v);
    return send(res, 200, { token, expires_in: 900, visitor_id: v, conversation_id: conversation(v).id });
  }
  const v = visitor(req);
  if (!v) return error(res, 401, 'token_expired', 'Your session expired.');
  if (path === '/conversation' && req.method === 'GET') {
    const c = conversation(v);
    return send(res, 200, { conversation_id: c.id, messages: c.messages });
  }
  if (path === '/conversation' && req.method === 'POST') {
    conversations.set(v, { id: randomUUID(), messages: [] });
    return send(res, 200, { conversation_id: conversations.get(v).id });
  }
  if (path === '/chat' && req.method === 'POST') {
    const b = await body(req);
    if (!b || typeof b.message !== 'string') return error(res, 422, 'invalid_request', 'message is required');
    if (b.message.length > 4000) return error(res, 422, 'message_too_long', 'Messages are limited to 4000 characters.');
    if (/^rate$/i.test(b.message.trim())) return error(res, 429, 'rate_limited', 'Too many messages.', { 'Retry-After': '20' });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    for (const ev of answer(v, b.message, b.client_id)) {
      res.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
      await sleep(25);
    }
    return res.end();
  }
  const fb = /^\/messages\/([^/]+)\/feedback$/.exec(path);
  if (fb && req.method === 'POST') return send(res, 204);
  if (path === '/leads' && req.method === 'POST') return send(res, 201, { ok: true });
  if (path === '/handoff' && req.method === 'POST') return send(res, 202, { ok: true });
  return error(res, 404, 'not_found', 'Not found.');
}

function serveFile(res, file, cache) {
  if (!existsSync(file) || !statSync(file).isFile()) return error(res, 404, 'not_found', 'Not found.');
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': cache, 'Access-Control-Allow-Origin': '*' });
  res.end(readFileSync(file));
}

const parley = createServer(async (req, res) => {
  const url = new URL(req.url, PARLEY);
  log(req.method, url.pathname + url.search.slice(0, 60));
  try {
    if (url.pathname.startsWith('/api/v1/widget/')) return await api(req, res, url);
    if (url.pathname === '/widget.js') return serveFile(res, join(dist, 'widget.js'), 'public, max-age=300');
    if (url.pathname.startsWith('/widget/')) {
      const rel = normalize(url.pathname.slice('/widget/'.length));
      if (rel.startsWith('..')) return error(res, 404, 'not_found', 'Not found.');
      const cache = rel.startsWith('app/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      if (rel === 'frame.html') res.setHeader('Content-Security-Policy', `frame-ancestors ${ALLOWED.join(' ')}`);
      return serveFile(res, join(dist, rel), cache);
    }
    return error(res, 404, 'not_found', 'Not found.');
  } catch (e) {
    console.error(e);
    return error(res, 500, 'internal', 'Server error.');
  }
});

// ------------------------------------------------------------ a minimal WebSocket server (RFC 6455)
function wsFrame(text) {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : len < 65536 ? Buffer.from([0x81, 126, len >> 8, len & 255]) : null;
  if (!head) throw new Error('frame too big');
  return Buffer.concat([head, payload]);
}

function wsParse(buf) {
  const frames = [];
  let off = 0;
  while (buf.length - off >= 6) {
    const op = buf[off] & 15;
    let len = buf[off + 1] & 127;
    let p = off + 2;
    if (len === 126) { len = buf.readUInt16BE(p); p += 2; }
    else if (len === 127) { len = Number(buf.readBigUInt64BE(p)); p += 8; }
    if (buf.length < p + 4 + len) break;
    const mask = buf.subarray(p, p + 4);
    const data = Buffer.from(buf.subarray(p + 4, p + 4 + len));
    for (let i = 0; i < data.length; i++) data[i] ^= mask[i % 4];
    frames.push({ op, data });
    off = p + 4 + len;
  }
  return [frames, buf.subarray(off)];
}

parley.on('upgrade', (req, socket) => {
  const url = new URL(req.url, PARLEY);
  const v = tokens.get(url.searchParams.get('token') || '');
  const origin = req.headers.origin;
  if (NO_WS || url.pathname !== '/api/v1/widget/ws' || !v || (origin && origin !== PARLEY && !ALLOWED.includes(origin))) {
    log('WS refused');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let rest = Buffer.alloc(0);
  socket.on('data', async (chunk) => {
    let frames;
    [frames, rest] = wsParse(Buffer.concat([rest, chunk]));
    for (const f of frames) {
      if (f.op === 8) return socket.end();
      if (f.op !== 1) continue;
      let m;
      try { m = JSON.parse(f.data.toString()); } catch { continue; }
      if (m.type === 'ping') socket.write(wsFrame('{"type":"pong"}'));
      else if (m.type === 'message') {
        if (/^rate$/i.test(String(m.text).trim())) {
          socket.write(wsFrame(JSON.stringify({ type: 'error', code: 'rate_limited', message: 'Too many messages.', retry_after: 20 })));
          continue;
        }
        for (const ev of answer(v, String(m.text), m.client_id)) {
          socket.write(wsFrame(JSON.stringify(ev)));
          await sleep(25);
        }
      }
    }
  });
  socket.on('error', () => {});
});

// ------------------------------------------------------------ the embedding site
const hostPage = (lang) => `<!doctype html><html><head><meta charset="utf-8"><title>Acme shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Georgia,serif;margin:40px;background:#fafaf9} button{all:unset} div{color:red!important} iframe{display:none!important}</style>
</head><body><h1>Acme shop</h1><p>The page's own CSS is hostile (it hides every iframe and paints every div red); the widget is unaffected.</p>
<script>
  window.Parley = window.Parley || { q: [] };
  ["open","close","toggle","identify","on","destroy"].forEach(function (m) {
    window.Parley[m] = window.Parley[m] || function () { window.Parley.q.push([m, [].slice.call(arguments)]); };
  });
  window.events = [];
  Parley.on("message", function (m) { window.events.push(["message", m]); });
  Parley.on("open", function () { window.events.push(["open"]); });
  Parley.on("error", function (e) { window.events.push(["error", e]); });
</script>
<script src="${PARLEY}/widget.js" data-bot="${KEY}"${lang ? ` data-lang="${lang}"` : ''} async></script>
</body></html>`;

const site = createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${HOST_PORT}`);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(hostPage(url.searchParams.get('lang')));
});

parley.listen(PORT, '127.0.0.1', () => console.log(`Parley mock on ${PARLEY}${NO_WS ? ' (WebSockets refused)' : ''}`));
site.listen(HOST_PORT, '127.0.0.1', () => console.log(`Host page on http://127.0.0.1:${HOST_PORT}/`));
