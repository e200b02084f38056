// Entities side by side: kefu's learned slot tagger on CAIS, SNIPS and CLUENER2020 (train on train, score test;
// CLUENER2020: dev), kefu's full extractor on the bundled pack's annotated tests, and NLP.js's entity extraction
// (@nlpjs/basic NER) on the same Chinese messages.
//   npx tsx bench/entities-side-by-side.ts [--quick] [--json] [--out FILE] [--only cais,snips,cluener2020,ecommerce-zh] [--seed N]
// Prints a markdown table (progress on stderr); --json prints the JSON report instead; --out writes the JSON report.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  benchEntities,
  benchSlotTagger,
  describeEnvironment,
  latencyPercentiles,
  loadPackEntityDataset,
  loadSharedSlotDataset,
  subsample,
  summarizeEntities,
  type EntityMetrics,
  type LatencyPercentiles,
  type PredictedEntity,
  type SharedSlotDatasetId,
  type SlotTaggerBenchResult,
  type EntityBenchResult,
} from '../src/bench/index.js';
import { createEntityExtractor, createIntentClassifier, trainIntents, type Pack } from '../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACK_DIR = resolve(ROOT, 'fixtures/packs/ecommerce-zh');
const DATASET_IDS = ['cais', 'snips', 'cluener2020', 'ecommerce-zh'] as const;
const NOW = '2026-11-20T10:00:00+08:00';
/** Published figures quoted in the datasets' SOURCE.md, for the table. */
const PUBLISHED: Readonly<Record<string, string>> = {
  cais: 'CM-Net 86.16',
  snips: 'JointBERT 97.0',
  cluener2020: 'BiLSTM-CRF 67.47 · RoBERTa-wwm-large+CRF 79.34 (dev)',
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
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
const quick = values.quick;
const warmup = 200;
const minLatencySamples = quick ? 500 : 2000;

interface NlpjsEntityResult {
  readonly latency: LatencyPercentiles;
  /** Entities NLP.js returned over the scored messages, by type. */
  readonly found: Readonly<Record<string, number>>;
  /** Span scores where NLP.js was given the same entity definitions (the pack); absent otherwise. */
  readonly entities?: EntityMetrics;
  readonly setup: string;
}

interface DatasetResult {
  readonly id: string;
  readonly name: string;
  readonly status: 'ok' | 'skipped';
  readonly reason?: string;
  readonly published?: string;
  readonly trainExamples?: number;
  readonly testExamples?: number;
  readonly kefu?: SlotTaggerBenchResult | (EntityBenchResult & { readonly setup: string });
  readonly nlpjs?: NlpjsEntityResult;
}

const results: DatasetResult[] = [];
const started = performance.now();
for (const id of only) {
  if (id === 'ecommerce-zh') {
    results.push(await benchPack());
    continue;
  }
  const d = await loadSharedSlotDataset(id as SharedSlotDatasetId, { root: ROOT });
  if (d.status === 'skipped') {
    console.error(`${id}: skipped: ${d.reason}`);
    results.push({ id, name: d.name, status: 'skipped', reason: d.reason });
    continue;
  }
  const train = quick ? subsample(d.train, { size: Math.min(d.train.length, 3000), seed }) : d.train;
  const test = quick ? subsample(d.eval, { size: Math.min(d.eval.length, 300), seed }) : d.eval;
  console.error(`${d.name}: train ${train.length}, ${d.evalSplit} ${test.length}: kefu…`);
  const kefu = benchSlotTagger({ train, test, language: d.language, trainOptions: { seed, gazetteer: true }, warmup, minLatencySamples });
  let nlpjs: NlpjsEntityResult | undefined;
  if (d.language === 'zh') {
    console.error(`${d.name}: NLP.js built-in entities…`);
    const n = await runNlpjsEntities({ language: 'zh', messages: test.map((r) => r.text), warmup, minLatencySamples });
    nlpjs = { latency: latencyPercentiles(n.samplesMs), found: countByType(n.predicted), setup: 'built-in extractors only (the dataset has no entity definitions NLP.js could load)' };
  }
  results.push({
    id,
    name: d.name,
    status: 'ok',
    ...(PUBLISHED[id] === undefined ? {} : { published: PUBLISHED[id] }),
    trainExamples: train.length,
    testExamples: test.length,
    kefu,
    ...(nlpjs === undefined ? {} : { nlpjs }),
  });
}

const report = {
  generatedAt: new Date().toISOString(),
  quick,
  seed,
  protocol:
    'Span-level exact match (type + start + end), micro-averaged over all entities: the conlleval figure the published results use. ' +
    'Shared datasets: the learned slot tagger (BIOES labels, an average of 3 seeded averaged structured perceptrons, gazetteer features from train, span typer) trains on train and is scored on test (CLUENER2020: dev). ' +
    `Pack: createEntityExtractor({ pack }) on the pack's held-out tests that carry entity markup, now = ${NOW}; value accuracy over gold entities with a canonical value. ` +
    'NLP.js: nlp.extractEntities on the same messages (built-in extractors; on the pack, also the pack\'s dictionary and regex entities as enum and regex rules). ' +
    'Latency: one performance.now() pair per message after warm-up; the machine is shared, so figures are provisional.',
  env: await describeEnvironment({ seed, root: ROOT }),
  elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
  datasets: results,
};

if (values.json) console.log(JSON.stringify(report, null, 2));
else console.log(renderMarkdown(results));
if (values.out !== undefined) {
  await mkdir(dirname(resolve(values.out)), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`wrote ${values.out}`);
}

async function benchPack(): Promise<DatasetResult> {
  const { pack, test } = await loadPackEntityDataset(PACK_DIR);
  if (test.length === 0) return { id: 'ecommerce-zh', name: 'ecommerce-zh pack', status: 'skipped', reason: 'no pack test carries entity markup' };
  console.error(`ecommerce-zh pack: ${test.length} annotated tests: kefu…`);
  const extractor = createEntityExtractor({ pack });
  const classifier = createIntentClassifier(trainIntents(pack, { seed }));
  const extract = (t: string): PredictedEntity[] => extractor.extract(t, { now: NOW });
  const parse = (t: string): unknown => [classifier.classify(t), extractor.extract(t, { now: NOW })];
  const kefu = benchEntities({ test, extract, parse, warmup, minLatencySamples });
  console.error('ecommerce-zh pack: NLP.js with the pack entities…');
  const n = await runNlpjsEntities({ language: 'zh', messages: test.map((r) => r.text), warmup, minLatencySamples, pack });
  const rows = test.map((r, i) => ({ gold: r.entities, predicted: n.predicted[i] ?? [] }));
  return {
    id: 'ecommerce-zh',
    name: 'ecommerce-zh pack',
    status: 'ok',
    trainExamples: countExamples(pack),
    testExamples: test.length,
    kefu: { ...kefu, setup: 'createEntityExtractor({ pack }): system + regex + dictionary + learned tagger' },
    nlpjs: { latency: latencyPercentiles(n.samplesMs), found: countByType(n.predicted), entities: summarizeEntities(rows), setup: 'built-in extractors + the pack\'s dictionary/lookup entities as enum rules and regex entities as regex rules' },
  };
}

function countExamples(pack: Pack): number {
  return pack.intents.reduce((s, i) => s + i.examples.length, 0);
}

function countByType(predicted: readonly (readonly PredictedEntity[])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of predicted) for (const e of row) out[e.entity] = (out[e.entity] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

function renderMarkdown(rows: readonly DatasetResult[]): string {
  const pct = (x: number | null | undefined): string => (x === undefined || x === null ? '—' : (100 * x).toFixed(2));
  const ms = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(3));
  const main = [
    '| dataset (scored n) | kefu P | kefu R | kefu F1 | published | kefu value acc | kefu train s | kefu model KB | kefu p50 / p95 ms | parse p50 / p95 ms (entity share) | NLP.js F1 | NLP.js p50 / p95 ms | NLP.js found |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const perType: string[] = [];
  for (const r of rows) {
    if (r.status === 'skipped' || r.kefu === undefined) {
      main.push(`| ${r.name} | skipped: ${r.reason ?? ''} ||||||||||||`);
      continue;
    }
    const k = r.kefu;
    const m = k.entities.micro;
    const train = 'trainSeconds' in k ? k.trainSeconds.toFixed(1) : '—';
    const kb = 'modelBytes' in k ? Math.round(k.modelBytes / 1024).toString() : '—';
    const parse = k.parseLatency === undefined ? '—' : `${ms(k.parseLatency.p50Ms)} / ${ms(k.parseLatency.p95Ms)} (${pct(k.latencyShare)}%)`;
    const n = r.nlpjs;
    const found = n === undefined ? '—' : Object.entries(n.found).map(([t, c]) => `${t} ${c}`).join(', ') || 'nothing';
    main.push(
      `| ${r.name} (${r.testExamples ?? 0}) | ${pct(m.precision)} | ${pct(m.recall)} | **${pct(m.f1)}** | ${r.published ?? '—'} | ${pct(k.entities.valueAccuracy)} | ${train} | ${kb} | ` +
        `${ms(k.latency.p50Ms)} / ${ms(k.latency.p95Ms)} | ${parse} | ${n?.entities === undefined ? '—' : pct(n.entities.micro.f1)} | ` +
        `${n === undefined ? '—' : `${ms(n.latency.p50Ms)} / ${ms(n.latency.p95Ms)}`} | ${found} |`,
    );
    perType.push(
      `- **${r.name}**: ${Object.entries(k.entities.perEntity)
        .filter(([, s]) => s.support > 0)
        .map(([t, s]) => `${t} ${pct(s.f1)} (${s.support})`)
        .join(', ')}`,
    );
  }
  return [
    ...main,
    '',
    'Span-level exact-match micro P/R/F1 (conlleval). Latency per message after warm-up on a shared machine (provisional).',
    '',
    'Per-type F1 (gold support):',
    '',
    ...perType,
  ].join('\n');
}


interface NlpjsNerEntity {
  readonly start: number;
  readonly end: number;
  readonly entity: string;
  readonly option?: string;
  readonly sourceText?: string;
}

/** The parts of NLP.js v4 used here (its packages ship no types; bench/nlpjs-modules.d.ts declares the container). */
interface NlpjsNer {
  addLanguage(locale: string): void;
  addNerRuleOptionTexts(locale: string, entity: string, option: string, texts: readonly string[]): void;
  addNerRegexRule(locale: string, entity: string, regex: RegExp): void;
  extractEntities(locale: string, utterance: string): Promise<{ readonly entities?: readonly NlpjsNerEntity[] }>;
}

/**
 * NLP.js's entity extraction (`nlp.extractEntities`, its NER pipeline) on `messages`: built-in extractors, plus the
 * pack's dictionary and lookup entities as enum rules and regex entities as regex rules when a pack is given.
 * NLP.js ends are inclusive; they are made half-open here.
 */
async function runNlpjsEntities(options: {
  readonly language: 'zh' | 'en';
  readonly messages: readonly string[];
  readonly warmup: number;
  readonly minLatencySamples: number;
  readonly pack?: Pack;
}): Promise<{ readonly predicted: PredictedEntity[][]; readonly samplesMs: number[] }> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const [basic, zh, en] = await Promise.all([import('@nlpjs/basic'), import('@nlpjs/lang-zh'), import('@nlpjs/lang-en')]);
  if (previous === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previous;
  const container = basic.containerBootstrap({}, false);
  container.registerConfiguration('nlp', { languages: [options.language], autoSave: false, autoLoad: false, calculateSentiment: false, nlu: { log: false } }, true);
  container.use(basic.Nlp);
  container.use(options.language === 'zh' ? zh.LangZh : en.LangEn);
  const nlp = container.get('nlp') as unknown as NlpjsNer;
  nlp.addLanguage(options.language);
  for (const e of options.pack?.entities ?? []) {
    if (e.type === 'dictionary') for (const v of e.values) nlp.addNerRuleOptionTexts(options.language, e.name, v.value, [v.value, ...v.synonyms]);
    else if (e.type === 'lookup') for (const v of e.values) nlp.addNerRuleOptionTexts(options.language, e.name, v, [v]);
    else if (e.type === 'regex') nlp.addNerRegexRule(options.language, e.name, new RegExp(e.pattern, `${e.flags}gu`));
  }
  const { messages } = options;
  const log = console.log;
  console.log = () => undefined;
  try {
    for (let i = 0; i < options.warmup; i++) await nlp.extractEntities(options.language, messages[i % messages.length] as string);
    const predicted: PredictedEntity[][] = [];
    const samplesMs: number[] = [];
    for (const text of messages) {
      const t0 = performance.now();
      const r = await nlp.extractEntities(options.language, text);
      samplesMs.push(performance.now() - t0);
      predicted.push((r.entities ?? []).map((e) => ({ entity: e.entity, start: e.start, end: e.end + 1, value: e.option ?? e.sourceText ?? '' })));
    }
    for (let i = 0; samplesMs.length < options.minLatencySamples; i++) {
      const t0 = performance.now();
      await nlp.extractEntities(options.language, messages[i % messages.length] as string);
      samplesMs.push(performance.now() - t0);
    }
    return { predicted, samplesMs };
  } finally {
    console.log = log;
  }
}
