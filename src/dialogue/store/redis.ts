import { createHash } from 'node:crypto';
import { KefuError } from '../../errors.js';
import { assertOptions, checkOption, describe } from '../../internal/assert.js';
import type { Logger } from '../../types.js';
import { checkExpectedVersion, checkSessionId, checkTtl, DEFAULT_SESSION_TTL_MS, storeClosedError } from './checks.js';
import { serializeSessionState } from './json-state.js';
import type { SessionStore, StoredSession, StoreWriteResult } from './types.js';

/**
 * The two Redis commands the store needs, as `ioredis` names them. An `ioredis` `Redis` or `Cluster` instance fits
 * as it is; wrap another client in these two functions to use it.
 */
export interface RedisScriptClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/** Options of {@link createRedisStore}: pass `client` or `url`, not both. */
export interface RedisStoreOptions {
  /** A connected client you own; the store never closes it. */
  readonly client?: RedisScriptClient;
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…`: the store creates an `ioredis` client and closes it in `close()`. */
  readonly url?: string;
  /** Prepended to every session id to form its key. Default: {@link DEFAULT_REDIS_STORE_OPTIONS}.keyPrefix (`kefu:session:`). */
  readonly keyPrefix?: string;
  /**
   * A session neither read nor written for this many milliseconds expires (Redis `PX`). Positive integer, or
   * `Infinity` for no expiry. Default: {@link DEFAULT_REDIS_STORE_OPTIONS}.ttlMs (30 minutes).
   */
  readonly ttlMs?: number;
  /** Told (level `warn`, code `STORE_FAILED`) about connection errors of the client the store created. */
  readonly logger?: Logger;
}

/** Defaults of {@link createRedisStore}. */
export const DEFAULT_REDIS_STORE_OPTIONS = {
  keyPrefix: 'kefu:session:',
  ttlMs: DEFAULT_SESSION_TTL_MS,
} as const satisfies RedisStoreOptions;

/**
 * The value under a session key is JSON, `{"version":<n>,"state":<state>}`, always written with `version` first so
 * the scripts can read it with an anchored pattern instead of decoding the whole state. ARGV[ttl] is the TTL in
 * milliseconds, or 0 for none.
 */
const GET_SCRIPT = `local value = redis.call('GET', KEYS[1])
if value and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value`;

/**
 * Compare-and-set: KEYS[1] session key; ARGV[1] expected version (0 = must not exist), ARGV[2] state JSON, ARGV[3]
 * TTL ms. Returns the new version, 0 when the stored version differs, or an error when the stored value is not one
 * kefu wrote. A script runs atomically on the server, so no other client's command interleaves between the read
 * and the write: this is what makes the store safe across many bot processes.
 */
const SET_SCRIPT = `local value = redis.call('GET', KEYS[1])
local current = 0
if value then
  current = tonumber(string.match(value, '^{"version":(%d+),'))
  if not current then return redis.error_reply('KEFU_MALFORMED the value is not a kefu session') end
end
if current ~= tonumber(ARGV[1]) then return 0 end
local version = current + 1
local record = '{"version":' .. string.format('%d', version) .. ',"state":' .. ARGV[2] .. '}'
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], record, 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], record)
end
return version`;

const DELETE_SCRIPT = `redis.call('DEL', KEYS[1])
return 1`;

interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

const script = (name: string, source: string): Script => ({
  name,
  source,
  sha1: createHash('sha1').update(source).digest('hex'),
});
const SCRIPTS = { get: script('get', GET_SCRIPT), set: script('set', SET_SCRIPT), delete: script('delete', DELETE_SCRIPT) };

/** The parts of an `ioredis` client the store uses when it creates one itself. */
interface OwnedClient extends RedisScriptClient {
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
type RedisConstructor = new (url: string, options: { lazyConnect: boolean }) => OwnedClient;

/**
 * A session store in Redis, shared by any number of bot processes. Each session is one key (`keyPrefix` +
 * session id) holding `{"version":n,"state":…}` with a `PX` expiry refreshed on every read and write. `set` is a
 * compare-and-set in a Lua script (sent with `EVALSHA`, falling back to `EVAL` once the server has forgotten it), so
 * two messages of one session handled by two processes at once never lose an update: one write wins and the other
 * gets `{ ok: false }` and retries. Each script touches only its one key, so it also runs on Redis Cluster.
 *
 * With `url`, the store imports the optional peer dependency `ioredis` on demand and closes its client in `close()`;
 * with `client`, it uses yours and leaves it open.
 *
 * @throws KefuError `REDIS_CLIENT_MISSING` when `url` is given and `ioredis` is not installed, `STORE_FAILED` when
 *   the server cannot be reached, `INVALID_OPTION` for bad options.
 * @example
 * ```ts
 * const store = await createRedisStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ttlMs: 30 * 60_000 });
 * const bot = createBot({ pack, actions, store });
 * // on shutdown:
 * await store.close();
 * ```
 */
export async function createRedisStore<S = unknown>(options: RedisStoreOptions): Promise<SessionStore<S>> {
  const fn = 'createRedisStore';
  checkOption(options !== undefined, fn, 'options', options, 'an object with client or url');
  assertOptions(options, fn);
  const { client: givenClient, url } = options;
  checkOption(
    (givenClient === undefined) !== (url === undefined),
    fn,
    'client',
    givenClient === undefined ? 'neither client nor url' : 'both client and url',
    'exactly one of client (a connected ioredis client) or url (redis://host:port)',
  );
  if (givenClient !== undefined) {
    const shaped = givenClient as Partial<Record<keyof RedisScriptClient, unknown>> | null;
    checkOption(
      typeof shaped === 'object' && shaped !== null && typeof shaped.eval === 'function' && typeof shaped.evalsha === 'function',
      fn,
      'client',
      givenClient,
      'a Redis client with eval() and evalsha(), such as an ioredis Redis instance',
    );
  }
  if (url !== undefined) {
    const isUrl = typeof url === 'string' && /^rediss?:\/\/\S+$/.test(url);
    checkOption(isUrl, fn, 'url', typeof url === 'string' ? redactUrl(url) : url, 'a redis:// or rediss:// URL');
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_STORE_OPTIONS.keyPrefix;
  checkOption(typeof keyPrefix === 'string', fn, 'keyPrefix', keyPrefix, 'a string');
  const ttlMs = options.ttlMs ?? DEFAULT_REDIS_STORE_OPTIONS.ttlMs;
  checkTtl(ttlMs, fn);
  const logger = options.logger;
  checkOption(logger === undefined || typeof logger === 'function', fn, 'logger', logger, 'a function (level, message, code)');

  const owned = url === undefined ? undefined : await connect(url, logger);
  const client: RedisScriptClient = givenClient ?? (owned as OwnedClient);
  const ttlArg = Number.isFinite(ttlMs) ? ttlMs : 0;
  let isClosed = false;

  const run = async (which: Script, sessionId: string, args: (string | number)[]): Promise<unknown> => {
    if (isClosed) throw storeClosedError(`redis store ${which.name}`);
    checkSessionId(sessionId, `redis store ${which.name}`);
    const key = keyPrefix + sessionId;
    try {
      try {
        return await client.evalsha(which.sha1, 1, key, ...args);
      } catch (error) {
        // After a restart or SCRIPT FLUSH the server no longer knows the script: send it whole once; EVAL caches it.
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return await client.eval(which.source, 1, key, ...args);
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes('KEFU_MALFORMED')) throw malformed(key, error);
      throw new KefuError(
        'STORE_FAILED',
        `Redis session store ${which.name} of key ${JSON.stringify(key)} failed: ${error instanceof Error ? error.message : String(error)}. Check that the Redis server is reachable.`,
        { operation: which.name, key },
        { cause: error },
      );
    }
  };

  return {
    async get(sessionId: string): Promise<StoredSession<S> | null> {
      const reply = await run(SCRIPTS.get, sessionId, [ttlArg]);
      if (reply === null) return null;
      return parseRecord<S>(reply, keyPrefix + sessionId);
    },

    async set(sessionId: string, state: S, expectedVersion: number): Promise<StoreWriteResult> {
      if (isClosed) throw storeClosedError('redis store set');
      checkSessionId(sessionId, 'redis store set');
      checkExpectedVersion(expectedVersion, 'redis store set');
      const json = serializeSessionState(state);
      const reply = await run(SCRIPTS.set, sessionId, [expectedVersion, json, ttlArg]);
      if (typeof reply !== 'number' || !Number.isSafeInteger(reply) || reply < 0) {
        throw new KefuError(
          'STORE_FAILED',
          `Redis session store set of key ${JSON.stringify(keyPrefix + sessionId)} got an unexpected reply ${describe(reply)}. Pass an ioredis client (or one that returns integer replies as numbers).`,
          { operation: 'set', key: keyPrefix + sessionId, reply: describe(reply) },
        );
      }
      return reply === 0 ? { ok: false } : { ok: true, version: reply };
    },

    async delete(sessionId: string): Promise<void> {
      await run(SCRIPTS.delete, sessionId, []);
    },

    async close(): Promise<void> {
      if (isClosed) return;
      isClosed = true;
      if (owned === undefined) return;
      try {
        await owned.quit();
      } catch {
        // QUIT fails only when the connection is already gone; drop whatever is left of it.
        owned.disconnect();
      }
    },
  };
}

async function connect(url: string, logger: Logger | undefined): Promise<OwnedClient> {
  let Redis: RedisConstructor;
  try {
    const mod = (await import('ioredis')) as unknown as { Redis?: RedisConstructor; default?: RedisConstructor };
    const ctor = mod.Redis ?? mod.default;
    if (typeof ctor !== 'function') throw new TypeError('the ioredis module has no Redis export');
    Redis = ctor;
  } catch (cause) {
    throw new KefuError(
      'REDIS_CLIENT_MISSING',
      'createRedisStore({ url }) needs the optional peer dependency "ioredis": run npm install ioredis, or pass a connected client as { client }.',
      {},
      { cause },
    );
  }
  const client = new Redis(url, { lazyConnect: true });
  // Without a listener ioredis prints unhandled connection errors; kefu never prints, so they go to the logger.
  client.on('error', (error) => logger?.('warn', `Redis session store connection: ${error.message}`, 'STORE_FAILED'));
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    throw new KefuError(
      'STORE_FAILED',
      `Cannot connect to Redis at ${redactUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}. Check that the server runs and the url is right.`,
      { url: redactUrl(url) },
      { cause },
    );
  }
  return client;
}

function parseRecord<S>(reply: unknown, key: string): StoredSession<S> {
  if (typeof reply === 'string') {
    let record: unknown;
    try {
      record = JSON.parse(reply);
    } catch (cause) {
      throw malformed(key, cause);
    }
    if (typeof record === 'object' && record !== null && 'state' in record && 'version' in record) {
      const { state, version } = record as { state: S; version: unknown };
      if (typeof version === 'number' && Number.isSafeInteger(version) && version > 0) return { state, version };
    }
  }
  throw malformed(key, undefined);
}

function malformed(key: string, cause: unknown): KefuError {
  return new KefuError(
    'STORE_FAILED',
    `Redis key ${JSON.stringify(key)} holds a value kefu did not write (expected {"version":n,"state":…}). Use a keyPrefix no other program writes under, or delete the key.`,
    { key, reason: 'malformed' },
    cause === undefined ? {} : { cause },
  );
}

/** Hides the password of a Redis URL, so error messages and logs never carry it. */
function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) =>
    `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`,
  );
}
