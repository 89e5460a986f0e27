import { describe, expect, it } from 'vitest';
import { Outbox } from '../src/app/outbox';
import { memoryKV } from '../src/app/storage';

describe('outbox', () => {
  it('keeps order, persists per bot key and survives a reload', () => {
    const kv = memoryKV();
    const box = new Outbox(kv, 'pk1');
    box.add('a', 'first');
    box.add('b', 'second');
    expect(new Outbox(kv, 'pk2').items()).toEqual([]);
    const again = new Outbox(kv, 'pk1');
    expect(again.items().map((i) => i.text)).toEqual(['first', 'second']);
    expect(again.next()!.clientId).toBe('a');
    again.remove('a');
    expect(new Outbox(kv, 'pk1').next()!.clientId).toBe('b');
  });

  it('skips failed items until retried, then sends them last', () => {
    const box = new Outbox(memoryKV(), 'pk');
    box.add('a', '1');
    box.add('b', '2');
    box.fail('a', 'rate_limited', 'slow');
    expect(box.next()!.clientId).toBe('b');
    box.retry('a');
    expect(box.items().map((i) => i.clientId)).toEqual(['b', 'a']);
    box.remove('b');
    expect(box.next()!.clientId).toBe('a');
  });

  it('ignores corrupt storage', () => {
    const kv = memoryKV();
    kv.set('parley:outbox:pk', '{not json');
    expect(new Outbox(kv, 'pk').items()).toEqual([]);
    kv.set('parley:outbox:pk', JSON.stringify([{ clientId: 1 }, null, { clientId: 'ok', text: 't', createdAt: 0 }]));
    expect(new Outbox(kv, 'pk').items().map((i) => i.clientId)).toEqual(['ok']);
  });
});
