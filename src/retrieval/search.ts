import { KefuError } from '../errors.js';
import { assertOptions, assertText, checkOption, describe } from '../internal/assert.js';
import type { FaqTerms } from './analyze.js';
import { bm25AccumulateAll, docCoverage, prepareQuery, resetScratch, type Bm25, type Bm25FamilyQuery, type Bm25Query } from './bm25.js';
import { classifierProbabilities } from './classifier.js';
import { checkThresholds, FAMILIES, stateOf, type FaqIndexState, type Slot } from './faq-index.js';
import { reciprocalRankFusion } from './fusion.js';
import { dot, normalized } from './vector-math.js';
import type {
  FaqCandidate,
  FaqHit,
  FaqIndex,
  FaqMatchKind,
  FaqReason,
  FaqDecision,
  FaqSearchResult,
  FaqThresholds,
  SearchFaqOptions,
} from './types.js';

/** Defaults of {@link SearchFaqOptions}. */
export const DEFAULT_SEARCH_FAQ_OPTIONS = { topK: 3, timeZone: 'Asia/Shanghai' } as const;

/**
 * Documents (and entries, at the entry level) kept for the exact rescoring after the cheap first pass. 32 rather than
 * 64: the same ranking of every held-out and leave-one-out query of the bundled pack with query p50 0.62 → 0.47 ms;
 * on the 100k-entry synthetic KB hit@1 0.481 → 0.477 with p95 ≈ 6.5 → 4.5 ms.
 */
const RESCORE_DOCS = 32;
/**
 * A term in more documents than this only rescores documents rarer terms found (see `bm25AccumulateAll`): at least
 * 300, else 0.3 % of the documents. On the bench's 100k-entry synthetic KB (300k questions), 1 % touched about
 * 3,400 documents per pass with query p95 ≈ 13 ms; 0.3 % touches about 820 with p95 ≈ 7 ms and hit@1 0.481 vs 0.484.
 * On the bundled pack (3,200 questions) a floor of 300 instead of 1,000 keeps 的/吗/我 from opening nearly every
 * question: p50 0.67 → 0.58 ms, the same ranking of every held-out and leave-one-out query.
 */
const OPEN_LIMIT_MIN = 300;
const OPEN_LIMIT_SHARE = 0.003;

/** One entry's scores during ranking. */
export interface RankedEntry {
  readonly slot: Slot;
  readonly score: number;
  /** Best document of the entry. */
  readonly doc: number;
  /** Per-part scores (best question per family, entry level per family, vector), for rank fusion. */
  readonly parts: readonly number[];
}

/** Context of one ranking pass. */
export interface RankContext {
  /** Today's date `YYYY-MM-DD` in the search's time zone, or null when no entry has a window. */
  readonly today: string | null;
  readonly queryVector: Float32Array | null;
  /** Document left out (leave-one-out tuning), or -1. */
  readonly excludeDoc: number;
  /** The classifier's calibrated probability per entry id, fused with the lexical score; null = lexical only. */
  readonly probs: ReadonlyMap<string, number> | null;
}

/** Entries the classifier alone brings into the ranking: its best few, so a paraphrase with no shared term is found. */
const CLASSIFIER_CANDIDATES = 10;

/** True when the entry may be returned now. */
export function isLive(slot: Slot, today: string | null): boolean {
  const r = slot.record;
  if (!r.enabled) return false;
  if (today === null) return true;
  if (r.validFrom !== undefined && today < r.validFrom) return false;
  if (r.validTo !== undefined && today > r.validTo) return false;
  return true;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of `now` in `timeZone`. */
export function dayIn(now: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(now);
}

/**
 * Ranks the smart entries for a query: BM25 query coverage per family over all postings, then for the best
 * documents the document coverage, blended `q^α · d^(1−α)` per family, weighted, optionally fused with the vector
 * cosine, and aggregated per entry by its best document.
 */
export function rankSmart(index: FaqIndex, state: FaqIndexState, terms: FaqTerms, ctx: RankContext): RankedEntry[] {
  const { weights, alpha, fusion } = index.config;
  const w = [weights.words, weights.chars, weights.pinyin];
  const scratch = state.scratch;
  const liveDocs = (state.families[0] as Bm25).liveDocs;
  const openLimit = Math.max(OPEN_LIMIT_MIN, Math.ceil(liveDocs * OPEN_LIMIT_SHARE));
  const queries = FAMILIES.map((f, i) => prepareQuery(state.families[i] as Bm25, terms[f]));
  const lexWeight = w.reduce((a, b) => a + b, 0);
  // The weighted families' queries, each against its index at one level (questions or whole entries).
  const familyQueries = (indexes: readonly Bm25[], qs: readonly Bm25Query[]): Bm25FamilyQuery[] =>
    FAMILIES.flatMap((_, i) => ((w[i] as number) > 0 ? [{ index: indexes[i] as Bm25, query: qs[i] as Bm25Query, family: i }] : []));
  bm25AccumulateAll(familyQueries(state.families, queries), scratch, openLimit);

  // First pass: weighted query coverage, keeping the best RESCORE_DOCS live documents.
  const keepDoc = new Int32Array(RESCORE_DOCS);
  const keepScore = new Float64Array(RESCORE_DOCS).fill(-1);
  let kept = 0;
  let minAt = 0;
  const offer = (d: number, s: number): void => {
    if (kept < RESCORE_DOCS) {
      keepDoc[kept] = d;
      keepScore[kept] = s;
      kept++;
      if (kept === RESCORE_DOCS) minAt = argMin(keepScore);
      return;
    }
    if (s <= (keepScore[minAt] as number)) return;
    keepDoc[minAt] = d;
    keepScore[minAt] = s;
    minAt = argMin(keepScore);
  };
  const liveOk = (d: number): Slot | null => {
    if (d === ctx.excludeDoc) return null;
    const slot = state.docSlot[d];
    return slot && isLive(slot, ctx.today) ? slot : null;
  };
  for (let t = 0; t < scratch.nTouched; t++) {
    const d = scratch.touched[t] as number;
    if (!liveOk(d)) continue;
    let s = 0;
    for (let i = 0; i < FAMILIES.length; i++) s += (w[i] as number) * Math.min(1, (scratch.scores[i] as Float64Array)[d] as number);
    offer(d, s);
  }
  // Per kept document: the query coverage of each family, then the IDF of the query terms it holds per family.
  const candidates = new Map<number, number[]>();
  for (let k = 0; k < kept; k++) {
    const d = keepDoc[k] as number;
    candidates.set(d, [
      ...FAMILIES.map((_, i) => Math.min(1, (scratch.scores[i] as Float64Array)[d] as number)),
      ...FAMILIES.map((_, i) => (scratch.hits[i] as Float64Array)[d] as number),
    ]);
  }
  resetScratch(scratch);

  // Vectors: exact nearest neighbours over every live document with a vector (O(documents × dim)).
  const qv = ctx.queryVector;
  const useVectors = qv !== null && weights.vector > 0;
  const cos = new Map<number, number>();
  if (useVectors) {
    const vk = new Int32Array(RESCORE_DOCS);
    const vs = new Float64Array(RESCORE_DOCS).fill(-2);
    let vKept = 0;
    let vMin = 0;
    for (let d = 0; d < state.nextDoc; d++) {
      const v = state.vectors[d];
      if (!v || !liveOk(d)) continue;
      const c = dot(qv, v);
      cos.set(d, c);
      if (vKept < RESCORE_DOCS) {
        vk[vKept] = d;
        vs[vKept] = c;
        vKept++;
        if (vKept === RESCORE_DOCS) vMin = argMin(vs);
      } else if (c > (vs[vMin] as number)) {
        vk[vMin] = d;
        vs[vMin] = c;
        vMin = argMin(vs);
      }
    }
    for (let k = 0; k < vKept; k++) {
      const d = vk[k] as number;
      if (!candidates.has(d)) candidates.set(d, [0, 0, 0, 0, 0, 0]);
    }
  }

  // Second pass: blend query and document coverage per family; best document per entry.
  const best = new Map<Slot, { lex: number; cos: number; doc: number; parts: number[] }>();
  for (const [d, qcov] of candidates) {
    const parts: number[] = [];
    let lex = 0;
    for (let i = 0; i < FAMILIES.length; i++) {
      const wi = w[i] as number;
      const q = qcov[i] as number;
      const sim = wi > 0 && q > 0 ? Math.pow(q, alpha) * Math.pow(docCoverage(state.families[i] as Bm25, d, qcov[FAMILIES.length + i] as number), 1 - alpha) : 0;
      parts.push(sim);
      lex += wi * sim;
    }
    lex /= lexWeight;
    const c = useVectors ? Math.max(0, cos.get(d) ?? 0) : 0;
    const slot = state.docSlot[d] as Slot;
    const prev = best.get(slot);
    if (!prev) best.set(slot, { lex, cos: c, doc: d, parts });
    else {
      if (lex > prev.lex) {
        prev.lex = lex;
        prev.doc = d;
      }
      prev.cos = Math.max(prev.cos, c);
      prev.parts = prev.parts.map((p, i) => Math.max(p, parts[i] ?? 0));
    }
  }

  // Entry level: each entry's questions as one document; how much of the message the entry's vocabulary covers.
  const beta = index.config.entryWeight;
  const entryParts = new Map<Slot, number[]>();
  if (beta > 0) {
    const es = state.entryScratch;
    const entryQueries = FAMILIES.map((f, i) => prepareQuery(state.entryFamilies[i] as Bm25, terms[f]));
    bm25AccumulateAll(familyQueries(state.entryFamilies, entryQueries), es, openLimit);
    // Only the best RESCORE_DOCS entries by entry-level score join the ranking (with every entry a question found).
    const topE = new Int32Array(RESCORE_DOCS);
    const topS = new Float64Array(RESCORE_DOCS).fill(-1);
    let nE = 0;
    let minE = 0;
    for (let t = 0; t < es.nTouched; t++) {
      const e = es.touched[t] as number;
      const slot = state.entrySlot[e];
      if (!slot || !isLive(slot, ctx.today)) continue;
      let sc = 0;
      for (let i = 0; i < FAMILIES.length; i++) sc += (w[i] as number) * Math.min(1, (es.scores[i] as Float64Array)[e] as number);
      if (best.has(slot)) {
        entryParts.set(slot, FAMILIES.map((_, i) => Math.min(1, (es.scores[i] as Float64Array)[e] as number)));
        continue;
      }
      if (nE < RESCORE_DOCS) {
        topE[nE] = e;
        topS[nE] = sc;
        nE++;
        if (nE === RESCORE_DOCS) minE = argMin(topS);
      } else if (sc > (topS[minE] as number)) {
        topE[minE] = e;
        topS[minE] = sc;
        minE = argMin(topS);
      }
    }
    for (let k = 0; k < nE; k++) {
      const e = topE[k] as number;
      entryParts.set(state.entrySlot[e] as Slot, FAMILIES.map((_, i) => Math.min(1, (es.scores[i] as Float64Array)[e] as number)));
    }
    resetScratch(es);
  }
  const ranked: RankedEntry[] = [];
  const zeros = FAMILIES.map(() => 0);
  const probs = ctx.probs;
  const slots = new Set<Slot>([...best.keys(), ...entryParts.keys()]);
  if (probs !== null) {
    const top = [...probs].sort((a, b) => b[1] - a[1]).slice(0, CLASSIFIER_CANDIDATES);
    for (const [id] of top) {
      const slot = state.slots.get(id);
      if (slot && slot.record.match === 'smart' && isLive(slot, ctx.today)) slots.add(slot);
    }
  }
  const pw = probs === null ? 0 : index.config.classifier.weight;
  for (const slot of slots) {
    const b = best.get(slot);
    const e = entryParts.get(slot) ?? zeros;
    let entryLex = 0;
    for (let i = 0; i < FAMILIES.length; i++) entryLex += (w[i] as number) * (e[i] as number);
    entryLex /= lexWeight;
    const lex = (1 - beta) * (b?.lex ?? 0) + beta * entryLex;
    const cosine = b?.cos ?? 0;
    const hybrid = useVectors ? (1 - weights.vector) * lex + weights.vector * cosine : lex;
    const p = probs === null ? 0 : (probs.get(slot.record.id) ?? 0);
    const score = probs === null ? hybrid : (1 - pw) * hybrid + pw * p;
    const parts = [...(b?.parts ?? zeros), ...e, ...(useVectors ? [cosine] : []), ...(probs === null ? [] : [p])];
    ranked.push({ slot, score, doc: b?.doc ?? (slot.docs[0] ?? -1), parts });
  }
  if (fusion === 'rrf' && ranked.length > 1) {
    const fused = reciprocalRankFusion(ranked.map((r) => r.parts));
    const order = ranked.map((_, i) => i).sort((a, b) => (fused[b] as number) - (fused[a] as number) || (ranked[b] as RankedEntry).score - (ranked[a] as RankedEntry).score);
    return order.map((i) => ranked[i] as RankedEntry);
  }
  ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return ranked;
}

function argMin(a: Float64Array): number {
  let m = 0;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) < (a[m] as number)) m = i;
  return m;
}

/** The rule entries (exact, regex, contains, in that priority) that match, live ones only. */
export function ruleMatches(state: FaqIndexState, terms: FaqTerms, today: string | null): { slot: Slot; via: FaqMatchKind; matched: string }[] {
  const out: { slot: Slot; via: FaqMatchKind; matched: string }[] = [];
  const seen = new Set<Slot>();
  const push = (slot: Slot, via: FaqMatchKind, matched: string): void => {
    if (seen.has(slot) || !isLive(slot, today)) return;
    seen.add(slot);
    out.push({ slot, via, matched });
  };
  for (const id of state.exact.get(terms.key) ?? []) {
    const slot = state.slots.get(id) as Slot;
    const r = slot.record;
    const matched = [r.question, ...r.similar, ...r.patterns].find((t) => state.analyzer.key(t) === terms.key) ?? r.question;
    push(slot, 'exact', matched);
  }
  for (const slot of state.ruleSlots) {
    if (slot.regexes.length === 0) continue;
    const hit = slot.regexes.find((re) => re.test(terms.normalized));
    if (hit) push(slot, 'regex', hit.source);
  }
  const containsHits: { slot: Slot; len: number; matched: string }[] = [];
  for (const slot of state.ruleSlots) {
    for (const k of slot.contains) if (terms.key.includes(k)) containsHits.push({ slot, len: k.length, matched: k });
  }
  // The longest keyword wins among contains entries: 运费险理赔 is more specific than 运费.
  containsHits.sort((a, b) => b.len - a.len);
  for (const h of containsHits) push(h.slot, 'contains', h.matched);
  return out;
}

/** Answer / suggest / none from the two best scores. */
export function decide(top: number | undefined, second: number | undefined, t: FaqThresholds): { decision: FaqDecision; reason: FaqReason } {
  if (top === undefined) return { decision: 'none', reason: 'no_match' };
  if (top >= t.answer) {
    return top - (second ?? 0) >= t.margin ? { decision: 'answer', reason: 'confident' } : { decision: 'suggest', reason: 'ambiguous' };
  }
  if (top >= t.suggest) return { decision: 'suggest', reason: 'low_confidence' };
  return { decision: 'none', reason: 'below_threshold' };
}

/** Reads the `now` option as a Date. */
export function toDate(now: unknown, fn: string): Date {
  const d = now === undefined ? new Date() : now instanceof Date ? now : typeof now === 'string' || typeof now === 'number' ? new Date(now) : null;
  checkOption(d !== null && !Number.isNaN(d.getTime()), fn, 'now', now, 'a Date, an ISO date string or epoch milliseconds');
  return d as Date;
}

/**
 * Searches the knowledge base for a customer message and decides what to do: `answer` with the top entry,
 * `suggest` the top candidates ("猜你想问"), or `none` (not in the knowledge base: hand over rather than guess).
 * Rule entries (`exact`, then `regex`, then `contains`) answer first; an exact match of any question also answers.
 * Disabled entries and entries outside their validity window are never returned. Synchronous and safe on any
 * string; pass `queryVector` (from `embedFaqQuery`) to fuse embeddings when the index has vectors.
 *
 * @example
 * ```ts
 * searchFaq(index, '退货运费谁出');
 * // → { decision: 'answer', reason: 'confident', faq: { id: 'return_shipping_fee', answer: '亲，…', score: 0.71, … },
 * //     candidates: [{ id: 'return_shipping_fee', … }, …] }
 * searchFaq(index, '明天上海会下雨吗').decision; // 'none'
 * ```
 */
export function searchFaq(index: FaqIndex, text: string, options?: SearchFaqOptions): FaqSearchResult {
  const fn = 'searchFaq';
  const state = stateOf(index, fn);
  assertText(text, 'searchFaq(text)');
  assertOptions(options, fn);
  const o = options ?? {};
  const topK = o.topK ?? DEFAULT_SEARCH_FAQ_OPTIONS.topK;
  checkOption(Number.isInteger(topK) && topK >= 0 && topK <= 1000, fn, 'topK', topK, 'an integer from 0 to 1000');
  checkOption(o.channel === undefined || typeof o.channel === 'string', fn, 'channel', o.channel, 'a channel name string');
  const thresholds = o.thresholds ?? index.thresholds;
  if (o.thresholds !== undefined) checkThresholds(thresholds, fn);
  const qv = o.queryVector ?? null;
  if (qv !== null) {
    checkOption(qv instanceof Float32Array, fn, 'queryVector', qv, 'a Float32Array from embedFaqQuery');
    if (index.embedder === null) {
      throw new KefuError('EMBEDDER_MISMATCH', `${fn}: a queryVector was passed but the index has no vectors. Run addFaqVectors(index, embedder) first, or search without queryVector.`, {});
    }
    if (qv.length !== index.embedder.dim) {
      throw new KefuError(
        'EMBEDDING_DIM_MISMATCH',
        `${fn}: the index holds ${index.embedder.dim}-dim vectors from "${index.embedder.id}" but the query vector has ${qv.length}. Embed the query with the same embedder (embedFaqQuery).`,
        { expected: index.embedder, got: qv.length },
      );
    }
  }
  let today: string | null = null;
  if (state.windowed > 0) {
    const tz = o.timeZone ?? DEFAULT_SEARCH_FAQ_OPTIONS.timeZone;
    try {
      today = dayIn(toDate(o.now, fn), tz);
    } catch (cause) {
      if (cause instanceof KefuError) throw cause;
      throw new KefuError('INVALID_OPTION', `${fn}: option "timeZone" must be an IANA time zone such as Asia/Shanghai, got ${describe(tz)}.`, { option: 'timeZone' }, { cause });
    }
  } else if (o.now !== undefined) {
    toDate(o.now, fn);
  }

  const terms = state.analyzer.analyze(text);
  if (terms.key === '' && (qv === null || terms.normalized.trim() === '')) {
    return { decision: 'none', reason: 'empty_input', faq: null, candidates: [] };
  }
  const rules = ruleMatches(state, terms, today);
  const probs = state.classifier === null ? null : classifierProbabilities(state.classifier, text);
  const ranked = rankSmart(index, state, terms, { today, queryVector: qv === null ? null : normalized(qv), excludeDoc: -1, probs });
  const candidates: FaqCandidate[] = [];
  const seen = new Set<Slot>();
  for (const r of rules) {
    seen.add(r.slot);
    candidates.push({ id: r.slot.record.id, question: r.slot.record.question, score: 1, matched: r.matched, via: r.via });
  }
  for (const r of ranked) {
    if (candidates.length >= Math.max(topK, 2)) break;
    if (seen.has(r.slot)) continue;
    seen.add(r.slot);
    candidates.push({ id: r.slot.record.id, question: r.slot.record.question, score: r.score, matched: state.docText[r.doc] ?? r.slot.record.question, via: 'smart' });
  }
  const first = candidates[0];
  const hitOf = (c: FaqCandidate): FaqHit => {
    const rec = (state.slots.get(c.id) as Slot).record;
    const answer = o.channel !== undefined && Object.hasOwn(rec.channels, o.channel) ? (rec.channels[o.channel] as string) : rec.answer;
    return { ...c, answer, category: rec.category, tags: rec.tags };
  };
  if (rules.length > 0 && first) {
    return { decision: 'answer', reason: 'rule', faq: hitOf(first), candidates: candidates.slice(0, topK) };
  }
  const { decision, reason } = decide(first?.score, candidates[1]?.score, thresholds);
  return { decision, reason, faq: decision === 'answer' && first ? hitOf(first) : null, candidates: candidates.slice(0, topK) };
}
