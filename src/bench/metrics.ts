import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';

/**
 * One evaluated message. `null` means out of scope: as `gold`, the message has no intent; as `predicted`, the
 * classifier declined (fallback). `confidence` is the probability the classifier gave its top-ranked intent.
 */
export interface PredictionRow {
  readonly gold: string | null;
  readonly predicted: string | null;
  readonly confidence: number;
  /**
   * The top-ranked intent that `confidence` belongs to, when it differs from `predicted` (a classifier that falls
   * back still ranks intents). Used only by {@link ece}; default `predicted`.
   */
  readonly top?: string | null;
}

/** Precision, recall and F1 of one intent, and how many test rows carry it (`support`). */
export interface IntentScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** One kind of mistake and how often it happened. */
export interface Confusion {
  readonly gold: string | null;
  readonly predicted: string | null;
  readonly count: number;
}

/** Out-of-scope detection: precision and recall of the "declined" (`null`) prediction. */
export interface OosScores {
  readonly precision: number;
  readonly recall: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
}

/** Everything {@link summarizeIntent} reports about a set of predictions (the `intent` field of a bench result). */
export interface IntentMetrics {
  /** In-scope accuracy: share of rows with a gold intent whose prediction equals it (all rows when none is `null`). */
  readonly accuracy: number;
  /** Closed-set accuracy of the top-ranked intent on in-scope rows, ignoring thresholds. */
  readonly topAccuracy: number;
  /** Share of all rows predicted exactly, a correct decline of an out-of-scope row included. */
  readonly overallAccuracy: number;
  readonly macroF1: number;
  readonly perIntent: Readonly<Record<string, IntentScores>>;
  readonly confusions: readonly Confusion[];
  /** Present only when some gold labels are `null`. */
  readonly oos?: OosScores;
  readonly ece: number;
  readonly rows: number;
  readonly oosRows: number;
}

/** Defaults of the metric options. */
export const DEFAULT_METRIC_OPTIONS = { bins: 10, top: 10 } as const;

/**
 * In-scope accuracy, the CLINC150 protocol: over rows whose gold intent is not `null`, the share predicted exactly.
 * A declined (`null`) prediction of an in-scope row counts as wrong. Without out-of-scope rows this is plain accuracy.
 * Returns 0 when there is no in-scope row.
 *
 * @example
 * ```ts
 * accuracy([{ gold: 'a', predicted: 'a', confidence: 0.9 }, { gold: null, predicted: 'a', confidence: 0.6 }]); // 1
 * ```
 */
export function accuracy(rows: readonly PredictionRow[]): number {
  checkRows(rows, 'accuracy');
  const inScope = rows.filter((r) => r.gold !== null);
  return ratio(inScope.filter((r) => r.predicted === r.gold).length, inScope.length);
}

/**
 * Closed-set (top-1) accuracy: over rows with a gold intent, the share whose top-ranked intent (`top`, else
 * `predicted`) equals it, whatever the thresholds decided. This is the figure papers report for datasets without
 * out-of-scope queries (SNIPS, CAIS, SMP2017-ECDT); {@link accuracy} also charges declines.
 *
 * @example
 * ```ts
 * topAccuracy([{ gold: 'a', predicted: null, top: 'a', confidence: 0.3 }]); // 1 (accuracy() gives 0)
 * ```
 */
export function topAccuracy(rows: readonly PredictionRow[]): number {
  checkRows(rows, 'topAccuracy');
  const inScope = rows.filter((r) => r.gold !== null);
  return ratio(inScope.filter((r) => (r.top === undefined ? r.predicted : r.top) === r.gold).length, inScope.length);
}

/**
 * Accuracy over every row, where declining an out-of-scope row (`gold: null`, `predicted: null`) is correct.
 * This is the figure for a pack's held-out tests "including out-of-scope".
 *
 * @example
 * ```ts
 * overallAccuracy([{ gold: 'a', predicted: 'a', confidence: 0.9 }, { gold: null, predicted: 'a', confidence: 0.6 }]); // 0.5
 * ```
 */
export function overallAccuracy(rows: readonly PredictionRow[]): number {
  checkRows(rows, 'overallAccuracy');
  return ratio(rows.filter((r) => r.predicted === r.gold).length, rows.length);
}

/**
 * Precision, recall, F1 and support of every intent that occurs as a gold label or a prediction (`null` is not an
 * intent). Predictions of an intent on out-of-scope rows are false positives; declines of its rows are misses.
 * A ratio with a zero denominator is 0. Keys are sorted.
 *
 * @example
 * ```ts
 * perIntent([{ gold: 'a', predicted: 'a', confidence: 1 }, { gold: 'a', predicted: 'b', confidence: 1 }]);
 * // → { a: { precision: 1, recall: 0.5, f1: 0.667, support: 2 }, b: { precision: 0, recall: 0, f1: 0, support: 0 } }
 * ```
 */
export function perIntent(rows: readonly PredictionRow[]): Readonly<Record<string, IntentScores>> {
  checkRows(rows, 'perIntent');
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const support = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const r of rows) {
    if (r.gold !== null) bump(support, r.gold);
    if (r.predicted !== null) bump(predicted, r.predicted);
    if (r.gold !== null && r.predicted === r.gold) bump(tp, r.gold);
  }
  const labels = [...new Set([...support.keys(), ...predicted.keys()])].sort(compareStrings);
  const out: Record<string, IntentScores> = {};
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const s = support.get(label) ?? 0;
    const precision = ratio(t, predicted.get(label) ?? 0);
    const recall = ratio(t, s);
    out[label] = { precision, recall, f1: f1(precision, recall), support: s };
  }
  return out;
}

/**
 * Macro-averaged F1: the unweighted mean of {@link perIntent} F1 over the intents that occur in the gold labels
 * (support > 0). An intent that is only ever predicted (never gold) costs through the false positives it takes
 * from others, not as an extra zero term, so a model with more labels than the test set is not penalised twice.
 * 0 when no row has a gold intent.
 *
 * @example
 * ```ts
 * macroF1([{ gold: 'a', predicted: 'a', confidence: 1 }, { gold: 'b', predicted: 'a', confidence: 1 }]); // (2/3 + 0) / 2
 * ```
 */
export function macroF1(rows: readonly PredictionRow[]): number {
  const scores = Object.values(perIntent(rows)).filter((s) => s.support > 0);
  return ratio(
    scores.reduce((sum, s) => sum + s.f1, 0),
    scores.length,
  );
}

/**
 * The most frequent mistakes as gold → predicted pairs (`null` = out of scope / declined), most frequent first,
 * ties broken by gold then predicted label so the list is deterministic.
 *
 * @example
 * ```ts
 * confusions(rows, { top: 5 }); // → [{ gold: 'refund', predicted: 'return_goods', count: 7 }, …]
 * ```
 */
export function confusions(rows: readonly PredictionRow[], options?: { readonly top?: number }): readonly Confusion[] {
  checkRows(rows, 'confusions');
  const top = options?.top ?? DEFAULT_METRIC_OPTIONS.top;
  checkOption(Number.isInteger(top) && top >= 0, 'confusions', 'top', top, 'a non-negative integer');
  const counts = new Map<string, Confusion>();
  for (const r of rows) {
    if (r.predicted === r.gold) continue;
    // JSON of the pair keeps null distinct from the string "null".
    const key = JSON.stringify([r.gold, r.predicted]);
    const prev = counts.get(key);
    counts.set(key, { gold: r.gold, predicted: r.predicted, count: (prev?.count ?? 0) + 1 });
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || compareLabels(a.gold, b.gold) || compareLabels(a.predicted, b.predicted))
    .slice(0, top);
}

/**
 * Out-of-scope detection, or `null` when no gold label is `null`. Recall (the CLINC150 "OOS recall") is the share of
 * out-of-scope rows that were declined; precision is the share of declines that were out of scope (0 with none).
 *
 * @example
 * ```ts
 * oos([{ gold: null, predicted: null, confidence: 0.2 }, { gold: null, predicted: 'a', confidence: 0.7 }]);
 * // → { precision: 1, recall: 0.5 }
 * ```
 */
export function oos(rows: readonly PredictionRow[]): OosScores | null {
  checkRows(rows, 'oos');
  const gold = rows.filter((r) => r.gold === null);
  if (gold.length === 0) return null;
  const declined = rows.filter((r) => r.predicted === null);
  const hits = gold.filter((r) => r.predicted === null).length;
  return { precision: ratio(hits, declined.length), recall: ratio(hits, gold.length) };
}

/**
 * Expected calibration error over equal-width confidence bins (10 by default; bin `floor(confidence × bins)`, with
 * 1.0 in the last): Σ over bins of (rows in bin / rows) × |accuracy in bin − mean confidence in bin|. A row is correct
 * when its top-ranked intent (`top`, else `predicted`) equals the gold label. 0 for no rows.
 *
 * @example
 * ```ts
 * ece([{ gold: 'a', predicted: 'a', confidence: 0.9 }, { gold: 'b', predicted: 'a', confidence: 0.9 }]); // 0.4
 * ```
 */
export function ece(rows: readonly PredictionRow[], options?: { readonly bins?: number }): number {
  checkRows(rows, 'ece');
  const bins = options?.bins ?? DEFAULT_METRIC_OPTIONS.bins;
  checkOption(Number.isInteger(bins) && bins >= 1, 'ece', 'bins', bins, 'a positive integer');
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (const r of rows) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(r.confidence * bins)));
    const top = r.top === undefined ? r.predicted : r.top;
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + r.confidence;
    if (top === r.gold) hit[b] = (hit[b] as number) + 1;
  }
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    if (n > 0) sum += Math.abs((hit[b] as number) - (conf[b] as number));
  }
  // Σ (n_b / N) × |hit_b / n_b − conf_b / n_b| = Σ |hit_b − conf_b| / N.
  return ratio(sum, rows.length);
}

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile is the ⌈p × n⌉-th smallest sample. Samples are
 * milliseconds (e.g. `performance.now()` differences). Throws `INVALID_INPUT` for no samples or a non-finite one.
 *
 * @example
 * ```ts
 * latencyPercentiles([0.1, 0.2, 0.3, 0.4]); // → { p50Ms: 0.2, p95Ms: 0.4, p99Ms: 0.4, samples: 4 }
 * ```
 */
export function latencyPercentiles(samplesMs: readonly number[]): LatencyPercentiles {
  if (!Array.isArray(samplesMs) || samplesMs.length === 0 || !samplesMs.every((s) => typeof s === 'number' && Number.isFinite(s) && s >= 0)) {
    throw new KefuError(
      'INVALID_INPUT',
      `latencyPercentiles: samples must be a non-empty array of finite, non-negative milliseconds, got ${describe(samplesMs)}` +
        (Array.isArray(samplesMs) ? ` of length ${samplesMs.length}` : '') +
        '. Time at least one message.',
      { got: describe(samplesMs) },
    );
  }
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), samples: sorted.length };
}

/**
 * All intent metrics of a bench result in one object: accuracy (in-scope), top-1 accuracy, overall accuracy, macro-F1, per-intent
 * scores, the top confusions, out-of-scope scores when the gold labels have `null`, and ECE.
 *
 * @example
 * ```ts
 * const metrics = summarizeIntent(rows, { top: 5 });
 * metrics.oos?.recall; // CLINC150 OOS recall
 * ```
 */
export function summarizeIntent(rows: readonly PredictionRow[], options?: { readonly top?: number; readonly bins?: number }): IntentMetrics {
  checkRows(rows, 'summarizeIntent');
  const o = oos(rows);
  return {
    accuracy: accuracy(rows),
    topAccuracy: topAccuracy(rows),
    overallAccuracy: overallAccuracy(rows),
    macroF1: macroF1(rows),
    perIntent: perIntent(rows),
    confusions: confusions(rows, options?.top === undefined ? {} : { top: options.top }),
    ...(o === null ? {} : { oos: o }),
    ece: ece(rows, options?.bins === undefined ? {} : { bins: options.bins }),
    rows: rows.length,
    oosRows: rows.filter((r) => r.gold === null).length,
  };
}

function checkRows(rows: readonly PredictionRow[], fn: string): void {
  if (!Array.isArray(rows)) {
    throw new KefuError('INVALID_INPUT', `${fn}: rows must be an array of { gold, predicted, confidence }, got ${describe(rows)}.`, {
      got: describe(rows),
    });
  }
  const issues: string[] = [];
  (rows as readonly unknown[]).forEach((raw, i) => {
    const r = raw as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) {
      issues.push(`[${i}] must be an object, got ${describe(raw)}`);
      return;
    }
    if (r.gold !== null && typeof r.gold !== 'string') issues.push(`[${i}].gold must be a string or null, got ${describe(r.gold)}`);
    if (r.predicted !== null && typeof r.predicted !== 'string') issues.push(`[${i}].predicted must be a string or null, got ${describe(r.predicted)}`);
    if (r.top !== undefined && r.top !== null && typeof r.top !== 'string') issues.push(`[${i}].top must be a string, null or absent, got ${describe(r.top)}`);
    if (typeof r.confidence !== 'number' || !(r.confidence >= 0 && r.confidence <= 1)) {
      issues.push(`[${i}].confidence must be a number in [0, 1], got ${describe(r.confidence)}`);
    }
  });
  if (issues.length > 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `${fn}: ${issues.length} malformed row(s): ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. Fix the rows and try again.`,
      { issues },
    );
  }
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `null` (out of scope) sorts first. */
function compareLabels(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareStrings(a, b);
}
