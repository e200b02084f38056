import { KefuError } from '../errors.js';
import { describe } from '../internal/assert.js';

/**
 * How one tracked metric is judged. `value` + `tolerance`: a regression when the metric moves the wrong way by more
 * than `tolerance` (`higherIsBetter` defaults to true; set it to false for error-like figures such as `ece`).
 * `budget`: a regression when the metric exceeds it (latencies, seconds, bytes).
 */
export type BaselineMetric =
  | { readonly value: number; readonly tolerance: number; readonly higherIsBetter?: boolean }
  | { readonly budget: number };

/**
 * A stored baseline. Keys of `metrics` are dotted paths into a bench result, e.g. `intent.accuracy`,
 * `intent.oos.recall`, `latency.p95Ms` or, for a result that nests several datasets, `clinc150.intent.accuracy`.
 * Other top-level fields (a note, the environment it was measured on) are kept as documentation.
 */
export interface Baseline {
  readonly metrics: Readonly<Record<string, BaselineMetric>>;
}

/** One tracked metric that regressed; `actual` is null when the result lacks the metric (renamed or not measured). */
export interface Regression {
  readonly metric: string;
  readonly kind: 'dropped' | 'rose' | 'over_budget' | 'missing';
  readonly actual: number | null;
  /** The stored value, or the budget. */
  readonly expected: number;
  /** The worst value still accepted. */
  readonly limit: number;
  readonly message: string;
}

/**
 * Validates a parsed baseline file, reporting every problem at once (`INVALID_INPUT` with `details.issues`), so the
 * CLI can exit 2 for a bad baseline rather than report a regression.
 *
 * @example
 * ```ts
 * const baseline = parseBaseline(JSON.parse(await readFile('bench/baseline.json', 'utf8')));
 * ```
 */
export function parseBaseline(value: unknown): Baseline {
  const issues: string[] = [];
  const root = value as Record<string, unknown> | null;
  if (typeof root !== 'object' || root === null || Array.isArray(root) || typeof root.metrics !== 'object' || root.metrics === null || Array.isArray(root.metrics)) {
    issues.push(`the baseline must be an object with a "metrics" object, got ${describe(value)}`);
  } else {
    for (const [path, raw] of Object.entries(root.metrics as Record<string, unknown>)) {
      const m = raw as Record<string, unknown> | null;
      const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
      if (path === '' || path.split('.').some((p) => p === '')) issues.push(`metric path ${JSON.stringify(path)} must be dot-separated names`);
      if (typeof m !== 'object' || m === null || Array.isArray(m)) {
        issues.push(`metrics[${JSON.stringify(path)}] must be { value, tolerance } or { budget }, got ${describe(raw)}`);
      } else if ('budget' in m) {
        if (!isNum(m.budget) || m.budget < 0) issues.push(`metrics[${JSON.stringify(path)}].budget must be a non-negative number, got ${describe(m.budget)}`);
        if ('value' in m || 'tolerance' in m) issues.push(`metrics[${JSON.stringify(path)}] must have either budget or value + tolerance, not both`);
      } else {
        if (!isNum(m.value)) issues.push(`metrics[${JSON.stringify(path)}].value must be a finite number, got ${describe(m.value)}`);
        if (!isNum(m.tolerance) || m.tolerance < 0) issues.push(`metrics[${JSON.stringify(path)}].tolerance must be a non-negative number, got ${describe(m.tolerance)}`);
        if (m.higherIsBetter !== undefined && typeof m.higherIsBetter !== 'boolean') {
          issues.push(`metrics[${JSON.stringify(path)}].higherIsBetter must be a boolean, got ${describe(m.higherIsBetter)}`);
        }
      }
    }
  }
  if (issues.length > 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `The baseline is malformed: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}. ` +
        'See bench/README.md for the format: { "metrics": { "intent.accuracy": { "value": 0.95, "tolerance": 0.01 }, "latency.p95Ms": { "budget": 0.5 } } }.',
      { issues },
    );
  }
  return value as Baseline;
}

/**
 * Compares a bench result with a baseline and lists every tracked metric that regressed (an empty list means the
 * result passes). Metrics absent from the baseline are not checked; a tracked metric absent from the result is a
 * regression. Exit codes are the caller's business.
 *
 * @example
 * ```ts
 * const regressions = compareWithBaseline(result, {
 *   metrics: { 'intent.accuracy': { value: 0.95, tolerance: 0.01 }, 'latency.p95Ms': { budget: 0.5 } },
 * });
 * for (const r of regressions) console.error(r.message); // "intent.accuracy dropped to 0.9312 (baseline 0.95, tolerance 0.01)"
 * ```
 */
export function compareWithBaseline(result: unknown, baseline: Baseline): readonly Regression[] {
  const checked = parseBaseline(baseline);
  const out: Regression[] = [];
  for (const [metric, spec] of Object.entries(checked.metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const actual = lookup(result, metric);
    const expected = 'budget' in spec ? spec.budget : spec.value;
    if (actual === null) {
      const limit = 'budget' in spec ? spec.budget : limitOf(spec);
      out.push({ metric, kind: 'missing', actual: null, expected, limit, message: `${metric} is missing from the result (baseline ${fmt(expected)}); was it renamed or not measured?` });
      continue;
    }
    if ('budget' in spec) {
      if (actual > spec.budget) {
        out.push({ metric, kind: 'over_budget', actual, expected, limit: spec.budget, message: `${metric} is ${fmt(actual)}, over its budget of ${fmt(spec.budget)}` });
      }
      continue;
    }
    const limit = limitOf(spec);
    const higher = spec.higherIsBetter ?? true;
    // A small epsilon so a result exactly at the limit passes despite float noise in the stored figures.
    if (higher && actual < limit - 1e-9) {
      out.push({ metric, kind: 'dropped', actual, expected, limit, message: `${metric} dropped to ${fmt(actual)} (baseline ${fmt(spec.value)}, tolerance ${fmt(spec.tolerance)})` });
    } else if (!higher && actual > limit + 1e-9) {
      out.push({ metric, kind: 'rose', actual, expected, limit, message: `${metric} rose to ${fmt(actual)} (baseline ${fmt(spec.value)}, tolerance ${fmt(spec.tolerance)})` });
    }
  }
  return out;
}

function limitOf(spec: { readonly value: number; readonly tolerance: number; readonly higherIsBetter?: boolean }): number {
  return (spec.higherIsBetter ?? true) ? spec.value - spec.tolerance : spec.value + spec.tolerance;
}

/** The finite number at a dotted path, or null. */
function lookup(value: unknown, path: string): number | null {
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, key)) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}
