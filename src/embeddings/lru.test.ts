import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { LruCache } from './lru.js';

describe('LruCache', () => {
  it('evicts the least recently used key, where a read counts as a use', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('overwriting a key refreshes it without growing', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 10);
    c.set('c', 3);
    expect(c.get('a')).toBe(10);
    expect(c.get('b')).toBeUndefined();
  });

  it('capacity 0 stores nothing; clear empties', () => {
    const none = new LruCache<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    const c = new LruCache<string, number>(3);
    c.set('a', 1);
    c.clear();
    expect(c.size).toBe(0);
  });

  test.prop([fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 8 })), { maxLength: 60 })])(
    'behaves like a reference model of recency',
    (capacity, ops) => {
      const c = new LruCache<number, number>(capacity);
      let order: number[] = [];
      for (const [isSet, k] of ops) {
        if (isSet) {
          c.set(k, k * 10);
          order = [...order.filter((x) => x !== k), k].slice(-capacity);
        } else {
          const hit = c.get(k);
          expect(hit).toBe(order.includes(k) ? k * 10 : undefined);
          if (order.includes(k)) order = [...order.filter((x) => x !== k), k];
        }
        expect(c.size).toBe(order.length);
      }
    },
  );
});
