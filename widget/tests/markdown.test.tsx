import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown, parseBlocks, parseInline, safeHref } from '../src/app/markdown';

let host: HTMLElement;
function html(text: string): HTMLElement {
  host = document.createElement('div');
  document.body.appendChild(host);
  render(<Markdown text={text} />, host);
  return host;
}
afterEach(() => {
  render(null, host);
  host.remove();
});

/** No script, no event handler attribute, no dangerous URL anywhere in the rendered tree. */
function expectInert(root: HTMLElement) {
  expect(root.querySelectorAll('script, iframe, object, embed, img, svg, style, form, input').length).toBe(0);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith('on')).toBe(false);
      expect(attr.value.toLowerCase()).not.toMatch(/^\s*(javascript|data|vbscript):/);
    }
  }
  for (const a of Array.from(root.querySelectorAll('a'))) {
    expect(['http:', 'https:', 'mailto:']).toContain(new URL(a.href).protocol);
    expect(a.getAttribute('rel')).toContain('noopener');
    expect(a.getAttribute('rel')).toContain('noreferrer');
    expect(a.getAttribute('target')).toBe('_blank');
  }
}

describe('markdown renderer', () => {
  it('renders the usual formatting', () => {
    const root = html('# Title\n\nHello **bold** and *em* and `code`.\n\n- one\n- two\n\n1. first\n2. second\n\n```\nlet x = 1;\n```');
    expect(root.querySelector('h3')!.textContent).toBe('Title');
    expect(root.querySelector('strong')!.textContent).toBe('bold');
    expect(root.querySelector('em')!.textContent).toBe('em');
    expect(root.querySelector('p code')!.textContent).toBe('code');
    expect(Array.from(root.querySelectorAll('ul li')).map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(root.querySelectorAll('ol li').length).toBe(2);
    expect(root.querySelector('pre code')!.textContent).toBe('let x = 1;');
  });

  it('renders links safely', () => {
    const root = html('See [the docs](https://example.com/docs?a=1&b=2) or mail <mailto:help@example.com>, or https://example.org/x.');
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/docs?a=1&b=2',
      'mailto:help@example.com',
      'https://example.org/x',
    ]);
    expectInert(root);
  });

  it('shows script tags as text', () => {
    const root = html('<script>alert(1)</script> hello');
    expect(root.querySelector('script')).toBeNull();
    expect(root.textContent).toBe('<script>alert(1)</script> hello');
    expectInert(root);
  });

  it('shows <img onerror> and other HTML as inert text', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<a href="javascript:alert(1)">click</a>',
      '<div style="background:url(javascript:alert(1))">x</div>',
      '**<b onmouseover=alert(1)>bold</b>**',
      '<style>body{display:none}</style>',
      '<form action="https://evil.example"><input name=p></form>',
    ];
    for (const p of payloads) {
      const root = html(p);
      expectInert(root);
      expect(root.textContent).toContain('<');
      render(null, host);
      host.remove();
    }
  });

  it('drops javascript:, data: and other dangerous links but keeps their words', () => {
    const payloads = [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java\tscript:alert(1))',
      '[click](  javascript:alert(1))',
      '[click](\u0001javascript:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[click](vbscript:msgbox(1))',
      '[click](file:///etc/passwd)',
      '[click](//evil.example/x)',
      '[click](/relative/path)',
      '<javascript:alert(1)>',
      '[click](<javascript:alert(1)>)',
    ];
    for (const p of payloads) {
      const root = html(p);
      expect(root.querySelector('a'), p).toBeNull();
      expect(root.textContent).toContain(p.startsWith('<') ? 'javascript' : 'click');
      expectInert(root);
      render(null, host);
      host.remove();
    }
  });

  it('does not let a link label smuggle HTML or nested links', () => {
    const root = html('[<img src=x onerror=alert(1)> [inner](https://b.example)](https://a.example)');
    expectInert(root);
    expect(root.querySelectorAll('a').length).toBeLessThanOrEqual(1);
  });

  it('keeps HTML inside code as text', () => {
    const root = html('`<script>x</script>`\n\n```html\n<img src=x onerror=alert(1)>\n```');
    expect(root.querySelector('p code')!.textContent).toBe('<script>x</script>');
    expect(root.querySelector('pre code')!.textContent).toBe('<img src=x onerror=alert(1)>');
    expectInert(root);
  });

  it('renders tables and quotes', () => {
    const root = html('| a | b |\n|---|---|\n| 1 | **2** |\n\n> quoted');
    expect(Array.from(root.querySelectorAll('th')).map((c) => c.textContent)).toEqual(['a', 'b']);
    expect(root.querySelector('td strong')!.textContent).toBe('2');
    expect(root.querySelector('blockquote')!.textContent).toBe('quoted');
  });

  it('survives pathological input', () => {
    const deep = '['.repeat(2000) + '*'.repeat(2000) + '`'.repeat(500) + '> '.repeat(500) + 'x';
    const t0 = Date.now();
    const root = html(deep);
    expect(Date.now() - t0).toBeLessThan(2000);
    expectInert(root);
  });

  it('handles a half-streamed answer', () => {
    expect(() => parseBlocks('```js\nconst a = ')).not.toThrow();
    expect(parseInline('**unfinished')).toEqual([{ t: 'text', v: '**unfinished' }]);
  });

  it('safeHref allows only absolute http(s) and mailto URLs', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' jav\nascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('ftp://example.com')).toBeNull();
    expect(safeHref('example.com')).toBeNull();
  });
});
