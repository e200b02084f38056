import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';
import type { Pack } from '../pack/index.js';
import { searchFaq, type FaqDecision, type FaqIndex, type SearchFaqOptions } from '../retrieval/index.js';
import { describeEnvironment, type BenchEnvironment } from './env.js';
import { latencyPercentiles, type LatencyPercentiles } from './metrics.js';

/** One retrieval test row: a message and the entry that must answer it, or `null` when nothing may. */
export interface RetrievalTestRow {
  readonly text: string;
  readonly faq: string | null;
}

/** One evaluated row: gold id, ranked ids (best first) and the decision. */
export interface RetrievalPrediction {
  readonly gold: string | null;
  readonly ranked: readonly string[];
  readonly decision: FaqDecision;
  /** The answered id when `decision` is `answer`. */
  readonly answered: string | null;
}

/** Retrieval quality figures; rates in [0, 1]. */
export interface RetrievalMetrics {
  /** Over rows with a gold entry: the gold entry ranked first / in the top 3, and the mean reciprocal rank. */
  readonly hit1: number;
  readonly hit3: number;
  readonly mrr: number;
  /** `none` decisions: precision (share of `none` whose gold is null) and recall (share of null-gold rows sent to `none`). */
  readonly none: { readonly precision: number; readonly recall: number };
  /** Answers: share of in-KB rows answered, and share of all answers that were right (an out-of-KB answer is wrong). */
  readonly answer: { readonly rate: number; readonly precision: number };
  readonly decisions: Readonly<Record<FaqDecision, number>>;
  readonly rows: number;
  readonly noneRows: number;
}

/**
 * Retrieval metrics of evaluated rows: hit@1, hit@3 and MRR on in-KB rows, precision and recall of `none`, answer
 * rate and precision. Throws INVALID_INPUT for an empty list.
 *
 * @example
 * ```ts
 * summarizeRetrieval([{ gold: 'a', ranked: ['b', 'a'], decision: 'suggest', answered: null }]).mrr; // 0.5
 * ```
 */
export function summarizeRetrieval(rows: readonly RetrievalPrediction[]): RetrievalMetrics {
  if (!Array.isArray(rows as unknown) || rows.length === 0) {
    throw new KefuError('INVALID_INPUT', `summarizeRetrieval: expected a non-empty array of predictions, got ${describe(rows)}.`, {});
  }
  let inKb = 0;
  let h1 = 0;
  let h3 = 0;
  let rr = 0;
  let noneGold = 0;
  let nonePred = 0;
  let noneRight = 0;
  let answered = 0;
  let answeredRight = 0;
  let answeredInKb = 0;
  const decisions: Record<FaqDecision, number> = { answer: 0, suggest: 0, none: 0 };
  for (const r of rows) {
    decisions[r.decision]++;
    if (r.decision === 'none') {
      nonePred++;
      if (r.gold === null) noneRight++;
    }
    if (r.decision === 'answer') {
      answered++;
      if (r.gold !== null && r.answered === r.gold) answeredRight++;
    }
    if (r.gold === null) {
      noneGold++;
      continue;
    }
    inKb++;
    if (r.decision === 'answer') answeredInKb++;
    const rank = r.ranked.indexOf(r.gold);
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 3) h3++;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const div = (a: number, b: number, empty: number): number => (b === 0 ? empty : round4(a / b));
  return {
    hit1: div(h1, inKb, 0),
    hit3: div(h3, inKb, 0),
    mrr: div(rr, inKb, 0),
    none: { precision: div(noneRight, nonePred, 1), recall: div(noneRight, noneGold, 1) },
    answer: { rate: div(answeredInKb, inKb, 0), precision: div(answeredRight, answered, 1) },
    decisions,
    rows: rows.length,
    noneRows: noneGold,
  };
}

/**
 * The pack's held-out FAQ tests (`faq: id` under entries and `faq: null` in tests files), never trained on.
 *
 * @example
 * ```ts
 * packRetrievalTests(await loadPack('fixtures/packs/ecommerce-zh')).length; // 267
 * ```
 */
export function packRetrievalTests(pack: Pack): RetrievalTestRow[] {
  checkOption(typeof pack === 'object' && pack !== null && Array.isArray(pack.tests), 'packRetrievalTests', 'pack', pack, 'a Pack from loadPack');
  return pack.tests.filter((t) => t.faq !== undefined).map((t) => ({ text: t.text, faq: t.faq ?? null }));
}

/** Options of {@link benchRetrieval}. */
export interface BenchRetrievalOptions {
  readonly index: FaqIndex;
  readonly test: readonly RetrievalTestRow[];
  /** Passed to every `searchFaq` call (e.g. `now`); `topK` defaults to 10 here so MRR sees deeper ranks. */
  readonly searchOptions?: SearchFaqOptions;
  /** Searches run and discarded before timing. Default 200. */
  readonly warmup?: number;
  /** Time at least this many searches, cycling through `test`. Default 2,000. */
  readonly minLatencySamples?: number;
  /** Repository root for the git SHA in `env`. Default `process.cwd()`. */
  readonly root?: string;
}

/** Defaults of {@link BenchRetrievalOptions}. */
export const DEFAULT_BENCH_RETRIEVAL_OPTIONS = { warmup: 200, minLatencySamples: 2000, topK: 10 } as const;

/** The retrieval part of a bench result. Latency in milliseconds, rounded to 0.1 µs. */
export interface RetrievalBenchResult {
  readonly retrieval: RetrievalMetrics;
  readonly latency: LatencyPercentiles;
  readonly testExamples: number;
  readonly entries: number;
  readonly thresholds: FaqIndex['thresholds'];
  readonly env: BenchEnvironment;
}

/**
 * Evaluates a FAQ index on held-out rows `{ text, faq: id | null }`: hit@1, hit@3, MRR, `none` precision/recall,
 * answer rate/precision, and per-search latency percentiles after warm-up (one `performance.now()` pair each).
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * const { index } = createPackFaqIndex(pack);
 * const result = await benchRetrieval({ index, test: packRetrievalTests(pack) });
 * result.retrieval.hit1; result.latency.p95Ms;
 * ```
 */
export async function benchRetrieval(options: BenchRetrievalOptions): Promise<RetrievalBenchResult> {
  const fn = 'benchRetrieval';
  checkOption(typeof options === 'object' && options !== null, fn, 'options', options, 'an object { index, test }');
  const { index, test } = options;
  checkOption(Array.isArray(test) && test.every((r) => typeof r?.text === 'string' && (r.faq === null || typeof r.faq === 'string')), fn, 'test', test, 'an array of { text, faq: id | null }');
  if (test.length === 0) throw new KefuError('INVALID_INPUT', `${fn}: the test set is empty. Pass at least one { text, faq } row.`, {});
  const warmup = options.warmup ?? DEFAULT_BENCH_RETRIEVAL_OPTIONS.warmup;
  checkOption(Number.isInteger(warmup) && warmup >= 0, fn, 'warmup', warmup, 'a non-negative integer');
  const minSamples = options.minLatencySamples ?? DEFAULT_BENCH_RETRIEVAL_OPTIONS.minLatencySamples;
  checkOption(Number.isInteger(minSamples) && minSamples >= 1, fn, 'minLatencySamples', minSamples, 'a positive integer');
  const search: SearchFaqOptions = { topK: DEFAULT_BENCH_RETRIEVAL_OPTIONS.topK, ...(options.searchOptions ?? {}) };

  for (let i = 0; i < warmup; i++) searchFaq(index, (test[i % test.length] as RetrievalTestRow).text, search);
  const rows: RetrievalPrediction[] = [];
  const samples: number[] = [];
  for (const row of test) {
    const t0 = performance.now();
    const r = searchFaq(index, row.text, search);
    samples.push(performance.now() - t0);
    rows.push({ gold: row.faq, ranked: r.candidates.map((c) => c.id), decision: r.decision, answered: r.faq?.id ?? null });
  }
  for (let i = 0; samples.length < minSamples; i++) {
    const text = (test[i % test.length] as RetrievalTestRow).text;
    const t0 = performance.now();
    searchFaq(index, text, search);
    samples.push(performance.now() - t0);
  }
  const l = latencyPercentiles(samples);
  return {
    retrieval: summarizeRetrieval(rows),
    latency: { p50Ms: round4(l.p50Ms), p95Ms: round4(l.p95Ms), p99Ms: round4(l.p99Ms), samples: l.samples },
    testExamples: test.length,
    entries: index.size,
    thresholds: index.thresholds,
    env: await describeEnvironment({ seed: 0, ...(options.root === undefined ? {} : { root: options.root }) }),
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
