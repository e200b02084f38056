// Session-store bench: round-trip latency and a concurrent load with forced conflicts, for the memory and Redis stores.
//   npm run bench:dialogue -- [--sessions 1000] [--messages 10] [--samples 5000] [--redis-url URL] [--no-redis] [--json FILE]
// Exit 0 = OK, 1 = a lost update (a session's final count differs from the messages sent to it), 2 = bad arguments.
// Redis: a throw-away redis-server on a free loopback port (as the tests start it), or --redis-url; skipped with a
// note where no redis-server binary exists.
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { describeEnvironment, latencyPercentiles, type LatencyPercentiles } from '../src/bench/index.js';
import { createMemoryStore, createRedisStore, type SessionStore } from '../src/dialogue/store/index.js';
import { findRedisServer, NO_REDIS_SERVER_REASON, startRedisServer, type RedisServer } from '../tests/helpers/redis-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Processes sharing one Redis in the load test: each is a store over its own connection. */
const REDIS_PROCESSES = 4;

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        sessions: { type: 'string', default: '1000' },
        messages: { type: 'string', default: '10' },
        samples: { type: 'string', default: '5000' },
        'redis-url': { type: 'string' },
        'no-redis': { type: 'boolean', default: false },
        json: { type: 'string' },
      },
    }).values;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return process.exit(2);
  }
})();
const positiveInt = (name: 'sessions' | 'messages' | 'samples', min: number): number => {
  const n = Number(parsed[name]);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be an integer of at least ${min}, got ${JSON.stringify(parsed[name])}`);
    process.exit(2);
  }
  return n;
};
const SESSIONS = positiveInt('sessions', 1);
const MESSAGES = positiveInt('messages', 2);
const SAMPLES = positiveInt('samples', 100);
if (MESSAGES % 2 !== 0) {
  console.error(`--messages must be even (messages arrive two at a time per session), got ${MESSAGES}`);
  process.exit(2);
}

/** A dialogue state of typical size (about 1 KB of JSON): flow position, slots, the last turns. */
interface BenchState {
  readonly count: number;
  readonly flow: string;
  readonly step: string;
  readonly slots: Readonly<Record<string, string>>;
  readonly history: readonly { readonly role: 'user' | 'bot'; readonly text: string }[];
}
const TURNS = ['我要退货，订单号 202611210001234567', '亲，请问退货原因是什么呢？', '尺码不合适，衣服太小了', '好的，已为您登记退货，快递员明天上门取件～'];
function nextState(previous: BenchState | undefined, message: number): BenchState {
  const history = [...(previous?.history ?? []), { role: message % 2 === 0 ? 'user' : 'bot', text: TURNS[message % TURNS.length] ?? '' } as const].slice(-10);
  return {
    count: (previous?.count ?? 0) + 1,
    flow: 'return_goods',
    step: message % 3 === 0 ? 'ask_reason' : 'confirm',
    slots: { order_id: '202611210001234567', reason: 'size_unfit', courier: 'SF' },
    history,
  };
}

/** One message's read-modify-write with retry on conflict, as a bot's handle() does. Returns the conflicts met. */
async function handleMessage(store: SessionStore<BenchState>, sessionId: string, message: number): Promise<number> {
  for (let conflicts = 0; ; conflicts++) {
    const current = await store.get(sessionId);
    const result = await store.set(sessionId, nextState(current?.state, message), current?.version ?? 0);
    if (result.ok) return conflicts;
  }
}

interface RoundTrip extends LatencyPercentiles {
  readonly operation: 'get+set';
}

/** get + set of one session, one at a time: the store's share of a handle() call's latency. */
async function roundTrip(store: SessionStore<BenchState>, label: string): Promise<RoundTrip> {
  const pool = 1_000;
  const versions = new Map<string, number>();
  const once = async (i: number): Promise<void> => {
    const id = `rt:${label}:${i % pool}`;
    const current = await store.get(id);
    const result = await store.set(id, nextState(current?.state, i), current?.version ?? 0);
    if (!result.ok) throw new Error(`round trip: unexpected conflict on ${id}`);
    versions.set(id, result.version);
  };
  for (let i = 0; i < Math.min(1_000, SAMPLES); i++) await once(i); // warm-up: JIT, connection, script cache
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await once(i);
    samples.push(performance.now() - t0);
  }
  return { operation: 'get+set', ...round(latencyPercentiles(samples)) };
}

interface LoadResult {
  readonly sessions: number;
  readonly messagesPerSession: number;
  readonly stores: number;
  readonly seconds: number;
  readonly sessionsPerSecond: number;
  readonly messagesPerSecond: number;
  readonly conflicts: number;
  readonly lostUpdates: number;
}

/**
 * All sessions at once; each receives its messages two at a time (both read the same version, one write loses and
 * retries), alternating between the stores as if the two messages reached different bot processes. Afterwards every
 * session's count and version must equal the messages sent to it.
 */
async function load(stores: readonly SessionStore<BenchState>[], label: string): Promise<LoadResult> {
  const ids = Array.from({ length: SESSIONS }, (_, i) => `load:${label}:${i}`);
  const at = (i: number): SessionStore<BenchState> => stores[i % stores.length] as SessionStore<BenchState>;
  let conflicts = 0;
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (id, s) => {
      for (let m = 0; m < MESSAGES; m += 2) {
        const [a, b] = await Promise.all([handleMessage(at(s + m), id, m), handleMessage(at(s + m + 1), id, m + 1)]);
        conflicts += a + b;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  let lostUpdates = 0;
  for (const id of ids) {
    const stored = await at(0).get(id);
    if (stored?.state.count !== MESSAGES || stored.version !== MESSAGES) lostUpdates++;
  }
  return {
    sessions: SESSIONS,
    messagesPerSession: MESSAGES,
    stores: stores.length,
    seconds: Number(seconds.toFixed(3)),
    sessionsPerSecond: Math.round(SESSIONS / seconds),
    messagesPerSecond: Math.round((SESSIONS * MESSAGES) / seconds),
    conflicts,
    lostUpdates,
  };
}

function round(p: LatencyPercentiles): LatencyPercentiles {
  const r = (ms: number): number => Number(ms.toFixed(4));
  return { p50Ms: r(p.p50Ms), p95Ms: r(p.p95Ms), p99Ms: r(p.p99Ms), samples: p.samples };
}

interface StoreResult {
  readonly store: 'memory' | 'redis';
  readonly roundTrip: RoundTrip;
  readonly load: LoadResult;
}
const results: StoreResult[] = [];
const skipped: Record<string, string> = {};

{
  const store = createMemoryStore<BenchState>({ maxSessions: SESSIONS + 2_000 });
  results.push({ store: 'memory', roundTrip: await roundTrip(store, 'memory'), load: await load([store], 'memory') });
  await store.close();
}

if (parsed['no-redis']) {
  skipped.redis = '--no-redis';
} else {
  const binary = findRedisServer();
  let server: RedisServer | undefined;
  const url = parsed['redis-url'] ?? (binary === null ? undefined : (server = await startRedisServer(binary)).url);
  if (url === undefined) {
    skipped.redis = NO_REDIS_SERVER_REASON;
  } else {
    const clients: Redis[] = [];
    try {
      const prefix = `kefu-bench:${process.pid}:`;
      const stores = await Promise.all(
        Array.from({ length: REDIS_PROCESSES }, async () => {
          const client = new Redis(url);
          clients.push(client);
          return createRedisStore<BenchState>({ client, keyPrefix: prefix });
        }),
      );
      const first = stores[0] as SessionStore<BenchState>;
      results.push({ store: 'redis', roundTrip: await roundTrip(first, 'redis'), load: await load(stores, 'redis') });
      // Leave nothing behind on a server given with --redis-url.
      for (let cursor = '0'; ; ) {
        const [next, keys] = await (clients[0] as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await (clients[0] as Redis).del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    } finally {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await server?.stop();
    }
  }
}

const environment = await describeEnvironment({ seed: 0, root: ROOT });
console.log(`Session stores, ${SESSIONS} sessions × ${MESSAGES} messages (two at a time per session); ${environment.cpu}, ${environment.cores} cores, Node ${environment.node}`);
console.log('');
console.log('| store | get+set p50 ms | p95 ms | p99 ms | load: stores | seconds | sessions/s | messages/s | conflicts retried | lost updates |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const { roundTrip: t, load: l } = r;
  console.log(`| ${r.store} | ${t.p50Ms} | ${t.p95Ms} | ${t.p99Ms} | ${l.stores} | ${l.seconds} | ${l.sessionsPerSecond} | ${l.messagesPerSecond} | ${l.conflicts} | ${l.lostUpdates} |`);
}
for (const [store, reason] of Object.entries(skipped)) console.log(`\n${store}: skipped: ${reason}`);
if (parsed.json !== undefined) {
  await writeFile(parsed.json, `${JSON.stringify({ environment, sessions: SESSIONS, messages: MESSAGES, samples: SAMPLES, results, skipped }, null, 2)}\n`);
}
const lost = results.filter((r) => r.load.lostUpdates > 0);
if (lost.length > 0) {
  console.error(`Lost updates: ${lost.map((r) => `${r.store} ${r.load.lostUpdates} sessions`).join(', ')}`);
  process.exit(1);
}
