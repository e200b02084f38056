import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';
import type { IntentBenchResult, PredictionRow } from '../bench/index.js';
import { int, kpi, num, page, pct, section, table, text } from './html.js';
import { barChart, heatMap, histogram, reliabilityDiagram } from './svg.js';

/** One confidence bin of a reliability diagram: mean confidence vs observed accuracy of the rows in it. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  /** Mean confidence of the rows in the bin (the bin centre when empty). */
  readonly confidence: number;
  /** Share of the bin's rows whose top-ranked intent is right (0 when empty). */
  readonly accuracy: number;
  readonly count: number;
}

/** One latency histogram bucket, `[startMs, endMs)`. */
export interface LatencyBin {
  readonly startMs: number;
  readonly endMs: number;
  readonly count: number;
}

/** A row of the kefu-vs-NLP.js table. `ratio` defaults to kefu / NLP.js. */
export interface SideBySideRow {
  readonly dataset: string;
  readonly metric: string;
  readonly kefu: number | null;
  readonly nlpjs: number | null;
  readonly ratio?: number | null;
  /** How to show the values: `rate` as a percentage (default), `ms`, `s`, `kb` or `number`. */
  readonly unit?: 'rate' | 'ms' | 's' | 'kb' | 'number';
}

/**
 * Everything the bench page shows, as plain JSON: map `IntentBenchResult` (src/bench/run-intent.ts) and the
 * side-by-side rows of bench/intent-side-by-side.ts onto it, or use {@link benchReportInputFromResult}.
 */
export interface BenchReportInput {
  readonly title?: string;
  /** The dataset the per-intent figures belong to, e.g. `ecommerce-zh pack`. */
  readonly dataset: string;
  readonly generatedAt?: string;
  readonly summary: {
    readonly accuracy: number;
    readonly macroF1: number;
    readonly ece: number;
    readonly testExamples: number;
    readonly overallAccuracy?: number;
    readonly oosRecall?: number;
  };
  readonly perIntent: readonly { readonly name: string; readonly f1: number; readonly precision: number; readonly recall: number; readonly support: number }[];
  /** Rows are gold labels, columns predictions, both in `labels` order; `(none)` stands for out of scope / declined. */
  readonly confusion: { readonly labels: readonly string[]; readonly counts: readonly (readonly number[])[] };
  readonly reliability: readonly ReliabilityBin[];
  readonly latency: {
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
    readonly samples?: number;
    readonly histogram?: readonly LatencyBin[];
  };
  readonly sideBySide: readonly SideBySideRow[];
}

/** The label used for `null` (out of scope / declined) in confusion matrices. */
export const NONE_LABEL = '(none)';

/**
 * Reliability-diagram bins from prediction rows, with the same binning as the bench's ECE (`floor(confidence × bins)`,
 * 1.0 in the last bin; a row is right when its top-ranked intent, `top` else `predicted`, equals `gold`).
 *
 * @example
 * ```ts
 * buildReliabilityBins([{ gold: 'a', predicted: 'a', confidence: 0.95 }], { bins: 10 })[9];
 * // → { lower: 0.9, upper: 1, confidence: 0.95, accuracy: 1, count: 1 }
 * ```
 */
export function buildReliabilityBins(rows: readonly PredictionRow[], options?: { readonly bins?: number }): readonly ReliabilityBin[] {
  const bins = options?.bins ?? 10;
  checkOption(Number.isInteger(bins) && bins >= 1 && bins <= 100, 'buildReliabilityBins', 'bins', bins, 'an integer from 1 to 100');
  checkRows(rows);
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (const r of rows) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(r.confidence * bins)));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + r.confidence;
    if ((r.top === undefined ? r.predicted : r.top) === r.gold) hit[b] = (hit[b] as number) + 1;
  }
  return count.map((n, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    confidence: n === 0 ? (b + 0.5) / bins : (conf[b] as number) / n,
    accuracy: n === 0 ? 0 : (hit[b] as number) / n,
    count: n,
  }));
}

/**
 * The full confusion matrix of prediction rows (thresholded predictions; `null` shown as {@link NONE_LABEL}), labels
 * sorted with `(none)` first.
 *
 * @example
 * ```ts
 * confusionMatrix([{ gold: 'a', predicted: null, confidence: 0.2 }]); // { labels: ['(none)', 'a'], counts: [[0, 0], [1, 0]] }
 * ```
 */
export function confusionMatrix(rows: readonly PredictionRow[]): BenchReportInput['confusion'] {
  checkRows(rows);
  const name = (l: string | null): string => (l === null ? NONE_LABEL : l);
  const set = new Set<string>();
  for (const r of rows) {
    set.add(name(r.gold));
    set.add(name(r.predicted));
  }
  const labels = [...set].sort((a, b) => (a === NONE_LABEL ? -1 : b === NONE_LABEL ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const at = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => new Array<number>(labels.length).fill(0));
  for (const r of rows) {
    const row = counts[at.get(name(r.gold)) as number] as number[];
    const j = at.get(name(r.predicted)) as number;
    row[j] = (row[j] as number) + 1;
  }
  return { labels, counts };
}

/**
 * Equal-width latency histogram over [min, p99.9] (slower samples go in the last bucket, so one outlier does not
 * flatten the chart).
 *
 * @example
 * ```ts
 * latencyHistogram([0.1, 0.2, 0.2, 0.9], { bins: 4 }); // 4 buckets from 0.1 to 0.9 ms
 * ```
 */
export function latencyHistogram(samplesMs: readonly number[], options?: { readonly bins?: number }): readonly LatencyBin[] {
  const bins = options?.bins ?? 30;
  checkOption(Number.isInteger(bins) && bins >= 1 && bins <= 500, 'latencyHistogram', 'bins', bins, 'an integer from 1 to 500');
  if (!Array.isArray(samplesMs) || !samplesMs.every((s) => typeof s === 'number' && Number.isFinite(s) && s >= 0)) {
    throw new KefuError('INVALID_INPUT', `latencyHistogram: samples must be an array of finite, non-negative milliseconds, got ${describe(samplesMs)}.`, {});
  }
  if (samplesMs.length === 0) return [];
  const sorted = Float64Array.from(samplesMs).sort();
  const lo = sorted[0] as number;
  const hi = Math.max(lo + 1e-6, sorted[Math.min(sorted.length - 1, Math.floor(0.999 * sorted.length))] as number);
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const s of sorted) {
    const b = Math.min(bins - 1, Math.floor((s - lo) / width));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts.map((count, b) => ({ startMs: lo + b * width, endMs: lo + (b + 1) * width, count }));
}

/**
 * Builds the bench page input from a `benchIntent` result (and optionally its prediction rows and latency samples,
 * which give the full confusion matrix, the reliability bins and the histogram; without rows the matrix is rebuilt
 * from per-intent support × recall on the diagonal plus the result's top confusions, and the reliability diagram is
 * left empty).
 *
 * @example
 * ```ts
 * const input = benchReportInputFromResult(result, { dataset: 'ecommerce-zh pack', sideBySide: rows });
 * await writeFile('bench.html', renderBenchHtml(input));
 * ```
 */
export function benchReportInputFromResult(
  result: IntentBenchResult,
  options: { readonly dataset: string; readonly rows?: readonly PredictionRow[]; readonly samplesMs?: readonly number[]; readonly sideBySide?: readonly SideBySideRow[]; readonly title?: string },
): BenchReportInput {
  const m = result.intent;
  let confusion: BenchReportInput['confusion'];
  if (options.rows !== undefined) confusion = confusionMatrix(options.rows);
  else {
    const name = (l: string | null): string => (l === null ? NONE_LABEL : l);
    const set = new Set<string>(Object.keys(m.perIntent));
    for (const c of m.confusions) {
      set.add(name(c.gold));
      set.add(name(c.predicted));
    }
    const labels = [...set].sort((a, b) => (a === NONE_LABEL ? -1 : b === NONE_LABEL ? 1 : a < b ? -1 : 1));
    const at = new Map(labels.map((l, i) => [l, i]));
    const counts = labels.map(() => new Array<number>(labels.length).fill(0));
    for (const [label, s] of Object.entries(m.perIntent)) {
      const i = at.get(label) as number;
      (counts[i] as number[])[i] = Math.round(s.recall * s.support);
    }
    for (const c of m.confusions) (counts[at.get(name(c.gold)) as number] as number[])[at.get(name(c.predicted)) as number] = c.count;
    confusion = { labels, counts };
  }
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    dataset: options.dataset,
    generatedAt: new Date().toISOString(),
    summary: {
      accuracy: m.accuracy,
      macroF1: m.macroF1,
      ece: m.ece,
      testExamples: result.testExamples,
      overallAccuracy: m.overallAccuracy,
      ...(m.oos === undefined ? {} : { oosRecall: m.oos.recall }),
    },
    perIntent: Object.entries(m.perIntent)
      .filter(([, s]) => s.support > 0)
      .map(([name, s]) => ({ name, f1: s.f1, precision: s.precision, recall: s.recall, support: s.support })),
    confusion,
    reliability: options.rows === undefined ? [] : buildReliabilityBins(options.rows),
    latency: {
      p50Ms: result.latency.p50Ms,
      p95Ms: result.latency.p95Ms,
      p99Ms: result.latency.p99Ms,
      samples: result.latency.samples,
      ...(options.samplesMs === undefined ? {} : { histogram: latencyHistogram(options.samplesMs) }),
    },
    sideBySide: options.sideBySide ?? [],
  };
}

/**
 * Renders the intent bench as one self-contained HTML page with inline SVG: headline figures, per-intent F1 bars,
 * the confusion matrix as a heat map, a reliability diagram, the latency histogram with p50/p95/p99, and the
 * kefu-vs-NLP.js table. No scripts and no external assets; the input JSON is embedded as
 * `<script type="application/json" id="kefu-report-data">`. Throws `INVALID_INPUT` for a malformed input.
 *
 * @example
 * ```ts
 * await writeFile('bench.html', renderBenchHtml(benchReportInputFromResult(result, { dataset: 'ecommerce-zh pack' })));
 * ```
 */
export function renderBenchHtml(input: BenchReportInput): string {
  const issues = inputIssues(input);
  if (issues.length > 0) {
    throw new KefuError('INVALID_INPUT', `renderBenchHtml: the input is malformed: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. See BenchReportInput.`, { issues });
  }
  const s = input.summary;
  const kpis = `<div class="kpis">${[
    kpi('accuracy', 'accuracy (in scope)', pct(s.accuracy)),
    kpi('macroF1', 'macro-F1', pct(s.macroF1)),
    ...(s.overallAccuracy === undefined ? [] : [kpi('overallAccuracy', 'accuracy incl. out of scope', pct(s.overallAccuracy))]),
    ...(s.oosRecall === undefined ? [] : [kpi('oosRecall', 'out-of-scope recall', pct(s.oosRecall))]),
    kpi('ece', 'ECE (calibration error)', num(s.ece, 3)),
    kpi('p50', 'latency p50', `${num(input.latency.p50Ms, 3)} ms`),
    kpi('p95', 'latency p95', `${num(input.latency.p95Ms, 3)} ms`),
    kpi('p99', 'latency p99', `${num(input.latency.p99Ms, 3)} ms`),
    kpi('testExamples', 'test messages', int(s.testExamples)),
  ].join('')}</div>`;
  const sortedIntents = [...input.perIntent].sort((a, b) => a.f1 - b.f1 || (a.name < b.name ? -1 : 1));
  const f1Bars =
    sortedIntents.length === 0
      ? '<p class="muted">no intents</p>'
      : barChart(
          sortedIntents.map((i) => ({ label: i.name, value: i.f1, display: `${pct(i.f1)} (n=${i.support})` })),
          { id: 'chart-f1', max: 1 },
        );
  const reliability =
    input.reliability.length === 0
      ? '<p class="muted">no prediction rows given</p>'
      : reliabilityDiagram(input.reliability, { id: 'chart-reliability' }) +
        table(
          ['bin', 'n', 'mean confidence', 'accuracy'],
          input.reliability.filter((b) => b.count > 0).map((b) => [`${num(b.lower, 1)}–${num(b.upper, 1)}`, int(b.count), pct(b.confidence), pct(b.accuracy)]),
          [1, 2, 3],
        );
  const marks = [
    { label: `p50 ${num(input.latency.p50Ms, 3)}`, value: input.latency.p50Ms },
    { label: `p95 ${num(input.latency.p95Ms, 3)}`, value: input.latency.p95Ms },
    { label: `p99 ${num(input.latency.p99Ms, 3)}`, value: input.latency.p99Ms },
  ];
  const latency =
    (input.latency.histogram !== undefined && input.latency.histogram.length > 0
      ? histogram(input.latency.histogram, marks, { id: 'chart-latency' })
      : '<p class="muted">no latency samples given; percentiles only</p>') +
    `<p data-metric="latency">p50 ${num(input.latency.p50Ms, 3)} ms · p95 ${num(input.latency.p95Ms, 3)} ms · p99 ${num(input.latency.p99Ms, 3)} ms${input.latency.samples === undefined ? '' : ` over ${int(input.latency.samples)} messages`}</p>`;
  const show = (v: number | null, unit: SideBySideRow['unit']): string => {
    if (v === null) return '—';
    if (unit === 'ms') return `${num(v, 3)} ms`;
    if (unit === 's') return `${num(v, 2)} s`;
    if (unit === 'kb') return `${int(v)} KB`;
    if (unit === 'number') return num(v, 3);
    return pct(v);
  };
  const side =
    input.sideBySide.length === 0
      ? '<p class="muted">no side-by-side figures given</p>'
      : table(
          ['dataset', 'metric', 'kefu', 'NLP.js', 'kefu / NLP.js'],
          input.sideBySide.map((r) => {
            const ratio = r.ratio !== undefined ? r.ratio : r.kefu !== null && r.nlpjs !== null && r.nlpjs !== 0 ? r.kefu / r.nlpjs : null;
            return [text(r.dataset), text(r.metric), show(r.kefu, r.unit), show(r.nlpjs, r.unit), ratio === null ? '—' : `${num(ratio, 2)}×`];
          }),
          [2, 3, 4],
        );
  const body = [
    section('Summary', kpis, { wide: true, id: 'summary' }),
    section('Per-intent F1', f1Bars, { id: 'per-intent' }),
    section('Confusion matrix', input.confusion.labels.length === 0 ? '<p class="muted">empty</p>' : heatMap(input.confusion.labels, input.confusion.counts, { id: 'chart-confusion', rowTitle: 'gold', colTitle: 'predicted' }), { id: 'confusion' }),
    section('Reliability (calibration)', reliability, { id: 'reliability' }),
    section('Latency per message', latency, { id: 'latency' }),
    section('kefu vs NLP.js', side, { wide: true, id: 'side-by-side' }),
  ].join('\n');
  const title = input.title ?? 'kefu intent bench';
  const subtitle = `${text(input.dataset)}${input.generatedAt === undefined ? '' : ` · ${text(input.generatedAt)}`}`;
  return page(title, subtitle, body, input);
}

function checkRows(rows: readonly PredictionRow[]): void {
  const ok =
    Array.isArray(rows) &&
    rows.every(
      (r) =>
        typeof r === 'object' && r !== null && (r.gold === null || typeof r.gold === 'string') && (r.predicted === null || typeof r.predicted === 'string') &&
        typeof r.confidence === 'number' && r.confidence >= 0 && r.confidence <= 1,
    );
  if (!ok) throw new KefuError('INVALID_INPUT', `Prediction rows must be an array of { gold, predicted, confidence in [0, 1] }, got ${describe(rows)}.`, {});
}

function inputIssues(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [`expected an object, got ${describe(input)}`];
  const i = input as Partial<Record<keyof BenchReportInput, unknown>>;
  const issues: string[] = [];
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  if (typeof i.dataset !== 'string') issues.push('dataset must be a string');
  const s = i.summary as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) issues.push('summary must be an object');
  else for (const k of ['accuracy', 'macroF1', 'ece', 'testExamples']) if (!finite(s[k])) issues.push(`summary.${k} must be a number`);
  if (!Array.isArray(i.perIntent) || !i.perIntent.every((p: { name?: unknown; f1?: unknown }) => typeof p?.name === 'string' && finite(p.f1))) issues.push('perIntent must be an array of { name, f1, … }');
  const c = i.confusion as { labels?: unknown; counts?: unknown } | undefined;
  if (
    typeof c !== 'object' || c === null || !Array.isArray(c.labels) || !Array.isArray(c.counts) || c.counts.length !== c.labels.length ||
    !c.counts.every((row: unknown) => Array.isArray(row) && row.length === (c.labels as unknown[]).length && row.every(finite))
  ) {
    issues.push('confusion must be { labels, counts } with a square counts matrix of labels.length');
  }
  if (!Array.isArray(i.reliability)) issues.push('reliability must be an array (possibly empty)');
  const l = i.latency as Record<string, unknown> | undefined;
  if (typeof l !== 'object' || l === null || !finite(l.p50Ms) || !finite(l.p95Ms) || !finite(l.p99Ms)) issues.push('latency must have p50Ms, p95Ms and p99Ms');
  if (!Array.isArray(i.sideBySide)) issues.push('sideBySide must be an array (possibly empty)');
  return issues;
}
