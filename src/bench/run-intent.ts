import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';
import {
  createIntentClassifier,
  serializeIntentModel,
  trainIntents,
  type IntentDecision,
  type IntentExample,
  type IntentTrainingData,
  type TrainIntentsOptions,
} from '../intent/index.js';
import type { Lang } from '../types.js';
import { describeEnvironment, type BenchEnvironment } from './env.js';
import { latencyPercentiles, summarizeIntent, type IntentMetrics, type LatencyPercentiles, type PredictionRow } from './metrics.js';

/** Options of {@link benchIntent}. */
export interface BenchIntentOptions {
  /** A pack (trained on its examples and out-of-scope list, never its tests) or labelled examples. */
  readonly train: IntentTrainingData;
  /** Held-out messages; `intent: null` marks out-of-scope. */
  readonly test: readonly IntentExample[];
  /** Passed to `trainIntents`. A `pipeline` here is also used for classification. */
  readonly trainOptions?: TrainIntentsOptions;
  /** Shortcut for `trainOptions.language`, e.g. `'en'` for English datasets. */
  readonly language?: Lang;
  /** Classifications run and discarded before timing, so the JIT has compiled the hot path. Default 200. */
  readonly warmup?: number;
  /** Time at least this many messages, cycling through `test` when it is shorter. Default 2,000. */
  readonly minLatencySamples?: number;
  /** Training seed, recorded in `env`. Default `trainOptions.seed`, else 42. */
  readonly seed?: number;
  /** How many of the most frequent confusions to report. Default 10. */
  readonly topConfusions?: number;
  /** The repository root, for the git SHA in `env`. Default `process.cwd()`. */
  readonly root?: string;
  /** Also return every prediction row and latency sample in `details` (for charts; large). Default false. */
  readonly keepDetails?: boolean;
}

/** Fixed defaults of {@link BenchIntentOptions}. */
export const DEFAULT_BENCH_INTENT_OPTIONS = { warmup: 200, minLatencySamples: 2000, seed: 42, topConfusions: 10 } as const;

/** The `kefu bench --json` result for intents. Rates are rounded to 4 decimals, milliseconds to 0.1 µs. */
export interface IntentBenchResult {
  readonly intent: IntentMetrics & {
    /** How many test messages got each decision. */
    readonly decisions: Readonly<Record<IntentDecision, number>>;
  };
  /** Per-message `classify` latency after warm-up. */
  readonly latency: LatencyPercentiles;
  readonly trainSeconds: number;
  /** Size of the serialised model (UTF-8 bytes of `serializeIntentModel`). */
  readonly modelBytes: number;
  /** Training examples (in-scope and out-of-scope). */
  readonly examples: number;
  readonly testExamples: number;
  readonly env: BenchEnvironment;
  /** Only with `keepDetails`: one prediction row per test message and every latency sample in milliseconds. */
  readonly details?: { readonly rows: readonly PredictionRow[]; readonly samplesMs: readonly number[] };
}

/**
 * Trains kefu's intent classifier on `train`, evaluates it on `test` and measures it: accuracy, macro-F1,
 * per-intent scores, confusions, out-of-scope precision/recall (when `test` has `null` intents), ECE, training time,
 * model size and per-message latency percentiles after warm-up (one `performance.now()` pair per message).
 * A message counts as predicted with the intent the classifier returns (`clarify` keeps its top intent; `fallback`
 * is a decline, `null`).
 *
 * @example
 * ```ts
 * const { train, test } = await loadPackIntentDataset('fixtures/packs/ecommerce-zh');
 * const result = await benchIntent({ train, test, seed: 42 });
 * result.intent.accuracy; // 0.97
 * result.latency.p95Ms;   // 0.08
 * ```
 */
export async function benchIntent(options: BenchIntentOptions): Promise<IntentBenchResult> {
  checkOption(typeof options === 'object' && options !== null && !Array.isArray(options), 'benchIntent', 'options', options, 'an object { train, test }');
  const { train, test } = options;
  checkOption(Array.isArray(test), 'benchIntent', 'test', test, 'an array of { text, intent }');
  if (test.length === 0) {
    throw new KefuError('INVALID_INPUT', 'benchIntent: the test set is empty. Pass at least one { text, intent } message to evaluate.', { got: 0 });
  }
  const warmup = options.warmup ?? DEFAULT_BENCH_INTENT_OPTIONS.warmup;
  checkOption(Number.isInteger(warmup) && warmup >= 0, 'benchIntent', 'warmup', warmup, 'a non-negative integer');
  const minSamples = options.minLatencySamples ?? DEFAULT_BENCH_INTENT_OPTIONS.minLatencySamples;
  checkOption(Number.isInteger(minSamples) && minSamples >= 1, 'benchIntent', 'minLatencySamples', minSamples, 'a positive integer');
  const topConfusions = options.topConfusions ?? DEFAULT_BENCH_INTENT_OPTIONS.topConfusions;
  const trainSeed = options.trainOptions?.seed;
  if (options.seed !== undefined && trainSeed !== undefined && options.seed !== trainSeed) {
    throw new KefuError(
      'INVALID_OPTION',
      `benchIntent: seed ${describe(options.seed)} and trainOptions.seed ${describe(trainSeed)} differ. Pass one of them.`,
      { option: 'seed' },
    );
  }
  const seed = options.seed ?? trainSeed ?? DEFAULT_BENCH_INTENT_OPTIONS.seed;
  if (options.language !== undefined && options.trainOptions?.pipeline !== undefined) {
    throw new KefuError('INVALID_OPTION', 'benchIntent: pass either language or trainOptions.pipeline, not both.', { option: 'language' });
  }
  const pipeline = options.trainOptions?.pipeline;
  const trainOptions: TrainIntentsOptions = { ...options.trainOptions, seed, ...(options.language === undefined ? {} : { language: options.language }) };

  const started = performance.now();
  const model = trainIntents(train, trainOptions);
  const trainSeconds = (performance.now() - started) / 1000;
  const modelBytes = Buffer.byteLength(serializeIntentModel(model), 'utf8');
  const classifier = createIntentClassifier(model, pipeline === undefined ? {} : { pipeline });

  for (let i = 0; i < warmup; i++) classifier.classify((test[i % test.length] as IntentExample).text);

  const rows: PredictionRow[] = [];
  const decisions: Record<IntentDecision, number> = { accept: 0, clarify: 0, fallback: 0 };
  const samples: number[] = [];
  for (const example of test) {
    const t0 = performance.now();
    const result = classifier.classify(example.text);
    samples.push(performance.now() - t0);
    decisions[result.decision] += 1;
    rows.push({ gold: example.intent, predicted: result.intent, confidence: result.confidence, top: result.ranking[0]?.name ?? null });
  }
  // Short test sets: keep timing (results discarded) so the percentiles rest on enough samples.
  for (let i = 0; samples.length < minSamples; i++) {
    const text = (test[i % test.length] as IntentExample).text;
    const t0 = performance.now();
    classifier.classify(text);
    samples.push(performance.now() - t0);
  }

  const summary = summarizeIntent(rows, { top: topConfusions });
  const latency = latencyPercentiles(samples);
  return {
    intent: { ...roundMetrics(summary), decisions },
    latency: { p50Ms: round(latency.p50Ms, 1e4), p95Ms: round(latency.p95Ms, 1e4), p99Ms: round(latency.p99Ms, 1e4), samples: latency.samples },
    trainSeconds: round(trainSeconds, 1e3),
    modelBytes,
    examples: model.stats.examples,
    testExamples: test.length,
    env: await describeEnvironment({ seed, ...(options.root === undefined ? {} : { root: options.root }) }),
    ...(options.keepDetails === true ? { details: { rows, samplesMs: samples } } : {}),
  };
}

/** Rounds every rate to 4 decimals: more digits than any test set can resolve, and stable JSON diffs. */
function roundMetrics(m: IntentMetrics): IntentMetrics {
  const r = (x: number): number => round(x, 1e4);
  const perIntent = Object.fromEntries(
    Object.entries(m.perIntent).map(([k, s]) => [k, { precision: r(s.precision), recall: r(s.recall), f1: r(s.f1), support: s.support }]),
  );
  return {
    ...m,
    accuracy: r(m.accuracy),
    topAccuracy: r(m.topAccuracy),
    overallAccuracy: r(m.overallAccuracy),
    macroF1: r(m.macroF1),
    perIntent,
    ...(m.oos === undefined ? {} : { oos: { precision: r(m.oos.precision), recall: r(m.oos.recall) } }),
    ece: r(m.ece),
  };
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}
