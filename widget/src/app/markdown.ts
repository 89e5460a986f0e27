/**
 * A small, safe markdown renderer for bot answers.
 *
 * The text is parsed into a tree of plain objects and rendered as Preact elements, never through
 * innerHTML: HTML in the source is shown as text, links are kept only for http, https and mailto
 * URLs and open in a new tab with rel="noopener noreferrer". Supports paragraphs, line breaks,
 * headings, emphasis, inline code, fenced code, lists (nested), block quotes, rules, GFM tables and
 * bare URLs: the subset LLM answers use.
 */
import { h, type ComponentChildren, type VNode } from 'preact';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'br' }
  | { t: 'strong' | 'em' | 'del'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'pre'; v: string }
  | { t: 'ul' | 'ol'; start: number; items: Block[][] }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' }
  | { t: 'table'; head: Inline[][]; rows: Inline[][][] };

const MAX_DEPTH = 8;

/** The URL if it is an absolute http(s) or mailto URL, else null. */
export function safeHref(raw: string): string | null {
  // Browsers ignore tabs/newlines and leading control characters in URLs ("java\tscript:"): strip first.
  const cleaned = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!cleaned) return null;
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return null;
  return url.href;
}

// ---------------------------------------------------------------- inline

const BARE_URL = /^(https?:\/\/|mailto:)[^\s<>"]+/i;

function pushText(out: Inline[], v: string) {
  const last = out[out.length - 1];
  if (last && last.t === 'text') last.v += v;
  else out.push({ t: 'text', v });
}

/** Closing delimiter index for emphasis, skipping code spans; -1 if none. */
function findClose(s: string, delim: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > 0) {
        i = end + 1;
        continue;
      }
    }
    if (s.startsWith(delim, i) && i > from && !/\s/.test(s[i - 1])) {
      // For single * or _, don't close on a doubled delimiter.
      if (delim.length === 1 && s[i + 1] === delim) {
        i += 2;
        continue;
      }
      if (delim === '_' && /[\p{L}\p{N}]/u.test(s[i + 1] || '')) {
        i++;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}

/** The link destination in "(url "title")" starting at s[i] === '(': [url, end index] or null. */
function linkTarget(s: string, i: number): [string, number] | null {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      let inner = s.slice(i + 1, j).trim();
      if (inner.startsWith('<') && inner.includes('>')) inner = inner.slice(1, inner.indexOf('>'));
      else inner = inner.split(/\s+/)[0] || '';
      return [inner, j + 1];
    } else if (c === '\n') return null;
  }
  return null;
}

/** The index of the "]" closing a "[" at s[i], or -1. */
function closeBracket(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  return -1;
}

export function parseInline(s: string, depth = 0, inLink = false): Inline[] {
  const out: Inline[] = [];
  if (depth > MAX_DEPTH) {
    pushText(out, s);
    return out;
  }
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const rest = s.slice(i);
    if (c === '\\' && i + 1 < s.length && /[\\`*_{}[\]()#+\-.!|~<>]/.test(s[i + 1])) {
      pushText(out, s[i + 1]);
      i += 2;
      continue;
    }
    if (c === '\n') {
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      const ticks = /^`+/.exec(rest)![0];
      const end = s.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        out.push({ t: 'code', v: s.slice(i + ticks.length, end).replace(/^ (.*) $/, '$1') });
        i = end + ticks.length;
        continue;
      }
      pushText(out, ticks);
      i += ticks.length;
      continue;
    }
    if ((c === '*' || c === '_' || c === '~') && s[i + 1] === c) {
      const delim = c + c;
      const end = findClose(s, delim, i + 2);
      if (end > 0 && !/\s/.test(s[i + 2])) {
        out.push({ t: c === '~' ? 'del' : 'strong', c: parseInline(s.slice(i + 2, end), depth + 1, inLink) });
        i = end + 2;
        continue;
      }
    } else if ((c === '*' || c === '_') && !/\s/.test(s[i + 1] || ' ')) {
      const intraword = c === '_' && i > 0 && /[\p{L}\p{N}]/u.test(s[i - 1]);
      const end = intraword ? -1 : findClose(s, c, i + 1);
      if (end > 0) {
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, end), depth + 1, inLink) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[' && !inLink) {
      const close = closeBracket(s, i);
      if (close > 0 && s[close + 1] === '(') {
        const target = linkTarget(s, close + 1);
        if (target) {
          const label = parseInline(s.slice(i + 1, close), depth + 1, true);
          const href = safeHref(target[0]);
          if (href) out.push({ t: 'link', href, c: label });
          else out.push(...label); // unsafe scheme: keep the words, drop the link
          i = target[1];
          continue;
        }
      }
    }
    if (c === '<' && !inLink) {
      const m = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(rest);
      const href = m && safeHref(m[1]);
      if (m && href) {
        out.push({ t: 'link', href, c: [{ t: 'text', v: m[1] }] });
        i += m[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H' || c === 'm' || c === 'M') && !inLink && (i === 0 || /[\s(]/.test(s[i - 1]))) {
      const m = BARE_URL.exec(rest);
      if (m) {
        const url = m[0].replace(/[.,;:!?'")\]*_]+$/, '');
        const href = safeHref(url);
        if (href && url.length > 8) {
          out.push({ t: 'link', href, c: [{ t: 'text', v: url }] });
          i += url.length;
          continue;
        }
      }
    }
    pushText(out, c);
    i++;
  }
  return out;
}

// ---------------------------------------------------------------- blocks

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])[ \t]+/;
const TABLE_SEP = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

function splitRow(line: string): string[] {
  let l = line.trim();
  if (l.startsWith('|')) l = l.slice(1);
  if (l.endsWith('|') && !l.endsWith('\\|')) l = l.slice(0, -1);
  return l.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

export function parseBlocks(src: string, depth = 0): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  if (depth > MAX_DEPTH) return [{ t: 'p', c: [{ t: 'text', v: src }] }];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++; // closing fence (or end of a still-streaming answer)
      out.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ t: 'h', level: heading[1].length, c: parseInline(heading[2], depth) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() && (QUOTE.test(lines[i]) || !startsBlock(lines[i])))
        body.push(lines[i++].replace(QUOTE, ''));
      out.push({ t: 'quote', c: parseBlocks(body.join('\n'), depth + 1) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2]);
      const items: Block[][] = [];
      while (i < lines.length) {
        const m = ITEM.exec(lines[i]);
        if (!m || /\d/.test(m[2]) !== ordered) break;
        const indent = m[0].length;
        const body = [lines[i].slice(indent)];
        i++;
        // Continuation: indented lines (nested lists, wrapped text) or lazy paragraph lines.
        while (i < lines.length) {
          const l = lines[i];
          if (!l.trim()) {
            if (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1])) {
              body.push('');
              i++;
              continue;
            }
            break;
          }
          if (/^\s{2,}/.test(l)) body.push(l.replace(new RegExp(`^ {0,${indent}}`), ''));
          else if (!startsBlock(l)) body.push(l);
          else break;
          i++;
        }
        items.push(parseBlocks(body.join('\n'), depth + 1));
        while (i < lines.length && !lines[i].trim() && i + 1 < lines.length && ITEM.test(lines[i + 1])) i++;
      }
      out.push({ t: ordered ? 'ol' : 'ul', start: ordered ? parseInt(item[2], 10) : 1, items });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const head = splitRow(line).map((c) => parseInline(c, depth));
      const rows: Inline[][][] = [];
      i += 2;
      while (i < lines.length && lines[i].includes('|') && lines[i].trim()) {
        rows.push(splitRow(lines[i++]).map((c) => parseInline(c, depth)));
      }
      out.push({ t: 'table', head, rows });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() && (para.length === 0 || !startsBlock(lines[i]))) para.push(lines[i++]);
    out.push({ t: 'p', c: parseInline(para.join('\n').trim(), depth) });
  }
  return out;
}

// ---------------------------------------------------------------- render

function renderInline(nodes: Inline[]): ComponentChildren[] {
  return nodes.map((n) => {
    switch (n.t) {
      case 'text':
        return n.v;
      case 'code':
        return h('code', null, n.v);
      case 'br':
        return h('br', null);
      case 'link':
        return h('a', { href: n.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, renderInline(n.c));
      default:
        return h(n.t === 'strong' ? 'strong' : n.t === 'em' ? 'em' : 'del', null, renderInline(n.c));
    }
  });
}

function renderBlock(b: Block): VNode<any> {
  switch (b.t) {
    case 'p':
      return h('p', null, renderInline(b.c));
    case 'h':
      // Headings inside a chat bubble: keep them small; h1 would break the page outline.
      return h(`h${Math.min(6, b.level + 2)}`, null, renderInline(b.c));
    case 'pre':
      return h('pre', { tabIndex: 0 }, h('code', null, b.v));
    case 'ul':
      return h('ul', null, b.items.map((it) => h('li', null, it.map(renderBlock))));
    case 'ol':
      return h('ol', b.start !== 1 ? { start: b.start } : null, b.items.map((it) => h('li', null, it.map(renderBlock))));
    case 'quote':
      return h('blockquote', null, b.c.map(renderBlock));
    case 'hr':
      return h('hr', null);
    case 'table':
      return h(
        'div',
        { class: 'tbl', tabIndex: 0 },
        h('table', null, [
          h('thead', null, h('tr', null, b.head.map((c) => h('th', null, renderInline(c))))),
          h('tbody', null, b.rows.map((r) => h('tr', null, r.map((c) => h('td', null, renderInline(c)))))),
        ]),
      );
  }
}

export function Markdown({ text }: { text: string }): VNode<any> {
  return h('div', { class: 'md' }, parseBlocks(text).map(renderBlock));
}
