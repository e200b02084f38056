// Dialogue bench, for the memory and Redis session stores:
//   1. the store alone: get+set latency, and 1,000 concurrent sessions × --messages read-modify-write loops with
//      conflicts forced (two messages of a session at once);
//   2. through bot.handle() on the bundled pack fixtures/packs/ecommerce-zh: latency, and the same load.
//   npm run bench:dialogue -- [--sessions 1000] [--messages 10] [--handle-messages 4] [--samples 5000]
//                             [--handle-samples 2000] [--redis-url URL] [--no-redis] [--json FILE]
// Exit 0 = OK, 1 = a lost update (a session's final count or turn differs from the messages sent to it), 2 = bad
// arguments. Redis: a throw-away redis-server on a free loopback port (as the tests start it), or --redis-url;
// skipped with a note where no redis-server binary exists.
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { describeEnvironment, latencyPercentiles, type LatencyPercentiles } from '../src/bench/index.js';
import {
  createBot,
  createMemoryStore,
  createPackNlu,
  createRedisStore,
  loadPack,
  type Bot,
  type DialogueState,
  type NluFunction,
  type Pack,
  type SessionStore,
} from '../src/index.js';
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
        'handle-messages': { type: 'string', default: '4' },
        samples: { type: 'string', default: '5000' },
        'handle-samples': { type: 'string', default: '2000' },
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
const positiveInt = (name: 'sessions' | 'messages' | 'handle-messages' | 'samples' | 'handle-samples', min: number): number => {
  const n = Number(parsed[name]);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be an integer of at least ${min}, got ${JSON.stringify(parsed[name])}`);
    process.exit(2);
  }
  return n;
};
const SESSIONS = positiveInt('sessions', 1);
const MESSAGES = positiveInt('messages', 2);
const HANDLE_MESSAGES = positiveInt('handle-messages', 2);
const SAMPLES = positiveInt('samples', 100);
const HANDLE_SAMPLES = positiveInt('handle-samples', 100);
for (const [name, n] of [['messages', MESSAGES], ['handle-messages', HANDLE_MESSAGES]] as const) {
  if (n % 2 !== 0) {
    console.error(`--${name} must be even (messages arrive two at a time per session), got ${n}`);
    process.exit(2);
  }
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

/** Customer messages for the handle() runs: a return, FAQ questions, logistics, small talk. */
const CUSTOMER = [
  '你好',
  '订单202611210001234567的衣服尺码不合适，我要退货',
  '确认',
  '退货运费谁出？',
  '我的快递到哪了',
  '202611180003456712',
  '发票怎么开',
  '谢谢',
];

/** One handle() at a time over a pool of sessions, each advancing through the customer messages. */
async function handleLatency(bot: Bot, label: string): Promise<LatencyPercentiles> {
  const pool = 200;
  const say = (i: number, prefix: string): Promise<unknown> =>
    bot.handle(`${prefix}:${label}:${i % pool}`, CUSTOMER[Math.floor(i / pool) % CUSTOMER.length] ?? '', { channel: 'web' });
  for (let i = 0; i < Math.min(400, HANDLE_SAMPLES); i++) await say(i, 'warm');
  const samples: number[] = [];
  for (let i = 0; i < HANDLE_SAMPLES; i++) {
    const t0 = performance.now();
    await say(i, 'lat');
    samples.push(performance.now() - t0);
  }
  return round(latencyPercentiles(samples));
}

/** The load test through handle(): afterwards each session's turn count must equal the messages it was sent. */
async function handleLoad(bots: readonly Bot[], label: string): Promise<LoadResult> {
  const ids = Array.from({ length: SESSIONS }, (_, i) => `hload:${label}:${i}`);
  const at = (i: number): Bot => bots[i % bots.length] as Bot;
  const say = (s: number, m: number): Promise<unknown> =>
    at(s + m).handle(ids[s] ?? '', CUSTOMER[m % CUSTOMER.length] ?? '', { channel: 'web', user: { id: `u${s}` } });
  const conflictsBefore = bots.reduce((sum, b) => sum + (conflictsOf.get(b)?.() ?? 0), 0);
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (_id, s) => {
      for (let m = 0; m < HANDLE_MESSAGES; m += 2) await Promise.all([say(s, m), say(s, m + 1)]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  let lostUpdates = 0;
  for (const id of ids) if ((await at(0).getState(id))?.turn !== HANDLE_MESSAGES) lostUpdates++;
  return {
    sessions: SESSIONS,
    messagesPerSession: HANDLE_MESSAGES,
    stores: bots.length,
    seconds: Number(seconds.toFixed(3)),
    sessionsPerSecond: Math.round(SESSIONS / seconds),
    messagesPerSecond: Math.round((SESSIONS * HANDLE_MESSAGES) / seconds),
    conflicts: bots.reduce((sum, b) => sum + (conflictsOf.get(b)?.() ?? 0), 0) - conflictsBefore,
    lostUpdates,
  };
}

interface StoreResult {
  readonly store: 'memory' | 'redis';
  readonly roundTrip: RoundTrip;
  readonly load: LoadResult;
  readonly handle: LatencyPercentiles;
  readonly handleLoad: LoadResult;
}
const results: StoreResult[] = [];
const skipped: Record<string, string> = {};

// Trained once and shared by every bot, as the bots of one deployment would share one model file.
const PACK_DIR = 'fixtures/packs/ecommerce-zh';
const pack: Pack = await loadPack(resolve(ROOT, PACK_DIR));
const nlu: NluFunction = createPackNlu(pack);
/** Refused writes per bot, counted by a pass-through wrapper around its store (the bot retries them itself). */
const conflictsOf = new WeakMap<Bot, () => number>();
const botOver = (store: SessionStore<DialogueState>): Bot => {
  let conflicts = 0;
  const counting: SessionStore<DialogueState> = {
    get: (id) => store.get(id),
    set: async (id, state, expected) => {
      const result = await store.set(id, state, expected);
      if (!result.ok) conflicts++;
      return result;
    },
    delete: (id) => store.delete(id),
    close: () => store.close(),
  };
  const bot = createBot({ pack, nlu, store: counting, missingActions: 'mock' });
  conflictsOf.set(bot, () => conflicts);
  return bot;
};

{
  const store = createMemoryStore<BenchState>({ maxSessions: SESSIONS + 2_000 });
  const roundTripResult = await roundTrip(store, 'memory');
  const loadResult = await load([store], 'memory');
  await store.close();
  const bot = botOver(createMemoryStore<DialogueState>({ maxSessions: SESSIONS + 2_000 }));
  results.push({ store: 'memory', roundTrip: roundTripResult, load: loadResult, handle: await handleLatency(bot, 'memory'), handleLoad: await handleLoad([bot], 'memory') });
  await bot.close();
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
    const prefix = `kefu-bench:${process.pid}:`;
    const connect = (): Redis => {
      const client = new Redis(url);
      clients.push(client);
      return client;
    };
    try {
      const stores = await Promise.all(Array.from({ length: REDIS_PROCESSES }, () => createRedisStore<BenchState>({ client: connect(), keyPrefix: prefix })));
      const roundTripResult = await roundTrip(stores[0] as SessionStore<BenchState>, 'redis');
      const loadResult = await load(stores, 'redis');
      const bots = await Promise.all(
        Array.from({ length: REDIS_PROCESSES }, async () => botOver(await createRedisStore<DialogueState>({ client: connect(), keyPrefix: prefix }))),
      );
      const handleResult = await handleLatency(bots[0] as Bot, 'redis');
      results.push({ store: 'redis', roundTrip: roundTripResult, load: loadResult, handle: handleResult, handleLoad: await handleLoad(bots, 'redis') });
      // Leave nothing behind on a server given with --redis-url.
      const admin = connect();
      for (let cursor = '0'; ; ) {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.del(...keys);
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
console.log(`Dialogue bench: ${SESSIONS} concurrent sessions, two messages at a time per session; ${environment.cpu}, ${environment.cores} cores, Node ${environment.node}`);
console.log('');
console.log(`Session store alone (get+set one at a time; load: ${MESSAGES} read-modify-write messages per session)`);
console.log('');
console.log('| store | get+set p50 ms | p95 ms | p99 ms | load: stores | seconds | sessions/s | messages/s | conflicts retried | lost updates |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const { roundTrip: t, load: l } = r;
  console.log(`| ${r.store} | ${t.p50Ms} | ${t.p95Ms} | ${t.p99Ms} | ${l.stores} | ${l.seconds} | ${l.sessionsPerSecond} | ${l.messagesPerSecond} | ${l.conflicts} | ${l.lostUpdates} |`);
}
console.log('');
console.log(`bot.handle() on ${PACK_DIR} (default pack NLU, mock actions; load: ${HANDLE_MESSAGES} messages per session)`);
console.log('');
console.log('| store | handle p50 ms | p95 ms | p99 ms | load: bots | seconds | sessions/s | messages/s | conflicts retried | lost updates |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const { handle: h, handleLoad: l } = r;
  console.log(`| ${r.store} | ${h.p50Ms} | ${h.p95Ms} | ${h.p99Ms} | ${l.stores} | ${l.seconds} | ${l.sessionsPerSecond} | ${l.messagesPerSecond} | ${l.conflicts} | ${l.lostUpdates} |`);
}
for (const [store, reason] of Object.entries(skipped)) console.log(`\n${store}: skipped: ${reason}`);
if (parsed.json !== undefined) {
  const options = { sessions: SESSIONS, messages: MESSAGES, handleMessages: HANDLE_MESSAGES, samples: SAMPLES, handleSamples: HANDLE_SAMPLES, pack: PACK_DIR };
  await writeFile(parsed.json, `${JSON.stringify({ environment, options, results, skipped }, null, 2)}\n`);
}
const lost = results.flatMap((r) => [
  ...(r.load.lostUpdates > 0 ? [`${r.store} store: ${r.load.lostUpdates} sessions`] : []),
  ...(r.handleLoad.lostUpdates > 0 ? [`${r.store} handle(): ${r.handleLoad.lostUpdates} sessions`] : []),
]);
if (lost.length > 0) {
  console.error(`Lost updates: ${lost.join(', ')}`);
  process.exit(1);
}
