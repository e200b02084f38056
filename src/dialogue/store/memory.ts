import { assertOptions, checkOption } from '../../internal/assert.js';
import type { Logger } from '../../types.js';
import { checkExpectedVersion, checkSessionId, checkTtl, DEFAULT_SESSION_TTL_MS, storeClosedError } from './checks.js';
import { serializeSessionState } from './json-state.js';
import type { SessionStore, StoredSession, StoreWriteResult } from './types.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * A session neither read nor written for this many milliseconds reads as absent and is evicted. Positive integer, or
   * `Infinity` for no expiry. Default: {@link DEFAULT_MEMORY_STORE_OPTIONS}.ttlMs (30 minutes).
   */
  readonly ttlMs?: number;
  /**
   * At most this many sessions are kept; writing one more evicts the least recently used (read or written). Positive
   * integer or `Infinity`. Default: {@link DEFAULT_MEMORY_STORE_OPTIONS}.maxSessions (10,000).
   */
  readonly maxSessions?: number;
  /** The clock, in milliseconds. Default: `Date.now`. Tests inject one to make sessions expire without waiting. */
  readonly now?: () => number;
  /** Told (level `warn`, code `SESSION_EVICTED`) when the size bound evicts a session that had not expired. */
  readonly logger?: Logger;
}

/** Defaults of {@link createMemoryStore}. */
export const DEFAULT_MEMORY_STORE_OPTIONS = {
  ttlMs: DEFAULT_SESSION_TTL_MS,
  maxSessions: 10_000,
} as const satisfies MemoryStoreOptions;

/** The in-memory store: a {@link SessionStore} plus its current size. */
export interface MemorySessionStore<S = unknown> extends SessionStore<S> {
  /** Number of sessions held, expired ones excluded. */
  size(): number;
}

interface Entry {
  /** The state as JSON text: every `get` parses a fresh copy, so callers can never change what is stored. */
  readonly json: string;
  readonly version: number;
  usedAt: number;
}

/**
 * A session store in this process's memory: the default for one bot process. Sessions expire after `ttlMs` idle
 * (neither read nor written) and the least recently used one is evicted once `maxSessions` are held. States are kept
 * as JSON text, so what `get` returns is always a fresh copy. Operations are synchronous underneath, so a `set` is
 * atomic with respect to every other call; they return promises to share the {@link SessionStore} interface.
 *
 * Sessions live in one `Map` in least-recently-used order. Because any read or write both refreshes the idle clock
 * and moves the entry to the end, the front of the map is always the session idle longest: expired sessions are
 * swept from the front on each call in amortised constant time, and no timer is needed.
 *
 * @example
 * ```ts
 * const store = createMemoryStore<{ turns: number }>({ ttlMs: 15 * 60_000 });
 * const current = await store.get('wechat:o6_bmj');
 * const result = await store.set('wechat:o6_bmj', { turns: (current?.state.turns ?? 0) + 1 }, current?.version ?? 0);
 * // result.ok === false: another message of this session wrote first; read again and retry.
 * ```
 */
export function createMemoryStore<S = unknown>(options: MemoryStoreOptions = {}): MemorySessionStore<S> {
  const fn = 'createMemoryStore';
  assertOptions(options, fn);
  const ttlMs = options.ttlMs ?? DEFAULT_MEMORY_STORE_OPTIONS.ttlMs;
  checkTtl(ttlMs, fn);
  const maxSessions = options.maxSessions ?? DEFAULT_MEMORY_STORE_OPTIONS.maxSessions;
  checkOption(
    maxSessions === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxSessions) && maxSessions > 0),
    fn,
    'maxSessions',
    maxSessions,
    'a positive integer, or Infinity for no bound',
  );
  const now = options.now ?? Date.now;
  checkOption(typeof now === 'function', fn, 'now', now, 'a function returning milliseconds');
  const logger = options.logger;
  checkOption(logger === undefined || typeof logger === 'function', fn, 'logger', logger, 'a function (level, message, code)');

  const entries = new Map<string, Entry>();
  let isClosed = false;

  const isExpired = (entry: Entry, at: number): boolean => at - entry.usedAt >= ttlMs;

  /** Drops expired sessions from the front (longest idle first); stops at the first live one. */
  const sweep = (at: number): void => {
    for (const [id, entry] of entries) {
      if (!isExpired(entry, at)) return;
      entries.delete(id);
    }
  };

  /** The live entry of `sessionId`, or undefined; also removes it if it has expired. */
  const live = (sessionId: string, at: number): Entry | undefined => {
    const entry = entries.get(sessionId);
    if (entry === undefined) return undefined;
    if (isExpired(entry, at)) {
      entries.delete(sessionId);
      return undefined;
    }
    return entry;
  };

  const touch = (sessionId: string, entry: Entry, at: number): void => {
    entry.usedAt = at;
    entries.delete(sessionId);
    entries.set(sessionId, entry);
  };

  const open = (op: string): number => {
    if (isClosed) throw storeClosedError(`memory store ${op}`);
    const at = now();
    sweep(at);
    return at;
  };

  return {
    async get(sessionId: string): Promise<StoredSession<S> | null> {
      const at = open('get');
      checkSessionId(sessionId, 'memory store get');
      const entry = live(sessionId, at);
      if (entry === undefined) return null;
      touch(sessionId, entry, at);
      return { state: JSON.parse(entry.json) as S, version: entry.version };
    },

    async set(sessionId: string, state: S, expectedVersion: number): Promise<StoreWriteResult> {
      const at = open('set');
      checkSessionId(sessionId, 'memory store set');
      checkExpectedVersion(expectedVersion, 'memory store set');
      const json = serializeSessionState(state);
      const current = live(sessionId, at);
      if ((current?.version ?? 0) !== expectedVersion) return { ok: false };
      const version = expectedVersion + 1;
      entries.delete(sessionId);
      entries.set(sessionId, { json, version, usedAt: at });
      while (entries.size > maxSessions) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
        logger?.(
          'warn',
          `Memory session store is full (${maxSessions} sessions): evicted the least recently used session ${JSON.stringify(oldest.value)} before it expired. Raise maxSessions or use a shared store such as createRedisStore.`,
          'SESSION_EVICTED',
        );
      }
      return { ok: true, version };
    },

    async delete(sessionId: string): Promise<void> {
      open('delete');
      checkSessionId(sessionId, 'memory store delete');
      entries.delete(sessionId);
    },

    async close(): Promise<void> {
      isClosed = true;
      entries.clear();
    },

    size(): number {
      if (!isClosed) sweep(now());
      return entries.size;
    },
  };
}
