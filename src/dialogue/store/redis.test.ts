import { createConnection } from 'node:net';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { findRedisServer, freePort, NO_REDIS_SERVER_REASON, startRedisServer, type RedisServer } from '../../../tests/helpers/redis-server.js';
import { runCounterLoad, sessionStoreConformance } from './conformance.test-helper.js';
import { createRedisStore, DEFAULT_REDIS_STORE_OPTIONS, type RedisScriptClient, type RedisStoreOptions } from './redis.js';
import type { SessionStore } from './types.js';

const binary = findRedisServer();
const title = (name: string): string => (binary === null ? `${name} (skipped: ${NO_REDIS_SERVER_REASON})` : name);

// One server for the whole file; every store gets its own key prefix, so tests never see each other's sessions.
let server: RedisServer | undefined;
const clients: Redis[] = [];
let prefixes = 0;

function newClient(): Redis {
  if (server === undefined) throw new Error('redis-server is not running');
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined); // a failing test reports the command's rejection; ioredis would print this
  clients.push(client);
  return client;
}

/** A client the tests use to look at keys the way an operator would. */
let admin: Redis;

if (binary !== null) {
  beforeAll(async () => {
    server = await startRedisServer(binary);
    admin = newClient();
  }, 20_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await server?.stop();
  });
}

describe.skipIf(binary === null)(title('redis store: conformance'), () => {
  const prefixOf = new WeakMap<SessionStore, { prefix: string; ttlMs: number }>();
  sessionStoreConformance({
    async create({ ttlMs }) {
      const keyPrefix = `conf${++prefixes}:`;
      const store = await createRedisStore({ client: newClient(), keyPrefix, ttlMs });
      prefixOf.set(store, { prefix: keyPrefix, ttlMs });
      return store;
    },
    // Another connection, as another bot process would have.
    async peer(store) {
      const config = prefixOf.get(store);
      if (config === undefined) throw new Error('unknown store');
      return createRedisStore({ client: newClient(), keyPrefix: config.prefix, ttlMs: config.ttlMs });
    },
    // Redis keeps the clock: shorten each key's remaining TTL by ms, or expire it now.
    async elapse(store, sessionIds, ms) {
      const config = prefixOf.get(store);
      if (config === undefined) throw new Error('unknown store');
      for (const id of sessionIds) {
        const key = config.prefix + id;
        const left = await admin.pttl(key);
        if (left < 0) continue;
        if (left - ms <= 0) await admin.pexpireat(key, 1);
        else await admin.pexpire(key, left - ms);
      }
    },
  });
});

describe.skipIf(binary === null)(title('redis store'), () => {
  const store = async (options: Partial<RedisStoreOptions> = {}): Promise<SessionStore> =>
    createRedisStore({ client: newClient(), keyPrefix: `t${++prefixes}:`, ...options });

  it('keeps each session as one JSON key {"version","state"} under the prefix, with a PX expiry', async () => {
    const s = await store({ keyPrefix: 'layout:', ttlMs: 90_000 });
    await s.set('wechat:o6', { slots: { city: '上海市' } }, 0);
    await s.set('wechat:o6', { slots: { city: '北京市' } }, 1);
    expect(JSON.parse((await admin.get('layout:wechat:o6')) ?? 'null')).toEqual({ version: 2, state: { slots: { city: '北京市' } } });
    const ttl = await admin.pttl('layout:wechat:o6');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(90_000);
    expect(await admin.keys('layout:*')).toEqual(['layout:wechat:o6']);
  });

  it('refreshes the expiry on read', async () => {
    const s = await store({ keyPrefix: 'refresh:', ttlMs: 90_000 });
    await s.set('a', 1, 0);
    await admin.pexpire('refresh:a', 5_000);
    await s.get('a');
    expect(await admin.pttl('refresh:a')).toBeGreaterThan(5_000);
  });

  it('sets no expiry with ttlMs Infinity', async () => {
    const s = await store({ keyPrefix: 'forever:', ttlMs: Number.POSITIVE_INFINITY });
    await s.set('a', 1, 0);
    await s.get('a');
    expect(await admin.pttl('forever:a')).toBe(-1);
  });

  it('uses the default prefix and TTL', async () => {
    expect(DEFAULT_REDIS_STORE_OPTIONS).toEqual({ keyPrefix: 'kefu:session:', ttlMs: 30 * 60 * 1000 });
    const s = await createRedisStore({ client: newClient() });
    await s.set('defaults-check', { n: 1 }, 0);
    const ttl = await admin.pttl('kefu:session:defaults-check');
    expect(ttl).toBeGreaterThan(29 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(30 * 60 * 1000);
    await s.delete('defaults-check');
  });

  it('reports a value kefu did not write under its prefix as STORE_FAILED, and does not overwrite it', async () => {
    const s = await store({ keyPrefix: 'foreign:' });
    await admin.set('foreign:a', 'not json');
    await admin.set('foreign:b', '{"state":1}');
    await expect(s.get('a')).rejects.toMatchObject({ code: 'STORE_FAILED', details: { reason: 'malformed', key: 'foreign:a' } });
    await expect(s.get('b')).rejects.toMatchObject({ code: 'STORE_FAILED', details: { reason: 'malformed' } });
    await expect(s.set('a', 1, 0)).rejects.toMatchObject({ code: 'STORE_FAILED', details: { reason: 'malformed' } });
    expect(await admin.get('foreign:a')).toBe('not json');
  });

  it('sends the script whole again after the server forgot it (restart, SCRIPT FLUSH)', async () => {
    const s = await store();
    await s.set('a', 1, 0);
    await admin.script('FLUSH');
    expect(await s.set('a', 2, 1)).toEqual({ ok: true, version: 2 });
    await admin.script('FLUSH');
    expect(await s.get('a')).toEqual({ state: 2, version: 2 });
    await admin.script('FLUSH');
    await s.delete('a');
    expect(await s.get('a')).toBeNull();
  });

  it('leaves a client it was given open on close()', async () => {
    const client = newClient();
    const s = await createRedisStore({ client, keyPrefix: `given${++prefixes}:` });
    await s.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('creates, uses and closes its own ioredis client with url', async () => {
    const url = server?.url ?? '';
    const s = await createRedisStore({ url, keyPrefix: 'own:' });
    const before = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
    expect(await s.set('a', { n: 1 }, 0)).toEqual({ ok: true, version: 1 });
    await s.close();
    const after = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
    expect(after).toBe(before - 1);
    expect(await admin.get('own:a')).toBe('{"version":1,"state":{"n":1}}');
    await expect(s.get('a')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('fails with STORE_FAILED, password redacted, when the url points at no server', async () => {
    const nobody = `redis://user:secret@127.0.0.1:${await freePort()}`;
    const error: unknown = await createRedisStore({ url: nobody }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(String((error as Error).message)).toContain('user:***@127.0.0.1');
    expect(String((error as Error).message)).not.toContain('secret');
    expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain('secret');
  });

  it('loses no update with four connections on 200 sessions, two messages per session at once', async () => {
    const keyPrefix = `load${++prefixes}:`;
    const stores = await Promise.all([0, 1, 2, 3].map(() => createRedisStore({ client: newClient(), keyPrefix })));
    const stats = await runCounterLoad(stores, { sessions: 200, writers: 2, perWriter: 5, prefix: 's' });
    expect(stats.increments).toBe(2_000);
    expect(stats.conflicts).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) expect(JSON.parse((await admin.get(`${keyPrefix}s${i}`)) ?? 'null')).toEqual({ version: 10, state: { count: 10 } });
  });

  it('test helper: stop() leaves no server listening', async () => {
    const extra = await startRedisServer(binary ?? 'redis-server');
    await extra.stop();
    await extra.stop();
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: extra.port });
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('rejects bad options with INVALID_OPTION', async () => {
    const client = newClient();
    const bad: [unknown, string][] = [
      [undefined, 'options'],
      [{}, 'client'],
      [{ client, url: 'redis://127.0.0.1:6379' }, 'client'],
      [{ client: {} }, 'client'],
      [{ url: 'http://127.0.0.1:6379' }, 'url'],
      [{ url: 42 }, 'url'],
      [{ client, keyPrefix: 7 }, 'keyPrefix'],
      [{ client, ttlMs: 0 }, 'ttlMs'],
      [{ client, ttlMs: 2.5 }, 'ttlMs'],
      [{ client, logger: true }, 'logger'],
    ];
    for (const [options, option] of bad) {
      await expect(createRedisStore(options as RedisStoreOptions)).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { option } });
    }
  });
});

describe('redis store without a server', () => {
  it('accepts an ioredis client or cluster as its client type', () => {
    expectTypeOf<Redis>().toExtend<RedisScriptClient>();
    expectTypeOf<Cluster>().toExtend<RedisScriptClient>();
  });

  it('fails with REDIS_CLIENT_MISSING and install advice when ioredis cannot be imported', async () => {
    vi.resetModules();
    vi.doMock('ioredis', () => {
      throw new Error("Cannot find package 'ioredis'");
    });
    try {
      const fresh = await import('./redis.js');
      const error: unknown = await fresh.createRedisStore({ url: 'redis://127.0.0.1:1' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'REDIS_CLIENT_MISSING' });
      expect((error as Error).message).toContain('npm install ioredis');
    } finally {
      vi.doUnmock('ioredis');
      vi.resetModules();
    }
  });

  it('does not import ioredis when given a client', async () => {
    vi.resetModules();
    vi.doMock('ioredis', () => {
      throw new Error("Cannot find package 'ioredis'");
    });
    try {
      const fresh = await import('./redis.js');
      const calls: unknown[][] = [];
      const client: RedisScriptClient = {
        eval: async (...args) => (calls.push(['eval', ...args]), null),
        evalsha: async (...args) => (calls.push(['evalsha', ...args]), null),
      };
      const s = await fresh.createRedisStore({ client, keyPrefix: 'p:' });
      expect(await s.get('a')).toBeNull();
      expect(calls).toEqual([['evalsha', expect.stringMatching(/^[0-9a-f]{40}$/), 1, 'p:a', 1_800_000]]);
    } finally {
      vi.doUnmock('ioredis');
      vi.resetModules();
    }
  });
});
