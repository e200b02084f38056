import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { benchReportInputFromResult, KefuError, loadPack, renderBenchHtml, type IntentExample, type IntentTrainingData, type Lang } from '../index.js';
import {
  benchIntent,
  compareWithBaseline,
  OOS_LABEL,
  parseBaseline,
  readIntentJsonl,
  type IntentBenchResult,
} from '../bench/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, parseCliArgs } from './common.js';

export const BENCH_USAGE = `  kefu bench (--pack DIR [--test FILE] | --train FILE --test FILE [--lang zh|en])
             [--seed N] [--json] [--out FILE] [--html FILE] [--baseline FILE]
                                             measure accuracy, calibration and latency on held-out messages;
                                             --html writes a self-contained report page with charts;
                                             with --baseline, exit 1 when a tracked metric regressed`;

/** The `kefu bench` result: one object, the shape other tools and CI scripts read. */
export interface BenchCommandResult extends IntentBenchResult {
  readonly source: { readonly pack: string | null; readonly train: string | null; readonly test: string };
}

/**
 * `kefu bench`: trains on the pack (or on `--train` JSONL), evaluates on the pack's held-out tests (or `--test` JSONL
 * `{"text","intent"}` rows, `oos` marking out-of-scope), prints a summary or, with `--json`, one JSON object, and with
 * `--baseline` compares against a stored result: exit 1 on a regression, 0 otherwise, 2 for bad arguments or files.
 */
export async function benchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    pack: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    lang: { type: 'string' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    html: { type: 'string' },
    baseline: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`bench takes no positional arguments, got "${positionals.join(' ')}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en') throw new UsageError(`--lang must be zh or en, got "${values.lang}"`);
  if (values.pack !== undefined && values.train !== undefined) throw new UsageError('bench takes --pack DIR or --train FILE, not both');
  if (values.pack !== undefined && values.lang !== undefined) throw new UsageError('--lang applies to --train data; a pack states its own language');

  // Read the baseline first: a bad baseline file is a usage problem (exit 2), found before minutes of measuring.
  const baseline = values.baseline === undefined ? null : await readBaseline(values.baseline);

  let train: IntentTrainingData;
  let test: readonly IntentExample[];
  let language: Lang | undefined;
  if (values.pack !== undefined) {
    const pack = await loadPack(values.pack);
    train = pack;
    if (values.test !== undefined) {
      test = await readTestRows(values.test);
    } else {
      test = pack.tests.flatMap((t) => (t.intent === undefined ? [] : [{ text: t.text, intent: t.intent }]));
      if (test.length === 0) throw new UsageError(`the pack at ${values.pack} has no intent tests; pass --test FILE`);
    }
  } else if (values.train !== undefined) {
    if (values.test === undefined) throw new UsageError('bench --train FILE needs --test FILE');
    train = await readIntentJsonl(values.train);
    test = await readTestRows(values.test);
    language = (values.lang ?? 'zh') as Lang;
  } else {
    throw new UsageError('bench needs --pack DIR or --train FILE --test FILE');
  }

  const { details, ...intent } = await benchIntent({
    train,
    test,
    seed,
    root: process.cwd(),
    keepDetails: values.html !== undefined,
    ...(language === undefined ? {} : { language }),
  });
  const result: BenchCommandResult = {
    ...intent,
    source: {
      pack: values.pack === undefined ? null : resolve(values.pack),
      train: values.train === undefined ? null : resolve(values.train),
      test: values.test === undefined ? 'pack tests' : resolve(values.test),
    },
  };
  const json = `${JSON.stringify(result)}\n`;
  if (values.out !== undefined) await writeFile(values.out, values.json ? json : `${JSON.stringify(result, null, 2)}\n`);
  if (values.html !== undefined) {
    const dataset = values.pack !== undefined ? `pack ${values.pack}` : `${values.train} → ${values.test}`;
    const input = benchReportInputFromResult(result, { dataset, ...(details === undefined ? {} : { rows: details.rows, samplesMs: details.samplesMs }) });
    await writeFile(values.html, renderBenchHtml(input));
  }
  if (values.json) process.stdout.write(json);
  else process.stdout.write(formatSummary(result));

  if (baseline === null) return EXIT_OK;
  const regressions = compareWithBaseline(result, baseline);
  for (const r of regressions) process.stderr.write(`kefu: regression: ${r.message}\n`);
  if (regressions.length === 0) process.stderr.write(`kefu: baseline OK: ${Object.keys(baseline.metrics).length} metric(s) checked\n`);
  return regressions.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

async function readBaseline(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --baseline ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${path} is not valid JSON`);
  }
  try {
    return parseBaseline(value);
  } catch (e) {
    if (e instanceof KefuError) throw new UsageError(`--baseline ${path}: ${e.message}`);
    throw e;
  }
}

/** Test rows: JSONL `{"text","intent"}` (`oos` = out of scope). A malformed file is a usage problem, exit 2. */
async function readTestRows(path: string): Promise<IntentExample[]> {
  try {
    return await readIntentJsonl(path);
  } catch (e) {
    if (e instanceof KefuError && e.code === 'INVALID_INPUT') throw new UsageError(e.message);
    throw e;
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function formatSummary(r: BenchCommandResult): string {
  const m = r.intent;
  const lines = [
    `test messages     ${r.testExamples} (training examples ${r.examples})`,
    `accuracy          ${pct(m.accuracy)}   top-1 ${pct(m.topAccuracy)}   macro-F1 ${pct(m.macroF1)}   ECE ${m.ece.toFixed(3)}`,
  ];
  if (m.oos !== undefined) lines.push(`out of scope      precision ${pct(m.oos.precision)}   recall ${pct(m.oos.recall)}   (label "${OOS_LABEL}")`);
  lines.push(
    `decisions         accept ${m.decisions.accept}   clarify ${m.decisions.clarify}   fallback ${m.decisions.fallback}`,
    `latency           p50 ${r.latency.p50Ms} ms   p95 ${r.latency.p95Ms} ms   p99 ${r.latency.p99Ms} ms (${r.latency.samples} messages)`,
    `training          ${r.trainSeconds} s, model ${(r.modelBytes / 1024).toFixed(0)} KiB`,
  );
  const weakest = Object.entries(m.perIntent)
    .filter(([, s]) => s.support > 0)
    .sort((a, b) => a[1].f1 - b[1].f1)
    .slice(0, 5);
  if (weakest.length > 0) {
    lines.push('weakest intents   ' + weakest.map(([k, s]) => `${k} F1 ${pct(s.f1)} (n=${s.support})`).join(', '));
  }
  if (m.confusions.length > 0) {
    lines.push('top confusions    ' + m.confusions.slice(0, 5).map((c) => `${c.gold ?? OOS_LABEL}→${c.predicted ?? OOS_LABEL} ×${c.count}`).join(', '));
  }
  return `${lines.join('\n')}\n`;
}

