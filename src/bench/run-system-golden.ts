import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';
import { extractSystemEntities, type SystemEntityOptions } from '../entities/system/index.js';
import type { Entity } from '../entities/types.js';
import { latencyPercentiles, type LatencyPercentiles } from './metrics.js';

/** One expected entity of a golden case. Extra fields are compared only when the case states them. */
export interface GoldenEntity {
  readonly entity: string;
  readonly value: string | number;
  readonly text: string;
  readonly start?: number;
  readonly courier?: string;
  readonly currency?: string;
  readonly unit?: string;
  readonly kind?: string;
}

/** One golden case: a message, its clock and the entities expected in order of position. */
export interface GoldenCase {
  readonly text: string;
  readonly now?: string;
  readonly timeZone?: string;
  readonly orderIdPattern?: string;
  readonly entities: readonly GoldenEntity[];
}

/** A case the extractor got wrong, with what it returned. */
export interface GoldenFailure {
  readonly text: string;
  readonly expected: readonly GoldenEntity[];
  readonly actual: readonly GoldenEntity[];
}

/** Options of {@link benchSystemEntityGolden}. */
export interface BenchSystemGoldenOptions {
  /** The golden YAML file (`fixtures/entities/golden.yaml`). */
  readonly file: string;
  /** Timed passes over all cases after one warm-up pass. Default 5. */
  readonly repeat?: number;
}

/** The result of {@link benchSystemEntityGolden}. Accuracy is rounded to 4 decimals, latency to 0.1 µs. */
export interface SystemGoldenResult {
  readonly cases: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Per entity type: cases where it is expected or returned, and of those the cases where both lists agree. */
  readonly perEntity: Readonly<Record<string, { readonly cases: number; readonly correct: number }>>;
  readonly failures: readonly GoldenFailure[];
  /** Per-message `extractSystemEntities` latency over `repeat` passes. */
  readonly latency: LatencyPercentiles;
}

const EXTRA_FIELDS = ['courier', 'currency', 'unit', 'kind'] as const;

/**
 * Scores `extractSystemEntities` on a golden file: a case is correct when the extracted list equals the expected one
 * (same entity types, texts and values, in order, and the same extra fields where the case states them), and times
 * every call. The file holds `now` and `timeZone` defaults and `cases: [{ text, now?, timeZone?, entities }]`.
 *
 * @example
 * ```ts
 * const r = await benchSystemEntityGolden({ file: 'fixtures/entities/golden.yaml' });
 * r.accuracy;      // 1
 * r.latency.p95Ms; // 0.05
 * ```
 */
export async function benchSystemEntityGolden(options: BenchSystemGoldenOptions): Promise<SystemGoldenResult> {
  checkOption(typeof options === 'object' && options !== null && !Array.isArray(options), 'benchSystemEntityGolden', 'options', options, 'an object { file }');
  checkOption(typeof options.file === 'string' && options.file.length > 0, 'benchSystemEntityGolden', 'file', options.file, 'a path to a golden YAML file');
  const repeat = options.repeat ?? 5;
  checkOption(Number.isInteger(repeat) && repeat >= 1, 'benchSystemEntityGolden', 'repeat', repeat, 'a positive integer');
  const cases = parseSystemEntityGolden(await readFile(options.file, 'utf8'), options.file);
  const optionsOf = cases.map((c): SystemEntityOptions => ({
    ...(c.now === undefined ? {} : { now: c.now }),
    ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }),
    ...(c.orderIdPattern === undefined ? {} : { orderIdPattern: c.orderIdPattern }),
  }));

  let correct = 0;
  const perEntity: Record<string, { cases: number; correct: number }> = {};
  const failures: GoldenFailure[] = [];
  cases.forEach((c, i) => {
    const actual = extractSystemEntities(c.text, optionsOf[i]).map(toGolden);
    const ok = sameList(c.entities, actual);
    if (ok) correct++;
    else failures.push({ text: c.text, expected: c.entities, actual });
    const types = new Set([...c.entities.map((e) => e.entity), ...actual.map((e) => e.entity)]);
    for (const type of types) {
      const slot = (perEntity[type] ??= { cases: 0, correct: 0 });
      slot.cases++;
      if (sameList(c.entities.filter((e) => e.entity === type), actual.filter((e) => e.entity === type))) slot.correct++;
    }
  });

  const samples: number[] = [];
  for (let pass = 0; pass <= repeat; pass++) {
    cases.forEach((c, i) => {
      const t0 = performance.now();
      extractSystemEntities(c.text, optionsOf[i]);
      const ms = performance.now() - t0;
      if (pass > 0) samples.push(ms);
    });
  }
  const latency = latencyPercentiles(samples);
  const r = (x: number, scale: number): number => Math.round(x * scale) / scale;
  return {
    cases: cases.length,
    correct,
    accuracy: r(correct / cases.length, 1e4),
    perEntity: Object.fromEntries(Object.entries(perEntity).sort(([a], [b]) => a.localeCompare(b))),
    failures,
    latency: { p50Ms: r(latency.p50Ms, 1e4), p95Ms: r(latency.p95Ms, 1e4), p99Ms: r(latency.p99Ms, 1e4), samples: latency.samples },
  };
}

function toGolden(e: Entity): GoldenEntity {
  return {
    entity: e.entity,
    value: e.value,
    text: e.text,
    start: e.start,
    ...(e.courier === undefined ? {} : { courier: e.courier }),
    ...(e.currency === undefined ? {} : { currency: e.currency }),
    ...(e.unit === undefined ? {} : { unit: e.unit }),
    ...(e.kind === undefined ? {} : { kind: e.kind }),
  };
}

function sameList(expected: readonly GoldenEntity[], actual: readonly GoldenEntity[]): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((e, i) => {
    const a = actual[i] as GoldenEntity;
    if (e.entity !== a.entity || e.text !== a.text || e.value !== a.value) return false;
    if (e.start !== undefined && e.start !== a.start) return false;
    return EXTRA_FIELDS.every((f) => e[f] === undefined || e[f] === a[f]);
  });
}

/** Parses and checks a golden file; every problem is reported at once in `details.issues`. */
export function parseSystemEntityGolden(source: string, file = '<golden>'): GoldenCase[] {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (cause) {
    throw new KefuError('INVALID_INPUT', `${file}: not valid YAML (${(cause as Error).message}). Fix the syntax.`, { file }, { cause });
  }
  const issues: string[] = [];
  const root = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const defaultNow = root['now'];
  const defaultZone = root['timeZone'];
  if (defaultNow !== undefined && typeof defaultNow !== 'string') issues.push(`now must be an ISO string, got ${describe(defaultNow)}`);
  if (defaultZone !== undefined && typeof defaultZone !== 'string') issues.push(`timeZone must be a string, got ${describe(defaultZone)}`);
  const list = root['cases'];
  if (!Array.isArray(list) || list.length === 0) issues.push('cases must be a non-empty list');
  const cases: GoldenCase[] = [];
  (Array.isArray(list) ? list : []).forEach((item: unknown, i) => {
    const c = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const where = `cases[${i}]`;
    if (typeof c['text'] !== 'string') {
      issues.push(`${where}.text must be a string, got ${describe(c['text'])}`);
      return;
    }
    const entities = c['entities'];
    if (!Array.isArray(entities)) {
      issues.push(`${where}.entities must be a list (use [] for none)`);
      return;
    }
    const parsed: GoldenEntity[] = [];
    entities.forEach((e: unknown, k) => {
      const x = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
      const at = `${where}.entities[${k}]`;
      if (typeof x['entity'] !== 'string') issues.push(`${at}.entity must be a string`);
      if (typeof x['value'] !== 'string' && typeof x['value'] !== 'number') issues.push(`${at}.value must be a string or number`);
      if (typeof x['text'] !== 'string') issues.push(`${at}.text must be a string`);
      else if (!(c['text'] as string).includes(x['text'])) issues.push(`${at}.text ${describe(x['text'])} does not occur in the message`);
      for (const f of EXTRA_FIELDS) if (x[f] !== undefined && typeof x[f] !== 'string') issues.push(`${at}.${f} must be a string`);
      parsed.push({
        entity: String(x['entity']),
        value: x['value'] as string | number,
        text: String(x['text']),
        ...(typeof x['start'] === 'number' ? { start: x['start'] } : {}),
        ...Object.fromEntries(EXTRA_FIELDS.filter((f) => typeof x[f] === 'string').map((f) => [f, x[f] as string])),
      });
    });
    const now = c['now'] ?? defaultNow;
    const timeZone = c['timeZone'] ?? defaultZone;
    cases.push({
      text: c['text'],
      ...(typeof now === 'string' ? { now } : {}),
      ...(typeof timeZone === 'string' ? { timeZone } : {}),
      ...(typeof c['orderIdPattern'] === 'string' ? { orderIdPattern: c['orderIdPattern'] } : {}),
      entities: parsed,
    });
  });
  if (issues.length > 0) {
    throw new KefuError('INVALID_INPUT', `${file}: ${issues.length} problem(s) in the golden file: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? '; …' : ''}`, {
      file,
      issues,
    });
  }
  return cases;
}
