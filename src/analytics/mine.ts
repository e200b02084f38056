import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { KefuError } from '../errors.js';
import { assertOptions, checkOption, describe } from '../internal/assert.js';

/** One distinct unanswered message and how many times it was sent. */
export interface UnansweredMessage {
  readonly text: string;
  readonly count: number;
}

/** A group of similar unanswered messages: a candidate new FAQ entry or intent. */
export interface UnansweredCluster {
  /** Rank, 1 = most messages. */
  readonly rank: number;
  /** `faq` when most of its messages are questions (怎么, 吗, how, what…), else `intent` (requests: 我要, 帮我, I want). */
  readonly suggestion: 'faq' | 'intent';
  /** Messages in the group, repeats included. */
  readonly messages: number;
  /** Distinct texts in the group. */
  readonly distinct: number;
  /** The message that best represents the group (most central among the most frequent). */
  readonly label: string;
  /** The highest-weighted features of the group's centroid (character n-grams or words). */
  readonly terms: readonly string[];
  /** Up to `examples` distinct messages, most frequent first. */
  readonly examples: readonly UnansweredMessage[];
  /** Mean cosine similarity of the group's messages to its centroid (1 = identical wording). */
  readonly cohesion: number;
}

/** Options of {@link mineUnanswered}; defaults in {@link DEFAULT_MINE_OPTIONS}. */
export interface MineOptions {
  /** Cosine similarity to a group's centroid needed to join it (single pass, most frequent messages first). */
  readonly threshold?: number;
  /** Centroid similarity at which two groups are merged afterwards (agglomerative pass). */
  readonly mergeThreshold?: number;
  /** Groups with fewer messages are not reported. */
  readonly minMessages?: number;
  /** At most this many groups are reported. */
  readonly maxClusters?: number;
  /** Example messages kept per group. */
  readonly examples?: number;
  /** Character n-gram sizes taken from Chinese runs (Latin text gives words and word bigrams). */
  readonly ngrams?: readonly number[];
}

/** Defaults of {@link MineOptions}, chosen on the synthetic planted-group log (docs/analytics.md has the figures). */
export const DEFAULT_MINE_OPTIONS: Required<MineOptions> = {
  threshold: 0.3,
  mergeThreshold: 0.35,
  minMessages: 2,
  maxClusters: 20,
  examples: 5,
  ngrams: [1],
};

/** Longest text used for features: enough for any question, bounded cost for a pasted essay. */
const MAX_FEATURE_CHARS = 300;
/** Features per message used to find candidate groups. */
const CANDIDATE_FEATURES = 8;
const QUESTION = /[?？吗么嘛呢]|怎|如何|什么|多少|几|哪|能不能|可不可以|可以.{0,8}吗|是否|有没有|\b(how|what|when|where|why|which|can|do|does|is|are|will)\b/i;

type Vector = Map<string, number>;

/**
 * Clusters unanswered messages (fallbacks, no-answer turns) into candidate new FAQ entries or intents, ranked by
 * volume, each with example messages. Features are TF-IDF weighted Chinese characters (n-gram sizes configurable) and
 * Porter-stemmed Latin words (numbers and punctuation dropped), compared by cosine. Messages are taken most
 * frequent first; each joins the most similar group centroid at or above `threshold` or starts a new group (single
 * pass, candidates found through an inverted index); groups whose centroids reach `mergeThreshold` are then merged
 * until none are. Pure and deterministic; cost is roughly linear in the number of distinct messages.
 *
 * @example
 * ```ts
 * mineUnanswered([{ text: '能开专票吗', count: 3 }, { text: '可以开专用发票吗', count: 2 }, { text: '发票能开专票吗', count: 1 }]);
 * // → [{ rank: 1, suggestion: 'faq', messages: 6, distinct: 3, label: '能开专票吗', … }]
 * ```
 */
export function mineUnanswered(messages: readonly UnansweredMessage[], options?: MineOptions): readonly UnansweredCluster[] {
  assertOptions(options, 'mineUnanswered');
  const o = { ...DEFAULT_MINE_OPTIONS, ...(options ?? {}) };
  for (const key of ['threshold', 'mergeThreshold'] as const) {
    checkOption(typeof o[key] === 'number' && o[key] > 0 && o[key] <= 1, 'mineUnanswered', key, o[key], 'a number in (0, 1]');
  }
  checkOption(
    Array.isArray(o.ngrams) && o.ngrams.length > 0 && o.ngrams.every((k) => Number.isInteger(k) && k >= 1 && k <= 4),
    'mineUnanswered',
    'ngrams',
    o.ngrams,
    'a non-empty array of integers 1–4',
  );
  for (const key of ['minMessages', 'maxClusters', 'examples'] as const) {
    checkOption(Number.isInteger(o[key]) && o[key] >= 1, 'mineUnanswered', key, o[key], 'a positive integer');
  }
  if (!Array.isArray(messages)) {
    throw new KefuError('INVALID_INPUT', `mineUnanswered: messages must be an array of { text, count }, got ${describe(messages)}.`, { got: describe(messages) });
  }
  const bad = (messages as readonly unknown[]).findIndex((m) => {
    const r = m as { text?: unknown; count?: unknown } | null;
    return typeof r !== 'object' || r === null || typeof r.text !== 'string' || !(typeof r.count === 'number' && Number.isInteger(r.count) && r.count >= 1);
  });
  if (bad >= 0) {
    throw new KefuError('INVALID_INPUT', `mineUnanswered: messages[${bad}] must be { text: string, count: positive integer }, got ${describe(messages[bad])}.`, { index: bad });
  }

  // Merge duplicates, drop messages with no features (emoji only, punctuation).
  const merged = new Map<string, { text: string; count: number; terms: Map<string, number> }>();
  for (const m of messages) {
    const terms = features(m.text, o.ngrams);
    if (terms.size === 0) continue;
    const key = [...terms.keys()].sort().join('\u0001');
    const prev = merged.get(key);
    if (prev === undefined) merged.set(key, { text: m.text, count: m.count, terms });
    else {
      prev.count += m.count;
      if (m.count > prev.count - m.count) prev.text = m.text;
    }
  }
  const items = [...merged.values()].sort((a, b) => b.count - a.count || compare(a.text, b.text));
  if (items.length === 0) return [];

  // Document frequency over distinct messages.
  const df = new Map<string, number>();
  for (const it of items) for (const t of it.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = items.length;
  const vectors = items.map((it) => {
    const v: Vector = new Map();
    for (const [t, tf] of it.terms) v.set(t, (1 + Math.log(tf)) * Math.log(1 + n / (df.get(t) as number)));
    return normalize(v);
  });

  interface Group {
    members: number[];
    sum: Vector;
    centroid: Vector;
    messages: number;
    alive: boolean;
  }
  const groups: Group[] = [];
  const index = new Map<string, Set<number>>();
  const indexGroup = (g: number, v: Vector): void => {
    for (const t of v.keys()) {
      let s = index.get(t);
      if (s === undefined) index.set(t, (s = new Set()));
      s.add(g);
    }
  };

  items.forEach((it, i) => {
    const v = vectors[i] as Vector;
    const candidates = new Set<number>();
    for (const t of topKeys(v)) for (const g of index.get(t) ?? []) candidates.add(g);
    let best = -1;
    let bestSim = 0;
    for (const g of [...candidates].sort((a, b) => a - b)) {
      const sim = dot(v, (groups[g] as Group).centroid);
      if (sim > bestSim) {
        bestSim = sim;
        best = g;
      }
    }
    if (best >= 0 && bestSim >= o.threshold) {
      const g = groups[best] as Group;
      g.members.push(i);
      g.messages += it.count;
      addScaled(g.sum, v, it.count);
      g.centroid = normalize(new Map(g.sum));
      indexGroup(best, v);
    } else {
      const sum: Vector = new Map();
      addScaled(sum, v, it.count);
      groups.push({ members: [i], sum, centroid: normalize(new Map(sum)), messages: it.count, alive: true });
      indexGroup(groups.length - 1, v);
    }
  });

  // Agglomerative pass over group centroids: merge the most similar pair at or above mergeThreshold, repeatedly.
  for (let changed = true; changed; ) {
    changed = false;
    for (let a = 0; a < groups.length; a++) {
      const ga = groups[a] as Group;
      if (!ga.alive || ga.messages < o.minMessages) continue;
      const cands = new Set<number>();
      for (const t of topKeys(ga.centroid)) for (const g of index.get(t) ?? []) if (g > a) cands.add(g);
      let best = -1;
      let bestSim = 0;
      for (const b of [...cands].sort((x, y) => x - y)) {
        const gb = groups[b] as Group;
        if (!gb.alive) continue;
        const sim = dot(ga.centroid, gb.centroid);
        if (sim > bestSim) {
          bestSim = sim;
          best = b;
        }
      }
      if (best >= 0 && bestSim >= o.mergeThreshold) {
        const gb = groups[best] as Group;
        ga.members.push(...gb.members);
        ga.messages += gb.messages;
        addScaled(ga.sum, gb.sum, 1);
        ga.centroid = normalize(new Map(ga.sum));
        for (const t of gb.sum.keys()) index.get(t)?.add(a);
        gb.alive = false;
        changed = true;
      }
    }
  }

  const out = groups
    .filter((g) => g.alive && g.messages >= o.minMessages)
    .map((g) => {
      const members = [...g.members].sort((x, y) => (items[y] as (typeof items)[number]).count - (items[x] as (typeof items)[number]).count || x - y);
      const sims = members.map((i) => dot(vectors[i] as Vector, g.centroid));
      const cohesion = sims.reduce((s, x, k) => s + x * (items[members[k] as number] as (typeof items)[number]).count, 0) / g.messages;
      // Representative: among the members within 80% of the top count, the one closest to the centroid.
      const topCount = (items[members[0] as number] as (typeof items)[number]).count;
      let rep = 0;
      members.forEach((i, k) => {
        if ((items[i] as (typeof items)[number]).count >= 0.8 * topCount && (sims[k] as number) > (sims[rep] as number)) rep = k;
      });
      const questions = members.reduce((s, i) => s + (QUESTION.test((items[i] as (typeof items)[number]).text) ? (items[i] as (typeof items)[number]).count : 0), 0);
      return {
        messages: g.messages,
        distinct: members.length,
        label: (items[members[rep] as number] as (typeof items)[number]).text,
        terms: [...g.centroid.entries()]
          .sort((x, y) => y[1] - x[1] || compare(x[0], y[0]))
          .slice(0, 5)
          .map(([t]) => t.replace(/^[wh]:/, '')),
        examples: members.slice(0, o.examples).map((i) => ({ text: (items[i] as (typeof items)[number]).text, count: (items[i] as (typeof items)[number]).count })),
        cohesion: Math.round(cohesion * 1e4) / 1e4,
        suggestion: (questions * 2 >= g.messages ? 'faq' : 'intent') as 'faq' | 'intent',
      };
    })
    .sort((a, b) => b.messages - a.messages || b.distinct - a.distinct || compare(a.label, b.label))
    .slice(0, o.maxClusters);
  return out.map((c, k) => ({ rank: k + 1, ...c }));
}

/**
 * Term frequencies of one message: `h:` Chinese character n-grams of the given sizes (a run shorter than all of them
 * counts whole),
 * `w:` Latin words (Porter stems). Digits fold to `0` so order numbers do not split
 * groups.
 */
function features(raw: string, ngrams: readonly number[]): Map<string, number> {
  const text = raw.slice(0, MAX_FEATURE_CHARS).normalize('NFKC').toLowerCase().replace(/\d+/g, '0');
  const out = new Map<string, number>();
  const bump = (t: string): void => {
    out.set(t, (out.get(t) ?? 0) + 1);
  };
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    const sizes = chars.length < Math.min(...ngrams) ? [chars.length] : ngrams;
    for (const k of sizes) for (let i = 0; i + k <= chars.length; i++) bump(`h:${chars.slice(i, i + k).join('')}`);
  }
  // Bare numbers (already folded to 0) say nothing about the topic.
  const words = (text.match(/[a-z0-9]*[a-z][a-z0-9]*(?:'[a-z]+)?/g) ?? []).map((w) => PorterStemmer.stem(w));
  for (const w of words) bump(`w:${w}`);
  return out;
}

/**
 * The most distinctive features of a vector. Candidate groups are looked up by these only, so a feature every message
 * shares (怎么, "how") does not make each message a candidate of every group.
 */
function topKeys(v: Vector, k = CANDIDATE_FEATURES): string[] {
  return [...v.entries()]
    .sort((x, y) => y[1] - x[1] || compare(x[0], y[0]))
    .slice(0, k)
    .map(([t]) => t);
}

function normalize(v: Vector): Vector {
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) return v;
  for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, x] of small) {
    const y = large.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}

function addScaled(target: Vector, v: Vector, scale: number): void {
  for (const [k, x] of v) target.set(k, (target.get(k) ?? 0) + x * scale);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
