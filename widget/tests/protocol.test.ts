import { describe, expect, it } from 'vitest';
import { asOrigin, encode, parseFrameToHost, parseHostToFrame, receive, toIdentity } from '../src/shared/protocol';

const PARLEY = 'https://parley.example.com';

function event(data: unknown, origin: string, source: unknown): MessageEvent {
  return { data, origin, source } as unknown as MessageEvent;
}

describe('postMessage protocol', () => {
  it('namespaces and versions every message', () => {
    expect(encode({ type: 'open' })).toEqual({ ns: 'parley', v: 1, type: 'open' });
  });

  it('round-trips the loader → frame messages', () => {
    expect(parseHostToFrame(encode({ type: 'open' }))).toEqual({ type: 'open' });
    expect(parseHostToFrame(encode({ type: 'close' }))).toEqual({ type: 'close' });
    expect(parseHostToFrame(encode({ type: 'init', open: true, identity: null }))).toEqual({ type: 'init', open: true, identity: null });
    expect(parseHostToFrame(encode({ type: 'identify', identity: { id: 'u1', email: 'a@b.c' } }))).toEqual({
      type: 'identify',
      identity: { id: 'u1', email: 'a@b.c' },
    });
  });

  it('round-trips the frame → loader messages', () => {
    expect(parseFrameToHost(encode({ type: 'ready' }))).toEqual({ type: 'ready' });
    expect(parseFrameToHost(encode({ type: 'unread', count: 3 }))).toEqual({ type: 'unread', count: 3 });
    expect(parseFrameToHost(encode({ type: 'resize', height: 500 }))).toEqual({ type: 'resize', height: 500 });
    expect(parseFrameToHost(encode({ type: 'event', name: 'message', data: { text: 'hi' } }))).toEqual({
      type: 'event',
      name: 'message',
      data: { text: 'hi' },
    });
  });

  it('rejects foreign, unversioned and malformed messages', () => {
    expect(parseFrameToHost({ type: 'ready' })).toBeNull(); // no namespace
    expect(parseFrameToHost({ ns: 'other', v: 1, type: 'ready' })).toBeNull();
    expect(parseFrameToHost({ ns: 'parley', v: 2, type: 'ready' })).toBeNull();
    expect(parseFrameToHost('{"ns":"parley","v":1,"type":"ready"}')).toBeNull(); // strings are not parsed
    expect(parseFrameToHost(encode({ type: 'unread', count: -1 }))).toBeNull();
    expect(parseFrameToHost(encode({ type: 'unread', count: 'lots' }))).toBeNull();
    expect(parseFrameToHost(encode({ type: 'event', name: 'eval', data: 1 }))).toBeNull();
    expect(parseFrameToHost(encode({ type: 'open' }))).toBeNull(); // a frame→host parser ignores host→frame types
    expect(parseHostToFrame(encode({ type: 'identify', identity: { name: 'no id' } }))).toBeNull();
    expect(parseHostToFrame(encode({ type: 'init', open: true, identity: 'x' }))).toBeNull();
    expect(parseHostToFrame(null)).toBeNull();
  });

  it('accepts a message only from the expected origin and window', () => {
    const frame = {};
    const ok = encode({ type: 'ready' });
    expect(receive(event(ok, PARLEY, frame), PARLEY, frame, parseFrameToHost)).toEqual({ type: 'ready' });
    // Forged origin, same window object: ignored.
    expect(receive(event(ok, 'https://evil.example', frame), PARLEY, frame, parseFrameToHost)).toBeNull();
    // Look-alike origins: ignored.
    expect(receive(event(ok, 'https://parley.example.com.evil.io', frame), PARLEY, frame, parseFrameToHost)).toBeNull();
    expect(receive(event(ok, 'http://parley.example.com', frame), PARLEY, frame, parseFrameToHost)).toBeNull();
    // Right origin but another window (e.g. a second iframe from the same server): ignored.
    expect(receive(event(ok, PARLEY, {}), PARLEY, frame, parseFrameToHost)).toBeNull();
    // No expected origin or window yet: ignored.
    expect(receive(event(ok, '', frame), '', frame, parseFrameToHost)).toBeNull();
    expect(receive(event(ok, PARLEY, null), PARLEY, null, parseFrameToHost)).toBeNull();
  });

  it('validates identities', () => {
    expect(toIdentity({ id: 42 })).toEqual({ id: '42' });
    expect(toIdentity({ id: '' })).toBeNull();
    expect(toIdentity({ id: 'x'.repeat(201) })).toBeNull();
    expect(toIdentity({ id: 'u', name: 5 })).toBeNull();
    expect(toIdentity({ id: 'u', hash: 'abc', extra: '<script>' })).toEqual({ id: 'u', hash: 'abc' });
  });

  it('recognises exact origins only', () => {
    expect(asOrigin('https://shop.example.com')).toBe('https://shop.example.com');
    expect(asOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    expect(asOrigin('https://shop.example.com/')).toBeNull();
    expect(asOrigin('https://shop.example.com/path')).toBeNull();
    expect(asOrigin('javascript:alert(1)')).toBeNull();
    expect(asOrigin('null')).toBeNull();
    expect(asOrigin('*')).toBeNull();
    expect(asOrigin('')).toBeNull();
  });
});
