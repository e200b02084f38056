import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { KefuError } from '../errors.js';
import { assertOptions, checkOption, describe } from '../internal/assert.js';
import { EMOTION_LABELS, type EmotionLabel } from '../emotion/index.js';
import { createBoundedCounter, type BoundedCounter } from './counter.js';
import { parseTurnLogLine, turnLogRecordSchema, type TurnLogRecord } from './event.js';
import { DEFAULT_MINE_OPTIONS, mineUnanswered, type MineOptions } from './mine.js';
import type { AnalyticsReport, ShareCount, SkippedLine } from './report-types.js';

/** Options of {@link createConversationAggregator}, {@link summarizeConversations} and {@link summarizeLogFile}. */
export interface SummarizeOptions {
  /** IANA time zone for days and hours (default `Asia/Shanghai`). */
  readonly timeZone?: string;
  /** Decisions counted as fallbacks (default `['fallback']`). */
  readonly fallbackDecisions?: readonly string[];
  /** Further decisions counted as unanswered and mined with the fallbacks (default `['no_answer', 'unhandled']`). */
  readonly noAnswerDecisions?: readonly string[];
  /** Ratings at or above this count as satisfied (default 4, for a 1–5 scale). */
  readonly satisfiedMin?: number;
  /** Entries in the top intent / FAQ / reason lists (default 10). */
  readonly top?: number;
  /** Open sessions tracked at once (default 100,000); the least recently active is closed beyond it. */
  readonly maxSessions?: number;
  /** Distinct values kept per top-k counter (default 1,000): intents, FAQ ids, channels, reasons, days. */
  readonly maxDistinct?: number;
  /** Distinct unanswered texts kept for mining (default 20,000). */
  readonly maxUnanswered?: number;
  /** Clustering of unanswered messages; `false` skips it. */
  readonly mine?: MineOptions | false;
}

/** Defaults of {@link SummarizeOptions}. */
export const DEFAULT_SUMMARIZE_OPTIONS = {
  timeZone: 'Asia/Shanghai',
  fallbackDecisions: ['fallback'],
  noAnswerDecisions: ['no_answer', 'unhandled'],
  satisfiedMin: 4,
  top: 10,
  maxSessions: 100_000,
  maxDistinct: 1_000,
  maxUnanswered: 20_000,
} as const;

/** An incremental aggregator: feed events (or raw log lines) in log order, then `finish()`. Memory is bounded. */
export interface ConversationAggregator {
  /** Adds one event object; a value that breaks the schema is counted as skipped (with `line` when given). */
  add(event: unknown, line?: number): void;
  /** Parses and adds one JSONL line; blank lines are ignored, bad lines counted as skipped with their number. */
  addLine(text: string, line: number): void;
  /** Counts a line skipped elsewhere. */
  skip(line: number, reason: string): void;
  /** Closes the open sessions and builds the report; the aggregator can not be used afterwards. */
  finish(): AnalyticsReport;
}

/** Progress of {@link summarizeLogFile}, reported about every 20,000 lines and at the end. */
export interface LogProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
}

interface Session {
  turns: number;
  resolved: boolean;
  handoff: boolean;
  rated: boolean;
  angry: boolean;
}

const MAX_SAMPLES = 20;
/** The channel name reported for events logged with `channel: null`. */
const NO_CHANNEL = '(none)';
/** Unanswered texts are kept up to this length (bounded memory; clustering reads the first 300 characters). */
const MAX_TEXT = 300;
const BLOOM_BITS = 1 << 23;

/**
 * Creates the streaming aggregator behind `kefu report`: volumes by day, hour and channel; top intents and FAQ
 * entries; bot-only resolution (独立解决率), handoff and fallback rates and reasons; average turns; satisfaction;
 * emotions; and the unanswered messages, clustered at the end. Sessions live in a bounded LRU table
 * (`maxSessions`): a conversation whose session is evicted and later comes back is counted twice (the report
 * estimates how often with a Bloom filter); counters keep `maxDistinct` values (lossy counting). The report's
 * `approximations` says whether any bound was hit.
 *
 * @example
 * ```ts
 * const agg = createConversationAggregator({ timeZone: 'UTC' });
 * for (const event of events) agg.add(event);
 * const report = agg.finish();
 * report.rates.botOnlyResolution; // 0.62
 * ```
 */
export function createConversationAggregator(options?: SummarizeOptions): ConversationAggregator {
  assertOptions(options, 'createConversationAggregator');
  const o = { ...DEFAULT_SUMMARIZE_OPTIONS, ...(options ?? {}) };
  const fn = 'createConversationAggregator';
  let zone: Intl.DateTimeFormat;
  try {
    zone = new Intl.DateTimeFormat('en-CA', { timeZone: o.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  } catch {
    checkOption(false, fn, 'timeZone', o.timeZone, 'an IANA time zone such as Asia/Shanghai or UTC');
    throw new Error('unreachable');
  }
  for (const key of ['fallbackDecisions', 'noAnswerDecisions'] as const) {
    checkOption(Array.isArray(o[key]) && o[key].every((d) => typeof d === 'string'), fn, key, o[key], 'an array of decision strings');
  }
  checkOption(typeof o.satisfiedMin === 'number' && Number.isFinite(o.satisfiedMin), fn, 'satisfiedMin', o.satisfiedMin, 'a finite number');
  for (const key of ['top', 'maxSessions', 'maxDistinct', 'maxUnanswered'] as const) {
    checkOption(Number.isInteger(o[key]) && o[key] >= 1, fn, key, o[key], 'a positive integer');
  }
  const mine = options?.mine;
  checkOption(mine === undefined || mine === false || (typeof mine === 'object' && mine !== null), fn, 'mine', mine, 'mineUnanswered options or false');
  const fallback = new Set(o.fallbackDecisions);
  const unansweredDecisions = new Set([...o.fallbackDecisions, ...o.noAnswerDecisions]);

  let lines = 0;
  let events = 0;
  let skipped = 0;
  const samples: SkippedLine[] = [];
  let from: { ms: number; iso: string } | null = null;
  let to: { ms: number; iso: string } | null = null;
  let conversations = 0;
  let resolvedConversations = 0;
  let botOnly = 0;
  let handoffConversations = 0;
  let ratedConversations = 0;
  let angryConversations = 0;
  let fallbackTurns = 0;
  let unansweredTurns = 0;
  let handoffEvents = 0;
  let intentTurns = 0;
  let faqTurns = 0;
  let ratingSum = 0;
  let ratingCount = 0;
  let satisfied = 0;
  let evicted = 0;
  let reappeared = 0;
  let finished = false;
  const hours = new Array<number>(24).fill(0);
  const emotions: Record<EmotionLabel | 'none', number> = { angry: 0, anxious: 0, dissatisfied: 0, satisfied: 0, neutral: 0, none: 0 };
  const cap = o.maxDistinct;
  const dayTurns = createBoundedCounter(Math.max(cap, 4000));
  const dayConversations = createBoundedCounter(Math.max(cap, 4000));
  const channelTurns = createBoundedCounter(cap);
  const channelConversations = createBoundedCounter(cap);
  const intents = createBoundedCounter(cap);
  const faqs = createBoundedCounter(cap);
  const reasons = createBoundedCounter(cap);
  const ratings = createBoundedCounter(cap);
  const unanswered = createBoundedCounter<string>(o.maxUnanswered);
  const counters: BoundedCounter<unknown>[] = [dayTurns, dayConversations, channelTurns, channelConversations, intents, faqs, reasons, ratings];
  const sessions = new Map<string, Session>();
  const bloom = new Uint8Array(BLOOM_BITS / 8);
  const bucketCache = new Map<number, { day: string; hour: number }>();

  const bucket = (ms: number): { day: string; hour: number } => {
    // Every zone offset is a multiple of 15 minutes, so one lookup per quarter hour is exact.
    const key = Math.floor(ms / 900_000);
    let b = bucketCache.get(key);
    if (b === undefined) {
      const parts: Record<string, string> = {};
      for (const p of zone.formatToParts(new Date(ms))) parts[p.type] = p.value;
      b = { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
      if (bucketCache.size > 10_000) bucketCache.clear();
      bucketCache.set(key, b);
    }
    return b;
  };

  const bloomHashes = (id: string): number[] => {
    let h1 = 0x811c9dc5;
    let h2 = 0x12345678;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
    }
    return [0, 1, 2].map((k) => ((h1 + Math.imul(k, h2 | 1)) >>> 0) % BLOOM_BITS);
  };

  const close = (s: Session): void => {
    if (s.resolved) resolvedConversations += 1;
    if (s.resolved && !s.handoff) botOnly += 1;
    if (s.handoff) handoffConversations += 1;
    if (s.rated) ratedConversations += 1;
    if (s.angry) angryConversations += 1;
  };

  const skip = (line: number, reason: string): void => {
    skipped += 1;
    if (samples.length < MAX_SAMPLES) samples.push({ line, reason });
  };

  const addValid = (e: TurnLogRecord): void => {
    const ms = Date.parse(e.time);
    events += 1;
    if (from === null || ms < from.ms) from = { ms, iso: e.time };
    if (to === null || ms > to.ms) to = { ms, iso: e.time };
    const { day, hour } = bucket(ms);
    dayTurns.add(day);
    hours[hour] = (hours[hour] as number) + 1;
    const channel = e.channel ?? NO_CHANNEL;
    channelTurns.add(channel);

    let s = sessions.get(e.session);
    if (s === undefined) {
      s = { turns: 0, resolved: false, handoff: false, rated: false, angry: false };
      conversations += 1;
      dayConversations.add(day);
      channelConversations.add(channel);
      if (evicted > 0 && bloomHashes(e.session).every((b) => ((bloom[b >>> 3] as number) & (1 << (b & 7))) !== 0)) reappeared += 1;
      if (sessions.size >= o.maxSessions) {
        const [oldId, old] = sessions.entries().next().value as [string, Session];
        sessions.delete(oldId);
        close(old);
        evicted += 1;
        for (const b of bloomHashes(oldId)) bloom[b >>> 3] = (bloom[b >>> 3] as number) | (1 << (b & 7));
      }
    } else {
      sessions.delete(e.session); // re-insert: Map order is the LRU order
    }
    sessions.set(e.session, s);
    s.turns += 1;
    if (e.resolved) s.resolved = true;
    if (e.handoff !== null) {
      s.handoff = true;
      handoffEvents += 1;
      reasons.add(e.handoff.reason);
    }
    if (e.rating !== null) {
      s.rated = true;
      ratingCount += 1;
      ratingSum += e.rating;
      if (e.rating >= o.satisfiedMin) satisfied += 1;
      ratings.add(String(e.rating));
    }
    if (e.emotion !== null && EMOTION_LABELS.includes(e.emotion as EmotionLabel)) {
      emotions[e.emotion as EmotionLabel] += 1;
      if (e.emotion === 'angry') s.angry = true;
    } else emotions.none += 1;
    if (e.intent !== null) {
      intentTurns += 1;
      intents.add(e.intent);
    }
    if (e.faq !== null) {
      faqTurns += 1;
      faqs.add(e.faq);
    }
    if (fallback.has(e.decision)) fallbackTurns += 1;
    if (unansweredDecisions.has(e.decision) && e.rating === null) {
      unansweredTurns += 1;
      const text = e.text.trim().slice(0, MAX_TEXT);
      if (text !== '') unanswered.add(text);
    }
  };

  const ensureOpen = (): void => {
    if (finished) throw new KefuError('INVALID_INPUT', 'The conversation aggregator has finished; create a new one for more events.', {});
  };

  return {
    add(event: unknown, line?: number): void {
      ensureOpen();
      lines += 1;
      const r = turnLogRecordSchema.safeParse(event);
      if (r.success) addValid(r.data);
      else skip(line ?? lines, r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    },
    addLine(text: string, line: number): void {
      ensureOpen();
      lines += 1;
      if (typeof text !== 'string') {
        skip(line, `not a line of text: ${describe(text)}`);
        return;
      }
      if (text.trim() === '') return;
      const r = parseTurnLogLine(text);
      if (r.ok) addValid(r.event);
      else skip(line, r.reason);
    },
    skip(line: number, reason: string): void {
      ensureOpen();
      lines += 1;
      skip(line, reason);
    },
    finish(): AnalyticsReport {
      ensureOpen();
      finished = true;
      for (const s of sessions.values()) close(s);
      sessions.clear();
      const rate = (a: number, b: number): number => (b === 0 ? 0 : a / b);
      const shares = (c: BoundedCounter<unknown>, total: number, k: number): ShareCount[] =>
        c.top(k).map((x) => ({ name: x.key, count: x.count, share: rate(x.count, total) }));
      const messages = unanswered.top();
      const clusters = mine === false ? [] : mineUnanswered(messages.map((m) => ({ text: m.key, count: m.count })), { ...DEFAULT_MINE_OPTIONS, ...(mine ?? {}) });
      const counterErrorBound = Math.max(0, ...counters.map((c) => c.errorBound));
      const notes: string[] = [];
      if (evicted > 0) {
        notes.push(
          `${evicted} session(s) were closed early to stay within maxSessions = ${o.maxSessions}; about ${reappeared} came back later and were counted as new conversations.`,
        );
      }
      if (unanswered.dropped > 0) notes.push(`${unanswered.dropped} rare distinct unanswered text(s) were forgotten to stay within maxUnanswered = ${o.maxUnanswered}.`);
      if (counterErrorBound > 0) notes.push(`Top lists are approximate: a count may be low by at most ${counterErrorBound}.`);
      const channelList = channelTurns.top().map((c) => ({ channel: c.key, turns: c.count, conversations: channelConversations.get(c.key) }));
      return {
        format: 'kefu/analytics-report',
        formatVersion: 1,
        timeZone: o.timeZone,
        period: { from: from?.iso ?? null, to: to?.iso ?? null },
        input: { lines, events, skipped, skippedSamples: samples },
        totals: {
          turns: events,
          conversations,
          resolvedConversations,
          botOnlyResolvedConversations: botOnly,
          handoffConversations,
          fallbackTurns,
          unansweredTurns,
        },
        rates: {
          botOnlyResolution: rate(botOnly, conversations),
          handoff: rate(handoffConversations, conversations),
          fallback: rate(fallbackTurns, events),
          unanswered: rate(unansweredTurns, events),
          averageTurns: rate(events, conversations),
        },
        volume: {
          byDay: dayTurns
            .top()
            .map((d) => ({ day: d.key, turns: d.count, conversations: dayConversations.get(d.key) }))
            .sort((a, b) => (a.day < b.day ? -1 : 1)),
          byHour: hours.map((turns, hour) => ({ hour, turns })),
          byChannel: channelList,
        },
        topIntents: shares(intents, intentTurns, o.top),
        topFaq: shares(faqs, faqTurns, o.top),
        handoff: { conversations: handoffConversations, events: handoffEvents, reasons: shares(reasons, handoffEvents, o.top) },
        satisfaction: {
          ratings: ratingCount,
          mean: ratingCount === 0 ? null : ratingSum / ratingCount,
          distribution: ratings
            .top()
            .map((r) => ({ rating: Number(r.key), count: r.count }))
            .sort((a, b) => a.rating - b.rating),
          satisfiedShare: ratingCount === 0 ? null : satisfied / ratingCount,
          satisfiedMin: o.satisfiedMin,
          ratedConversations,
          responseRate: rate(ratedConversations, resolvedConversations),
        },
        emotions: { counts: { ...emotions }, angryConversations },
        unanswered: { messages: unansweredTurns, distinct: unanswered.size + unanswered.dropped, clusters },
        approximations: {
          exact: evicted === 0 && unanswered.dropped === 0 && counterErrorBound === 0,
          evictedSessions: evicted,
          reappearedSessions: reappeared,
          droppedUnanswered: unanswered.dropped,
          counterErrorBound,
          notes,
        },
      };
    },
  };
}

/**
 * Summarises logged turns already in memory (any iterable, e.g. a bot's collected events). Values that break the
 * event schema are skipped and counted with their 1-based position.
 *
 * @example
 * ```ts
 * const report = summarizeConversations(events, { timeZone: 'UTC' });
 * report.rates.handoff; // 0.25
 * ```
 */
export function summarizeConversations(events: Iterable<unknown>, options?: SummarizeOptions): AnalyticsReport {
  if (events === null || typeof (events as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
    throw new KefuError('INVALID_INPUT', `summarizeConversations: events must be an iterable of log events, got ${describe(events)}.`, { got: describe(events) });
  }
  const agg = createConversationAggregator(options);
  let i = 0;
  for (const e of events) agg.add(e, ++i);
  return agg.finish();
}

/** Options of {@link summarizeLogFile}. */
export interface SummarizeLogFileOptions extends SummarizeOptions {
  /** The JSONL conversation log. */
  readonly path: string;
  /** Called about every 20,000 lines and once at the end. */
  readonly onProgress?: (progress: LogProgress) => void;
}

/**
 * Summarises a JSONL conversation log in one streaming pass with bounded memory (see
 * {@link createConversationAggregator}). Malformed lines are skipped and counted with their line numbers. Throws
 * `LOG_READ_FAILED` when the file cannot be read.
 *
 * @example
 * ```ts
 * const report = await summarizeLogFile({ path: 'logs/bot.jsonl', onProgress: (p) => bar(p.bytesRead / p.totalBytes) });
 * ```
 */
export async function summarizeLogFile(options: SummarizeLogFileOptions): Promise<AnalyticsReport> {
  assertOptions(options, 'summarizeLogFile');
  checkOption(typeof options?.path === 'string' && options.path !== '', 'summarizeLogFile', 'path', options?.path, 'a file path');
  const onProgress = options.onProgress;
  checkOption(onProgress === undefined || typeof onProgress === 'function', 'summarizeLogFile', 'onProgress', onProgress, 'a function');
  const path = options.path;
  const agg = createConversationAggregator(options);
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (cause) {
    throw readFailed(path, cause);
  }
  const stream = createReadStream(path, { encoding: 'utf8' });
  let failure: unknown = null;
  stream.on('error', (cause) => {
    failure = cause;
  });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      agg.addLine(text, line);
      if (onProgress !== undefined && line % 20_000 === 0) onProgress({ bytesRead: stream.bytesRead, totalBytes, lines: line });
    }
  } catch (cause) {
    throw readFailed(path, failure ?? cause);
  }
  if (failure !== null) throw readFailed(path, failure);
  onProgress?.({ bytesRead: totalBytes, totalBytes, lines: line });
  return agg.finish();
}

function readFailed(path: string, cause: unknown): KefuError {
  return new KefuError(
    'LOG_READ_FAILED',
    `Cannot read the conversation log "${path}": ${cause instanceof Error ? cause.message : String(cause)}. Check the path; logs are JSONL files written by createJsonlLogSink.`,
    { path },
    { cause },
  );
}

