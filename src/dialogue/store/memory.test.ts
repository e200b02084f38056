import { describe, expect, it } from 'vitest';
import { sessionStoreConformance } from './conformance.test-helper.js';
import { createMemoryStore, DEFAULT_MEMORY_STORE_OPTIONS, type MemoryStoreOptions } from './memory.js';
import type { SessionStore } from './types.js';

/** A clock the tests move by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('memory store: conformance', () => {
  const clocks = new WeakMap<SessionStore, (ms: number) => void>();
  sessionStoreConformance({
    async create({ ttlMs }) {
      const clock = manualClock();
      const store = createMemoryStore({ ttlMs, now: clock.now });
      clocks.set(store, clock.advance);
      return store;
    },
    // One process, one map: a second handle is the same store.
    async peer(store) {
      return store;
    },
    async elapse(store, _sessionIds, ms) {
      clocks.get(store)?.(ms);
    },
  });
});

describe('memory store', () => {
  it('evicts the least recently used session beyond maxSessions, and says so to the logger', async () => {
    const logged: [string, string, string | undefined][] = [];
    const store = createMemoryStore({ maxSessions: 3, logger: (level, message, code) => logged.push([level, message, code]) });
    for (const id of ['a', 'b', 'c']) await store.set(id, { id }, 0);
    await store.get('a'); // a is now more recent than b and c
    await store.set('c', { id: 'c2' }, 1); // c too; b is the least recently used
    await store.set('d', { id: 'd' }, 0);
    expect(store.size()).toBe(3);
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).toEqual({ state: { id: 'a' }, version: 1 });
    expect(await store.get('c')).toEqual({ state: { id: 'c2' }, version: 2 });
    expect(await store.get('d')).toEqual({ state: { id: 'd' }, version: 1 });
    expect(logged).toEqual([['warn', expect.stringContaining('"b"'), 'SESSION_EVICTED']]);
  });

  it('does not grow on refused writes', async () => {
    const store = createMemoryStore({ maxSessions: 1 });
    await store.set('a', 1, 0);
    expect(await store.set('b', 1, 5)).toEqual({ ok: false });
    expect(store.size()).toBe(1);
    expect(await store.get('a')).toEqual({ state: 1, version: 1 });
  });

  it('sweeps expired sessions without their being read, so they free memory', async () => {
    const clock = manualClock();
    const logged: string[] = [];
    const store = createMemoryStore({ ttlMs: 1_000, maxSessions: 100, now: clock.now, logger: (_l, m) => logged.push(m) });
    for (let i = 0; i < 50; i++) await store.set(`old${i}`, { i }, 0);
    clock.advance(600);
    for (let i = 0; i < 10; i++) await store.set(`new${i}`, { i }, 0);
    expect(store.size()).toBe(60);
    clock.advance(400); // the 50 old ones are now idle for exactly the TTL
    expect(store.size()).toBe(10);
    clock.advance(600);
    expect(store.size()).toBe(0);
    expect(logged).toEqual([]); // expiry is not eviction
  });

  it('does not expire with ttlMs Infinity, and keeps any number of sessions with maxSessions Infinity', async () => {
    const clock = manualClock();
    const store = createMemoryStore({ ttlMs: Number.POSITIVE_INFINITY, maxSessions: Number.POSITIVE_INFINITY, now: clock.now });
    for (let i = 0; i < DEFAULT_MEMORY_STORE_OPTIONS.maxSessions + 5; i++) await store.set(`s${i}`, i, 0);
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(store.size()).toBe(DEFAULT_MEMORY_STORE_OPTIONS.maxSessions + 5);
    expect(await store.get('s0')).toEqual({ state: 0, version: 1 });
  });

  it('uses the documented defaults', async () => {
    expect(DEFAULT_MEMORY_STORE_OPTIONS).toEqual({ ttlMs: 30 * 60 * 1000, maxSessions: 10_000 });
    const clock = manualClock();
    const store = createMemoryStore({ now: clock.now });
    await store.set('s', 1, 0);
    clock.advance(30 * 60 * 1000 - 1);
    expect(await store.get('s')).not.toBeNull();
    clock.advance(30 * 60 * 1000);
    expect(await store.get('s')).toBeNull();
  });

  it('clears its sessions on close()', async () => {
    const store = createMemoryStore();
    await store.set('s', 1, 0);
    await store.close();
    expect(store.size()).toBe(0);
  });

  it('rejects bad options with INVALID_OPTION naming the option', () => {
    const bad: [unknown, string][] = [
      [{ ttlMs: 0 }, 'ttlMs'],
      [{ ttlMs: -5 }, 'ttlMs'],
      [{ ttlMs: 1.5 }, 'ttlMs'],
      [{ ttlMs: '1000' }, 'ttlMs'],
      [{ maxSessions: 0 }, 'maxSessions'],
      [{ maxSessions: Number.NaN }, 'maxSessions'],
      [{ now: 5 }, 'now'],
      [{ logger: 'console' }, 'logger'],
    ];
    for (const [options, option] of bad) {
      expect(() => createMemoryStore(options as MemoryStoreOptions)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ option }) }));
    }
    expect(() => createMemoryStore('fast' as unknown as MemoryStoreOptions)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
