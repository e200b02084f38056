// kefu vs NLP.js on the same splits: SMP2017-ECDT, CAIS, CLINC150 (with out-of-scope), SNIPS and the bundled pack.
//   npx tsx bench/intent-side-by-side.ts [--quick] [--out FILE] [--only id,id] [--seed N]
// Prints a markdown table on stdout (progress on stderr) and writes every figure as JSON to --out.
// Both systems train on `train` and are scored on `test`; nothing is tuned on `test`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  benchIntent,
  describeEnvironment,
  latencyPercentiles,
  loadPackIntentDataset,
  loadSharedIntentDataset,
  subsample,
  summarizeIntent,
  type IntentBenchResult,
  type IntentMetrics,
  type LatencyPercentiles,
  type SharedIntentDatasetId,
} from '../src/bench/index.js';
import type { IntentExample, IntentTrainingData } from '../src/intent/index.js';
import { benchReportInputFromResult, renderBenchHtml, type Lang, type SideBySideRow } from '../src/index.js';
import { NLPJS_THRESHOLD, runNlpjs } from './nlpjs.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACK_DIR = resolve(ROOT, 'fixtures/packs/ecommerce-zh');
/** Test-set size per dataset with --quick (CLINC150 keeps its out-of-scope share in expectation). */
const QUICK_TEST_SIZE: Readonly<Record<string, number>> = { smp2017_ecdt: 300, cais: 300, clinc150: 1000, snips: 300, 'ecommerce-zh': Infinity };
const DATASET_IDS = ['smp2017_ecdt', 'cais', 'clinc150', 'snips', 'ecommerce-zh'] as const;

interface Job {
  readonly id: string;
  readonly name: string;
  readonly language: Lang;
  /** What kefu trains on (a pack keeps its dictionary and synonyms). */
  readonly kefuTrain: IntentTrainingData;
  /** The same examples as plain rows, for NLP.js. */
  readonly train: readonly IntentExample[];
  readonly test: readonly IntentExample[];
  /** English datasets get kefu's English pipeline; a pack brings its own language. */
  readonly kefuLanguage?: Lang;
  /** The out-of-scope operating point chosen on dev (see SHARED_INTENT_DATASETS). */
  readonly oosRecall?: number;
}

interface NlpjsResult {
  readonly intent: IntentMetrics;
  readonly latency: LatencyPercentiles;
  readonly trainSeconds: number;
  readonly modelBytes: number;
  readonly threshold: number;
}

interface DatasetResult {
  readonly id: string;
  readonly name: string;
  readonly status: 'ok' | 'skipped';
  readonly reason?: string;
  readonly trainExamples?: number;
  readonly testExamples?: number;
  readonly kefu?: IntentBenchResult;
  readonly nlpjs?: NlpjsResult;
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    html: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer, got ${values.seed}`);
  process.exit(2);
}
const only = values.only === undefined ? [...DATASET_IDS] : values.only.split(',').map((s) => s.trim());
const unknown = only.filter((id) => !(DATASET_IDS as readonly string[]).includes(id));
if (unknown.length > 0) {
  console.error(`Unknown dataset(s) ${unknown.join(', ')}; valid: ${DATASET_IDS.join(', ')}`);
  process.exit(2);
}

const warmup = 200;
const minLatencySamples = values.quick ? 1000 : 2000;
const results: DatasetResult[] = [];
/** The dataset whose charts the --html page shows (the side-by-side table covers every dataset). */
const HTML_DATASET = 'ecommerce-zh';
let htmlDetails: { readonly name: string; readonly result: IntentBenchResult } | null = null;

function withoutDetails(r: IntentBenchResult): IntentBenchResult {
  return Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'details')) as unknown as IntentBenchResult;
}

/** One dataset's kefu and NLP.js figures as rows of the bench page's side-by-side table. */
function sideBySideRows(r: DatasetResult): SideBySideRow[] {
  const k = r.kefu;
  const n = r.nlpjs;
  if (k === undefined || n === undefined) return [];
  const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  const rows: SideBySideRow[] = [
    { dataset: r.name, metric: 'accuracy', kefu: k.intent.accuracy, nlpjs: n.intent.accuracy, ratio: ratio(k.intent.accuracy, n.intent.accuracy) },
    { dataset: r.name, metric: 'macro-F1', kefu: k.intent.macroF1, nlpjs: n.intent.macroF1, ratio: ratio(k.intent.macroF1, n.intent.macroF1) },
  ];
  if (k.intent.oos !== undefined && n.intent.oos !== undefined) {
    rows.push({ dataset: r.name, metric: 'OOS recall', kefu: k.intent.oos.recall, nlpjs: n.intent.oos.recall, ratio: ratio(k.intent.oos.recall, n.intent.oos.recall) });
  }
  rows.push(
    { dataset: r.name, metric: 'p50 latency', kefu: k.latency.p50Ms, nlpjs: n.latency.p50Ms, ratio: ratio(k.latency.p50Ms, n.latency.p50Ms), unit: 'ms' },
    { dataset: r.name, metric: 'p95 latency', kefu: k.latency.p95Ms, nlpjs: n.latency.p95Ms, ratio: ratio(k.latency.p95Ms, n.latency.p95Ms), unit: 'ms' },
    { dataset: r.name, metric: 'train time', kefu: k.trainSeconds, nlpjs: n.trainSeconds, ratio: ratio(k.trainSeconds, n.trainSeconds), unit: 's' },
  );
  return rows;
}
const started = performance.now();

for (const id of only) {
  const job = await prepare(id);
  if ('skipped' in job) {
    console.error(`${id}: skipped: ${job.skipped}`);
    results.push({ id, name: job.name, status: 'skipped', reason: job.skipped });
    continue;
  }
  console.error(`${job.name}: train ${job.train.length}, test ${job.test.length}: kefu…`);
  const kefu = await benchIntent({
    train: job.kefuTrain,
    test: job.test,
    seed,
    warmup,
    minLatencySamples,
    root: ROOT,
    keepDetails: values.html !== undefined && id === HTML_DATASET,
    ...(job.kefuLanguage === undefined ? {} : { language: job.kefuLanguage }),
    ...(job.oosRecall === undefined ? {} : { trainOptions: { oosRecall: job.oosRecall } }),
  });
  console.error(`${job.name}: NLP.js…`);
  const n = await runNlpjs({ language: job.language, train: job.train, test: job.test, warmup, minLatencySamples });
  if (kefu.details !== undefined) htmlDetails = { name: job.name, result: kefu };
  results.push({
    id,
    name: job.name,
    status: 'ok',
    trainExamples: job.train.length,
    testExamples: job.test.length,
    kefu: withoutDetails(kefu),
    nlpjs: {
      intent: summarizeIntent(n.rows),
      latency: latencyPercentiles(n.samplesMs),
      trainSeconds: n.trainSeconds,
      modelBytes: n.modelBytes,
      threshold: NLPJS_THRESHOLD,
    },
  });
}

const report = {
  generatedAt: new Date().toISOString(),
  quick: values.quick,
  seed,
  protocol:
    'Train on train, score on test (pack: intents + outOfScope vs. held-out tests). accuracy = in-scope accuracy, a decline counts as wrong; ' +
    'topAccuracy = closed-set top-1 ignoring thresholds; oos.recall = share of out-of-scope rows declined. kefu uses its trained thresholds; ' +
    `NLP.js uses nlp.process with its default threshold ${NLPJS_THRESHOLD}, its 'None' intent read as a decline, out-of-scope training rows added as 'None'.`,
  env: await describeEnvironment({ seed, root: ROOT }),
  elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
  datasets: results,
};

console.log(renderMarkdown(results));
if (values.html !== undefined) {
  if (htmlDetails === null) {
    console.error(`--html: the ${HTML_DATASET} dataset was not run (see --only); no page written`);
  } else {
    const sideBySide = results.flatMap((r) => (r.status === 'ok' ? sideBySideRows(r) : []));
    const { result, name } = htmlDetails;
    const details = result.details;
    const input = benchReportInputFromResult(result, {
      dataset: name,
      sideBySide,
      ...(details === undefined ? {} : { rows: details.rows, samplesMs: details.samplesMs }),
    });
    await mkdir(dirname(resolve(values.html)), { recursive: true });
    await writeFile(values.html, renderBenchHtml(input));
    console.error(`wrote ${values.html}`);
  }
}
if (values.out !== undefined) {
  await mkdir(dirname(resolve(values.out)), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`wrote ${values.out}`);
}

async function prepare(id: string): Promise<Job | { readonly name: string; readonly skipped: string }> {
  if (id === 'ecommerce-zh') {
    const { pack, train, test } = await loadPackIntentDataset(PACK_DIR);
    const rows: IntentExample[] = [
      ...pack.intents.flatMap((intent) => intent.examples.map((e) => ({ text: e.text, intent: intent.name }))),
      ...pack.outOfScope.map((e) => ({ text: e.text, intent: null })),
    ];
    return { id, name: 'ecommerce-zh pack', language: pack.language, kefuTrain: train, train: rows, test: quickTest(id, test) };
  }
  const d = await loadSharedIntentDataset(id as SharedIntentDatasetId, { root: ROOT });
  if (d.status === 'skipped') return { name: d.name, skipped: d.reason };
  return {
    id,
    name: d.name,
    language: d.language,
    kefuTrain: d.train,
    train: d.train,
    test: quickTest(id, d.test),
    ...(d.language === 'en' ? { kefuLanguage: d.language } : {}),
    ...(d.oosRecall === undefined ? {} : { oosRecall: d.oosRecall }),
  };
}

function quickTest(id: string, test: readonly IntentExample[]): readonly IntentExample[] {
  return values.quick ? subsample(test, { size: Math.min(test.length, QUICK_TEST_SIZE[id] ?? 300), seed }) : test;
}

function renderMarkdown(rows: readonly DatasetResult[]): string {
  const pct = (x: number | undefined): string => (x === undefined ? '—' : (100 * x).toFixed(1));
  const ms = (x: number): string => x.toFixed(3);
  const sec = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  const main = [
    '| dataset (test n) | kefu acc | NLP.js acc | kefu top-1 | NLP.js top-1 | kefu OOS recall | NLP.js OOS recall | kefu train s | NLP.js train s | kefu p50 / p95 ms | NLP.js p50 / p95 ms | kefu/NLP.js p50 · p95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const details = [
    '| dataset | kefu macro-F1 | NLP.js macro-F1 | kefu acc incl. OOS | NLP.js acc incl. OOS | kefu ECE | NLP.js ECE | kefu model KB | NLP.js model KB | kefu accept / clarify / fallback |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.status === 'skipped' || r.kefu === undefined || r.nlpjs === undefined) {
      main.push(`| ${r.name} | skipped: ${r.reason ?? ''} |||||||||||`);
      continue;
    }
    const k = r.kefu;
    const n = r.nlpjs;
    main.push(
      `| ${r.name} (${r.testExamples ?? 0}) | ${pct(k.intent.accuracy)} | ${pct(n.intent.accuracy)} | ${pct(k.intent.topAccuracy)} | ${pct(n.intent.topAccuracy)} | ` +
        `${pct(k.intent.oos?.recall)} | ${pct(n.intent.oos?.recall)} | ${sec(k.trainSeconds)} | ${sec(n.trainSeconds)} | ` +
        `${ms(k.latency.p50Ms)} / ${ms(k.latency.p95Ms)} | ${ms(n.latency.p50Ms)} / ${ms(n.latency.p95Ms)} | ` +
        `${ratio(k.latency.p50Ms, n.latency.p50Ms)} · ${ratio(k.latency.p95Ms, n.latency.p95Ms)} |`,
    );
    const d = k.intent.decisions;
    details.push(
      `| ${r.name} | ${pct(k.intent.macroF1)} | ${pct(n.intent.macroF1)} | ${pct(k.intent.overallAccuracy)} | ${pct(n.intent.overallAccuracy)} | ` +
        `${k.intent.ece.toFixed(3)} | ${n.intent.ece.toFixed(3)} | ${Math.round(k.modelBytes / 1024)} | ${Math.round(n.modelBytes / 1024)} | ${d.accept} / ${d.clarify} / ${d.fallback} |`,
    );
  }
  return [
    ...main,
    '',
    'Accuracy is in-scope accuracy (a decline counts as wrong); top-1 ignores thresholds. Latency per message after warm-up.',
    '',
    ...details,
  ].join('\n');
}
