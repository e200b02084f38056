import { assertOptions, checkOption } from '../internal/assert.js';
import { stateOf } from './faq-index.js';
import { dayIn, isLive, toDate, DEFAULT_SEARCH_FAQ_OPTIONS } from './search.js';
import type { FaqIndex } from './types.js';

/**
 * Hot-question counters (热门问题): per entry id, a time-decayed count of how often it was answered. Plain JSON;
 * store it where the bot keeps its state. Create with {@link createHotQuestions}.
 */
export interface HotQuestions {
  /** A count halves after this many days without hits. */
  readonly halfLifeDays: number;
  /** Per id: the decayed count as of `at` (epoch milliseconds). */
  readonly counts: Readonly<Record<string, { readonly count: number; readonly at: number }>>;
}

/** One hot question. */
export interface HotQuestion {
  readonly id: string;
  readonly question: string;
  /** Decayed hit count at `now`. */
  readonly score: number;
}

/** Defaults of the hot-question functions. */
export const DEFAULT_HOT_QUESTIONS_OPTIONS = { halfLifeDays: 7, k: 5 } as const;

const DAY_MS = 86_400_000;

/**
 * Empty hot-question counters.
 *
 * @example
 * ```ts
 * let hot = createHotQuestions({ halfLifeDays: 3 });
 * hot = recordFaqHit(hot, 'shipping_time', Date.now());
 * ```
 */
export function createHotQuestions(options?: { readonly halfLifeDays?: number }): HotQuestions {
  assertOptions(options, 'createHotQuestions');
  const halfLifeDays = options?.halfLifeDays ?? DEFAULT_HOT_QUESTIONS_OPTIONS.halfLifeDays;
  checkOption(typeof halfLifeDays === 'number' && halfLifeDays > 0 && Number.isFinite(halfLifeDays), 'createHotQuestions', 'halfLifeDays', halfLifeDays, 'a positive number of days');
  return { halfLifeDays, counts: {} };
}

const decayed = (c: { count: number; at: number }, now: number, halfLifeDays: number): number =>
  now <= c.at ? c.count : c.count * Math.pow(2, -(now - c.at) / (halfLifeDays * DAY_MS));

/**
 * Counts one hit of an entry at time `at`; returns new counters (the input is not changed).
 *
 * @example
 * ```ts
 * hot = recordFaqHit(hot, result.faq.id, new Date());
 * ```
 */
export function recordFaqHit(hot: HotQuestions, id: string, at: Date | number | string): HotQuestions {
  checkOption(typeof hot === 'object' && hot !== null && typeof hot.counts === 'object', 'recordFaqHit', 'hot', hot, 'counters from createHotQuestions');
  checkOption(typeof id === 'string' && id !== '', 'recordFaqHit', 'id', id, 'an entry id');
  const now = toDate(at, 'recordFaqHit').getTime();
  const prev = Object.hasOwn(hot.counts, id) ? hot.counts[id] : undefined;
  const base = prev ? decayed(prev, now, hot.halfLifeDays) : 0;
  return { ...hot, counts: { ...hot.counts, [id]: { count: base + 1, at: Math.max(now, prev?.at ?? now) } } };
}

/**
 * The `k` hottest entries at `now` that can be answered (enabled, in their validity window, still in the index),
 * best first; ties by id. Use them as "热门问题" before the customer types.
 *
 * @example
 * ```ts
 * topHotQuestions(index, hot, { k: 5, now: Date.now() }).map((q) => q.question);
 * ```
 */
export function topHotQuestions(
  index: FaqIndex,
  hot: HotQuestions,
  options?: { readonly k?: number; readonly now?: Date | number | string; readonly timeZone?: string },
): HotQuestion[] {
  const fn = 'topHotQuestions';
  const state = stateOf(index, fn);
  assertOptions(options, fn);
  checkOption(typeof hot === 'object' && hot !== null && typeof hot.counts === 'object', fn, 'hot', hot, 'counters from createHotQuestions');
  const k = options?.k ?? DEFAULT_HOT_QUESTIONS_OPTIONS.k;
  checkOption(Number.isInteger(k) && k >= 0, fn, 'k', k, 'a non-negative integer');
  const now = toDate(options?.now, fn);
  const today = dayIn(now, options?.timeZone ?? DEFAULT_SEARCH_FAQ_OPTIONS.timeZone);
  const out: HotQuestion[] = [];
  for (const [id, c] of Object.entries(hot.counts)) {
    const slot = state.slots.get(id);
    if (!slot || !isLive(slot, today)) continue;
    out.push({ id, question: slot.record.question, score: decayed(c, now.getTime(), hot.halfLifeDays) });
  }
  out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, k);
}
