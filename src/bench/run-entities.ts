import { KefuError } from '../errors.js';
import { checkOption } from '../internal/assert.js';
import {
  createSlotTagger,
  serializeSlotTagger,
  trainSlotTagger,
  type Entity,
  type SlotTrainingData,
  type TrainSlotTaggerOptions,
} from '../entities/index.js';
import { loadPack, type Pack } from '../pack/index.js';
import { createTextPipeline } from '../text/index.js';
import type { Lang } from '../types.js';
import { latencyPercentiles, type IntentScores, type LatencyPercentiles } from './metrics.js';
import type { EntityRow, GoldEntity } from './slot-datasets.js';

/** A predicted entity as the scorer needs it (an {@link Entity} fits). */
export interface PredictedEntity {
  readonly entity: string;
  readonly start: number;
  readonly end: number;
  readonly value?: string | number;
}

/** One scored message: its gold entities and what the system returned. */
export interface EntityPredictionRow {
  readonly gold: readonly GoldEntity[];
  readonly predicted: readonly PredictedEntity[];
}

/** Span-level scores: an entity counts only when its type, start and end all equal a gold entity's. */
export interface SpanScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Exact matches, predictions and gold entities. */
  readonly correct: number;
  readonly predicted: number;
  readonly gold: number;
}

/** Everything {@link summarizeEntities} reports. */
export interface EntityMetrics {
  /** Micro-averaged over all entities: the CoNLL figure the published slot and NER results use. */
  readonly micro: SpanScores;
  /** Per entity type (keys sorted); `support` = gold entities of that type. */
  readonly perEntity: Readonly<Record<string, IntentScores>>;
  /**
   * Over gold entities that carry a `value` and were found with the exact span and type: the share whose predicted
   * value equals it. null when no gold entity carries a value.
   */
  readonly valueAccuracy: number | null;
  readonly valueRows: number;
  readonly rows: number;
}

/**
 * Exact-match span scores per entity type and micro-averaged (conlleval's definition: a predicted chunk is correct
 * when its type and both boundaries equal a gold chunk's; each gold chunk can be matched once).
 *
 * @example
 * ```ts
 * summarizeEntities([{ gold: [{ entity: 'city', start: 0, end: 2 }], predicted: [{ entity: 'city', start: 0, end: 2 }] }]).micro.f1; // 1
 * ```
 */
export function summarizeEntities(rows: readonly EntityPredictionRow[]): EntityMetrics {
  checkOption(Array.isArray(rows), 'summarizeEntities', 'rows', rows, 'an array of { gold, predicted }');
  const tp = new Map<string, number>();
  const pred = new Map<string, number>();
  const gold = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  let valueRows = 0;
  let valueHits = 0;
  for (const r of rows) {
    const open = new Map<string, GoldEntity>();
    for (const g of r.gold) {
      bump(gold, g.entity);
      open.set(key(g), g);
    }
    for (const p of r.predicted) {
      bump(pred, p.entity);
      const g = open.get(key(p));
      if (g === undefined) continue;
      open.delete(key(p));
      bump(tp, p.entity);
      if (g.value !== undefined) {
        valueRows++;
        if (p.value !== undefined && String(p.value) === String(g.value)) valueHits++;
      }
    }
    for (const g of open.values()) if (g.value !== undefined) valueRows++;
  }
  const labels = [...new Set([...gold.keys(), ...pred.keys()])].sort();
  const perEntity: Record<string, IntentScores> = {};
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const precision = ratio(t, pred.get(label) ?? 0);
    const recall = ratio(t, gold.get(label) ?? 0);
    perEntity[label] = { precision, recall, f1: f1(precision, recall), support: gold.get(label) ?? 0 };
  }
  const correct = sum(tp);
  const predicted = sum(pred);
  const goldCount = sum(gold);
  const precision = ratio(correct, predicted);
  const recall = ratio(correct, goldCount);
  return {
    micro: { precision, recall, f1: f1(precision, recall), correct, predicted, gold: goldCount },
    perEntity,
    valueAccuracy: valueRows > 0 ? valueHits / valueRows : null,
    valueRows,
    rows: rows.length,
  };
}

/** Options of {@link benchEntities}. */
export interface BenchEntitiesOptions {
  /** Messages with their gold entities. */
  readonly test: readonly EntityRow[];
  /** The extraction under test, e.g. `(t) => extractor.extract(t, { now })`. */
  readonly extract: (text: string) => readonly PredictedEntity[];
  /** Score only these entity types (gold and predicted); default all. */
  readonly entities?: readonly string[];
  /** The full parse (intent + entities) of a message, timed the same way to report the entities' latency share. */
  readonly parse?: (text: string) => unknown;
  /** Calls run and discarded before timing. Default 200. */
  readonly warmup?: number;
  /** Time at least this many messages, cycling through `test`. Default 2,000. */
  readonly minLatencySamples?: number;
}

/** Fixed defaults of {@link BenchEntitiesOptions}. */
export const DEFAULT_BENCH_ENTITIES_OPTIONS = { warmup: 200, minLatencySamples: 2000 } as const;

/** The entity part of a bench result. Rates are rounded to 4 decimals, milliseconds to 0.1 µs. */
export interface EntityBenchResult {
  readonly entities: EntityMetrics;
  /** Per-message extraction latency after warm-up. */
  readonly latency: LatencyPercentiles;
  /** Per-message full-parse latency and the entities' share of its median, when `parse` was given. */
  readonly parseLatency?: LatencyPercentiles;
  readonly latencyShare?: number;
  readonly testExamples: number;
}

/**
 * Scores an entity extractor on rows with gold entities: span-level precision, recall and F1 per type and
 * micro-averaged, value-resolution accuracy where gold entities carry values, and latency percentiles of
 * extraction (and, given `parse`, of the full parse and the entities' share of it).
 *
 * @example
 * ```ts
 * const extractor = createEntityExtractor({ pack });
 * const r = benchEntities({ test: rows, extract: (t) => extractor.extract(t, { now: '2026-11-20T10:00:00+08:00' }) });
 * r.entities.micro.f1; // 0.93
 * ```
 */
export function benchEntities(options: BenchEntitiesOptions): EntityBenchResult {
  checkOption(typeof options === 'object' && options !== null && !Array.isArray(options), 'benchEntities', 'options', options, 'an object { test, extract }');
  const { test, extract, parse } = options;
  checkOption(Array.isArray(test), 'benchEntities', 'test', test, 'an array of { text, entities }');
  checkOption(typeof extract === 'function', 'benchEntities', 'extract', extract, 'a function (text) => entities');
  checkOption(parse === undefined || typeof parse === 'function', 'benchEntities', 'parse', parse, 'a function (text) => result');
  if (test.length === 0) throw new KefuError('INVALID_INPUT', 'benchEntities: the test set is empty. Pass at least one { text, entities } row.', { got: 0 });
  const warmup = options.warmup ?? DEFAULT_BENCH_ENTITIES_OPTIONS.warmup;
  checkOption(Number.isInteger(warmup) && warmup >= 0, 'benchEntities', 'warmup', warmup, 'a non-negative integer');
  const minSamples = options.minLatencySamples ?? DEFAULT_BENCH_ENTITIES_OPTIONS.minLatencySamples;
  checkOption(Number.isInteger(minSamples) && minSamples >= 1, 'benchEntities', 'minLatencySamples', minSamples, 'a positive integer');
  const only = options.entities === undefined ? null : new Set(options.entities);
  const keep = (e: { readonly entity: string }): boolean => only === null || only.has(e.entity);

  for (let i = 0; i < warmup; i++) extract((test[i % test.length] as EntityRow).text);
  const rows: EntityPredictionRow[] = [];
  const samples: number[] = [];
  for (const row of test) {
    const t0 = performance.now();
    const predicted = extract(row.text);
    samples.push(performance.now() - t0);
    rows.push({ gold: row.entities.filter(keep), predicted: predicted.filter(keep) });
  }
  for (let i = 0; samples.length < minSamples; i++) {
    const text = (test[i % test.length] as EntityRow).text;
    const t0 = performance.now();
    extract(text);
    samples.push(performance.now() - t0);
  }
  const latency = roundLatency(latencyPercentiles(samples));
  let parseLatency: LatencyPercentiles | undefined;
  if (parse !== undefined) {
    for (let i = 0; i < warmup; i++) parse((test[i % test.length] as EntityRow).text);
    const full: number[] = [];
    for (let i = 0; full.length < Math.max(minSamples, test.length); i++) {
      const text = (test[i % test.length] as EntityRow).text;
      const t0 = performance.now();
      parse(text);
      full.push(performance.now() - t0);
    }
    parseLatency = roundLatency(latencyPercentiles(full));
  }
  return {
    entities: roundMetrics(summarizeEntities(rows)),
    latency,
    ...(parseLatency === undefined ? {} : { parseLatency, latencyShare: parseLatency.p50Ms > 0 ? round(Math.min(1, latency.p50Ms / parseLatency.p50Ms), 1e4) : 0 }),
    testExamples: test.length,
  };
}

/** Options of {@link benchSlotTagger}. */
export interface BenchSlotTaggerOptions {
  /** Annotated rows (or a pack) to train on. */
  readonly train: SlotTrainingData | readonly EntityRow[];
  readonly test: readonly EntityRow[];
  /** Language of the default pipeline (`en` for SNIPS). Default `zh`. */
  readonly language?: Lang;
  /** Passed to `trainSlotTagger`. */
  readonly trainOptions?: Omit<TrainSlotTaggerOptions, 'pipeline' | 'language'>;
  readonly warmup?: number;
  readonly minLatencySamples?: number;
}

/** A trained tagger's bench result. */
export interface SlotTaggerBenchResult extends EntityBenchResult {
  readonly trainSeconds: number;
  /** UTF-8 bytes of `serializeSlotTagger`. */
  readonly modelBytes: number;
  readonly trainExamples: number;
  /** Training spans whose edges fall inside a tagging unit (left out of training; they count as misses if tested). */
  readonly unalignedSpans: number;
}

/**
 * Trains the learned slot tagger on `train` and scores it on `test` (span-level F1 per type, latency of `tag`).
 * The protocol of the shared slot benchmarks: train on train, report test (CLUENER2020: dev).
 *
 * @example
 * ```ts
 * const cais = await loadSharedSlotDataset('cais');
 * if (cais.status === 'ok') benchSlotTagger({ train: cais.train, test: cais.eval }).entities.micro.f1; // ≈ 0.89
 * ```
 */
export function benchSlotTagger(options: BenchSlotTaggerOptions): SlotTaggerBenchResult {
  checkOption(typeof options === 'object' && options !== null && !Array.isArray(options), 'benchSlotTagger', 'options', options, 'an object { train, test }');
  const language = options.language ?? 'zh';
  const train = Array.isArray(options.train) ? (options.train as readonly (EntityRow | { text: string; spans: readonly GoldEntity[] })[]).map(toSlotExample) : (options.train as Pack);
  const pipeline = createTextPipeline({ language, ...(!Array.isArray(options.train) ? { dictionary: (options.train as Pack).dictionary } : {}) });
  const started = performance.now();
  const model = trainSlotTagger(train, { ...options.trainOptions, pipeline });
  const trainSeconds = (performance.now() - started) / 1000;
  const tagger = createSlotTagger(model, { pipeline });
  const result = benchEntities({
    test: options.test,
    extract: (t: string): Entity[] => tagger.tag(t),
    ...(options.warmup === undefined ? {} : { warmup: options.warmup }),
    ...(options.minLatencySamples === undefined ? {} : { minLatencySamples: options.minLatencySamples }),
  });
  return {
    ...result,
    trainSeconds: round(trainSeconds, 1e3),
    modelBytes: Buffer.byteLength(serializeSlotTagger(model), 'utf8'),
    trainExamples: model.stats.examples,
    unalignedSpans: model.stats.unalignedSpans,
  };
}

/**
 * A pack's held-out tests that carry entity markup, as bench rows (`[顺丰](courier:SF)` gives a gold value `SF`).
 *
 * @example
 * ```ts
 * const { pack, test } = await loadPackEntityDataset('fixtures/packs/ecommerce-zh');
 * ```
 */
export async function loadPackEntityDataset(dir: string): Promise<{ readonly pack: Pack; readonly test: readonly EntityRow[] }> {
  const pack = await loadPack(dir);
  const test: EntityRow[] = [];
  for (const t of pack.tests) {
    if (t.spans.length === 0) continue;
    test.push({ text: t.text, entities: t.spans.map((s) => ({ entity: s.entity, start: s.start, end: s.end, ...(s.value === undefined ? {} : { value: s.value }) })) });
  }
  return { pack, test };
}

function toSlotExample(r: EntityRow | { text: string; spans: readonly GoldEntity[] }): { text: string; spans: readonly GoldEntity[] } {
  return 'entities' in r ? { text: r.text, spans: r.entities } : r;
}

function key(e: { readonly entity: string; readonly start: number; readonly end: number }): string {
  return `${e.entity}\u0000${e.start}\u0000${e.end}`;
}

function sum(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function f1(p: number, r: number): number {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}

function roundLatency(l: LatencyPercentiles): LatencyPercentiles {
  return { p50Ms: round(l.p50Ms, 1e4), p95Ms: round(l.p95Ms, 1e4), p99Ms: round(l.p99Ms, 1e4), samples: l.samples };
}

function roundMetrics(m: EntityMetrics): EntityMetrics {
  const r = (x: number): number => round(x, 1e4);
  return {
    ...m,
    micro: { ...m.micro, precision: r(m.micro.precision), recall: r(m.micro.recall), f1: r(m.micro.f1) },
    perEntity: Object.fromEntries(Object.entries(m.perEntity).map(([k, s]) => [k, { precision: r(s.precision), recall: r(s.recall), f1: r(s.f1), support: s.support }])),
    valueAccuracy: m.valueAccuracy === null ? null : r(m.valueAccuracy),
  };
}
