// The behaviour every SessionStore must show, as one vitest suite run against each store (memory.test.ts,
// redis.test.ts). A new store gets the same guarantees by passing the same suite.
import { expect, it } from 'vitest';
import type { SessionStore, StoreWriteResult } from './types.js';

/** How the suite drives one kind of store. */
export interface StoreHarness {
  /** A fresh, empty store whose sessions expire after `ttlMs` idle. */
  create(options: { readonly ttlMs: number }): Promise<SessionStore>;
  /** A second handle on the same sessions (for Redis: another connection, as another bot process would have). */
  peer(store: SessionStore): Promise<SessionStore>;
  /** Lets `ms` of idle time pass for these sessions, without waiting (an injected clock, or the keys' remaining TTL). */
  elapse(store: SessionStore, sessionIds: readonly string[], ms: number): Promise<void>;
}

const TTL = 60_000;

export interface CounterRunStats {
  readonly increments: number;
  readonly conflicts: number;
}

/**
 * Increments a counter in each session `perWriter` times from `writers` concurrent read-modify-write loops per
 * session, retrying on conflict; the loops of one session start together, so their first writes always collide.
 */
export async function runCounterLoad(
  stores: readonly SessionStore[],
  options: { readonly sessions: number; readonly writers: number; readonly perWriter: number; readonly prefix: string },
): Promise<CounterRunStats> {
  let conflicts = 0;
  let increments = 0;
  const loop = async (store: SessionStore, sessionId: string): Promise<void> => {
    for (let i = 0; i < options.perWriter; i++) {
      for (;;) {
        const current = await store.get(sessionId);
        const count = (current?.state as { count?: number } | undefined)?.count ?? 0;
        const result: StoreWriteResult = await store.set(sessionId, { count: count + 1 }, current?.version ?? 0);
        if (result.ok) break;
        conflicts++;
      }
      increments++;
    }
  };
  const runs: Promise<void>[] = [];
  for (let s = 0; s < options.sessions; s++) {
    for (let w = 0; w < options.writers; w++) {
      const store = stores[(s + w) % stores.length];
      if (store === undefined) throw new Error('runCounterLoad needs at least one store');
      runs.push(loop(store, `${options.prefix}${s}`));
    }
  }
  await Promise.all(runs);
  return { increments, conflicts };
}

/** Registers the conformance tests in the current `describe` block. */
export function sessionStoreConformance(harness: StoreHarness): void {
  const fresh = (): Promise<SessionStore> => harness.create({ ttlMs: TTL });

  it('reads an unknown session as null', async () => {
    const store = await fresh();
    expect(await store.get('nobody')).toBeNull();
  });

  it('creates with expectedVersion 0 at version 1 and grows the version by one per write', async () => {
    const store = await fresh();
    expect(await store.set('s', { step: 'greet' }, 0)).toEqual({ ok: true, version: 1 });
    expect(await store.get('s')).toEqual({ state: { step: 'greet' }, version: 1 });
    expect(await store.set('s', { step: 'ask_city' }, 1)).toEqual({ ok: true, version: 2 });
    expect(await store.set('s', { step: 'done' }, 2)).toEqual({ ok: true, version: 3 });
    expect(await store.get('s')).toEqual({ state: { step: 'done' }, version: 3 });
  });

  it('refuses a write whose expectedVersion is not the stored one, and keeps the stored state', async () => {
    const store = await fresh();
    await store.set('s', { n: 1 }, 0);
    await store.set('s', { n: 2 }, 1);
    expect(await store.set('s', { n: 99 }, 0)).toEqual({ ok: false }); // must not exist yet, but does
    expect(await store.set('s', { n: 99 }, 1)).toEqual({ ok: false }); // stale
    expect(await store.set('s', { n: 99 }, 3)).toEqual({ ok: false }); // from the future
    expect(await store.set('absent', { n: 99 }, 1)).toEqual({ ok: false }); // absent is version 0
    expect(await store.get('s')).toEqual({ state: { n: 2 }, version: 2 });
    expect(await store.get('absent')).toBeNull();
  });

  it('lets exactly one of two writers holding the same version win', async () => {
    const store = await fresh();
    const other = await harness.peer(store);
    await store.set('s', { by: 'first' }, 0);
    const [a, b] = await Promise.all([store.set('s', { by: 'a' }, 1), other.set('s', { by: 'b' }, 1)]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const stored = await store.get('s');
    expect(stored?.version).toBe(2);
    expect(stored?.state).toEqual(a.ok ? { by: 'a' } : { by: 'b' });
  });

  it('deletes a session; a new one under the same id starts again at version 1', async () => {
    const store = await fresh();
    await store.set('s', { n: 1 }, 0);
    await store.set('s', { n: 2 }, 1);
    await store.delete('s');
    expect(await store.get('s')).toBeNull();
    await expect(store.delete('s')).resolves.toBeUndefined();
    expect(await store.set('s', { n: 3 }, 2)).toEqual({ ok: false });
    expect(await store.set('s', { n: 3 }, 0)).toEqual({ ok: true, version: 1 });
  });

  it('keeps sessions apart, whatever characters their ids hold', async () => {
    const store = await fresh();
    const ids = ['a', 'a:b', 'a:b:c', 'wechat:o6_bmjrPT', '客服会话-42', '😀', 'a b', '*', '{"version":1,'];
    for (const [i, id] of ids.entries()) expect(await store.set(id, { i }, 0)).toEqual({ ok: true, version: 1 });
    for (const [i, id] of ids.entries()) expect(await store.get(id)).toEqual({ state: { i }, version: 1 });
    await store.delete('a');
    expect(await store.get('a:b')).toEqual({ state: { i: 1 }, version: 1 });
  });

  it('round-trips any JSON value, Chinese text and emoji included', async () => {
    const store = await fresh();
    const states: unknown[] = [
      { slots: { city: '上海市', date: '2026-05-01' }, history: ['我要退货', '订单号 202611210001234567 😭'], n: -1.5, on: true, none: null },
      ['a', 1, null, [{}], { '': '', 'key with space': 'x', 'quote"': '\\', '\u2028': '\u0000' }],
      '只是一段文字',
      42,
      null,
      false,
    ];
    for (const [i, state] of states.entries()) {
      await store.set(`s${i}`, state, 0);
      expect((await store.get(`s${i}`))?.state).toEqual(state);
    }
  });

  it('stores a copy: changing what was written or what was read does not change the session', async () => {
    const store = await fresh();
    const written = { slots: { city: '北京市' }, list: [1, 2] };
    await store.set('s', written, 0);
    written.slots.city = 'changed';
    written.list.push(3);
    const first = await store.get('s');
    expect(first?.state).toEqual({ slots: { city: '北京市' }, list: [1, 2] });
    const read = first?.state as { slots: { city: string }; list: number[] };
    read.slots.city = 'mutated';
    read.list.length = 0;
    const second = await store.get('s');
    expect(second?.state).toEqual({ slots: { city: '北京市' }, list: [1, 2] });
    expect(second?.state).not.toBe(first?.state);
  });

  it('rejects state that does not survive JSON with STATE_NOT_JSON, naming each path, and writes nothing', async () => {
    const store = await fresh();
    await store.set('s', { ok: 1 }, 0);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const bad: unknown[] = [
      { when: new Date(0) },
      { n: Number.NaN },
      { big: 1n },
      { f: () => 1 },
      { u: undefined },
      { m: new Map() },
      cyclic,
      undefined,
    ];
    for (const state of bad) {
      await expect(store.set('s', state, 1)).rejects.toMatchObject({ code: 'STATE_NOT_JSON' });
    }
    await expect(store.set('s', { slots: { at: new Date(0), list: [1, Number.POSITIVE_INFINITY] } }, 1)).rejects.toMatchObject({
      code: 'STATE_NOT_JSON',
      details: { issues: [{ path: 'state.slots.at' }, { path: 'state.slots.list[1]' }] },
    });
    expect(await store.get('s')).toEqual({ state: { ok: 1 }, version: 1 });
  });

  it('rejects a bad session id or expectedVersion with INVALID_INPUT', async () => {
    const store = await fresh();
    const loose = store as unknown as Record<'get' | 'set' | 'delete', (...args: unknown[]) => Promise<unknown>>;
    for (const id of ['', 42, null, undefined, {}]) {
      await expect(loose.get(id)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(loose.set(id, {}, 0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(loose.delete(id)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    for (const version of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1', null, undefined]) {
      await expect(loose.set('s', {}, version)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(await store.get('s')).toBeNull();
  });

  it('reads a session idle for the TTL as absent, and a new one then starts at version 1', async () => {
    const store = await fresh();
    await store.set('s', { n: 1 }, 0);
    await store.set('s', { n: 2 }, 1);
    await harness.elapse(store, ['s'], TTL - 1_000);
    expect(await store.get('s')).toEqual({ state: { n: 2 }, version: 2 });
    await harness.elapse(store, ['s'], TTL);
    expect(await store.get('s')).toBeNull();
    expect(await store.set('s', { n: 3 }, 2)).toEqual({ ok: false });
    expect(await store.set('s', { n: 3 }, 0)).toEqual({ ok: true, version: 1 });
  });

  it('counts idle time from the last read or write', async () => {
    const store = await fresh();
    await store.set('read', { n: 1 }, 0);
    await store.set('written', { n: 1 }, 0);
    await harness.elapse(store, ['read', 'written'], TTL - 1_000);
    expect(await store.get('read')).not.toBeNull();
    expect(await store.set('written', { n: 2 }, 1)).toEqual({ ok: true, version: 2 });
    await harness.elapse(store, ['read', 'written'], TTL - 1_000);
    expect(await store.get('read')).toEqual({ state: { n: 1 }, version: 1 });
    expect(await store.get('written')).toEqual({ state: { n: 2 }, version: 2 });
  });

  it('refuses every call after close() with STORE_CLOSED; close() twice is fine', async () => {
    const store = await fresh();
    await store.set('s', { n: 1 }, 0);
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.get('s')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.set('s', { n: 2 }, 1)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.delete('s')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('loses no update under concurrent read-modify-write loops that retry on conflict', async () => {
    const store = await fresh();
    const stores = [store, await harness.peer(store), await harness.peer(store)];
    const options = { sessions: 25, writers: 6, perWriter: 8, prefix: 'counter:' };
    const stats = await runCounterLoad(stores, options);
    const perSession = options.writers * options.perWriter;
    expect(stats.increments).toBe(options.sessions * perSession);
    expect(stats.conflicts).toBeGreaterThan(0);
    for (let s = 0; s < options.sessions; s++) {
      expect(await store.get(`counter:${s}`)).toEqual({ state: { count: perSession }, version: perSession });
    }
  });
}
