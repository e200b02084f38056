// kefu FAQ retrieval side by side with MiniSearch (same jieba tokenizer, same queries), AFQMC pair accuracy, and a
// 100k-entry synthetic knowledge base (build time, query latency, memory).
//   node --expose-gc --import tsx bench/retrieval-side-by-side.ts [--quick] [--json] [--out FILE]
// Prints a markdown report on stdout (progress on stderr); --json prints the JSON instead; --out writes the JSON.
// Thresholds are tuned on training data only (the pack: leave-one-out over similar questions plus its outOfScope
// list; AFQMC: the train split); held-out figures never feed back into tuning.
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import {
  benchRetrieval,
  describeEnvironment,
  latencyPercentiles,
  packRetrievalTests,
  sharedDatasetsDir,
  summarizeRetrieval,
  type RetrievalBenchResult,
  type RetrievalMetrics,
  type RetrievalPrediction,
  type RetrievalTestRow,
} from '../src/bench/index.js';
import {
  createFaqIndex,
  createPackFaqIndex,
  createTextPipeline,
  loadPack,
  searchFaq,
  type FaqEntryInput,
  type TextPipeline,
} from '../src/index.js';
import { createRandom } from '../src/internal/random.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACK_DIR = join(ROOT, 'fixtures/packs/ecommerce-zh');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
const PARTS = ['pack', 'afqmc', 'synthetic'] as const;
const only = new Set(values.only === undefined ? PARTS : values.only.split(',').map((s) => s.trim()));
const quick = values.quick;
const log = (m: string): void => void process.stderr.write(`${m}\n`);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const mb = (bytes: number): number => Math.round(bytes / 1048576);

/** jieba tokens as MiniSearch sees them: our normaliser and tokenizer, punctuation and emoji dropped. */
function jiebaTokenize(pipeline: TextPipeline): (text: string) => string[] {
  return (text) =>
    pipeline
      .analyze(text.slice(0, 1000))
      .tokens.filter((t) => t.kind !== 'punct' && t.kind !== 'emoji')
      .map((t) => t.norm);
}

interface MiniIndex {
  readonly search: (text: string) => string[];
  readonly buildSeconds: number;
}

/** MiniSearch over every question (standard and similar); an entry ranks by its best question. */
function buildMiniSearch(entries: readonly FaqEntryInput[], pipeline: TextPipeline): MiniIndex {
  const tokenize = jiebaTokenize(pipeline);
  const t0 = performance.now();
  const ms = new MiniSearch<{ id: number; text: string; entry: string }>({
    fields: ['text'],
    storeFields: ['entry'],
    tokenize,
    processTerm: (t) => t,
  });
  let id = 0;
  const docs: { id: number; text: string; entry: string }[] = [];
  for (const e of entries) for (const text of [e.question, ...(e.similar ?? [])]) docs.push({ id: id++, text, entry: e.id });
  ms.addAll(docs);
  const buildSeconds = (performance.now() - t0) / 1000;
  return {
    buildSeconds,
    search: (text) => {
      const seen = new Set<string>();
      const out: string[] = [];
      for (const hit of ms.search(text)) {
        const entry = hit.entry as string;
        if (seen.has(entry)) continue;
        seen.add(entry);
        out.push(entry);
        if (out.length === 10) break;
      }
      return out;
    },
  };
}

function timeQueries(queries: readonly string[], run: (q: string) => void, minSamples: number): ReturnType<typeof latencyPercentiles> {
  for (let i = 0; i < Math.min(200, Math.ceil(queries.length / 10)); i++) run(queries[i] as string);
  const samples: number[] = [];
  for (let i = 0; samples.length < Math.max(minSamples, queries.length); i++) {
    const q = queries[i % queries.length] as string;
    const t0 = performance.now();
    run(q);
    samples.push(performance.now() - t0);
  }
  const l = latencyPercentiles(samples);
  return { p50Ms: r4(l.p50Ms), p95Ms: r4(l.p95Ms), p99Ms: r4(l.p99Ms), samples: l.samples };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The bundled pack: kefu vs MiniSearch on the held-out FAQ tests.

interface PackResult {
  readonly tests: number;
  readonly outOfKb: number;
  readonly buildSeconds: number;
  readonly tuneSeconds: number;
  readonly tuning: unknown;
  readonly kefu: RetrievalBenchResult;
  readonly kefuRrf: RetrievalMetrics;
  readonly minisearch: { readonly retrieval: RetrievalMetrics; readonly latency: ReturnType<typeof latencyPercentiles>; readonly buildSeconds: number };
}

async function runPack(): Promise<PackResult> {
  log('pack: building and tuning…');
  const pack = await loadPack(PACK_DIR);
  const pipeline = createTextPipeline({ language: pack.language, dictionary: pack.dictionary });
  const t0 = performance.now();
  createPackFaqIndex(pack, { pipeline, tune: false });
  const buildSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const { index, tuning } = createPackFaqIndex(pack, { pipeline });
  const tuneSeconds = (performance.now() - t1) / 1000 - buildSeconds;
  const test = packRetrievalTests(pack);
  const kefu = await benchRetrieval({ index, test, root: ROOT });
  const { index: rrfIndex } = createPackFaqIndex(pack, { pipeline, fusion: 'rrf' });
  const kefuRrf = summarizeRetrieval(test.map((row) => predict(row, searchFaq(rrfIndex, row.text, { topK: 10 }))));
  log('pack: MiniSearch…');
  const mini = buildMiniSearch(pack.faq, pipeline);
  // MiniSearch has no "not in the knowledge base" decision: it answers its top hit whenever any term matches.
  const rows = test.map((row): RetrievalPrediction => {
    const ranked = mini.search(row.text);
    return { gold: row.faq, ranked, decision: ranked.length > 0 ? 'answer' : 'none', answered: ranked[0] ?? null };
  });
  const latency = timeQueries(test.map((r) => r.text), (q) => void mini.search(q), 2000);
  return {
    tests: test.length,
    outOfKb: test.filter((t) => t.faq === null).length,
    buildSeconds: r4(buildSeconds),
    tuneSeconds: r4(tuneSeconds),
    tuning,
    kefu,
    kefuRrf,
    minisearch: { retrieval: summarizeRetrieval(rows), latency, buildSeconds: r4(mini.buildSeconds) },
  };
}

function predict(row: RetrievalTestRow, r: ReturnType<typeof searchFaq>): RetrievalPrediction {
  return { gold: row.faq, ranked: r.candidates.map((c) => c.id), decision: r.decision, answered: r.faq?.id ?? null };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. AFQMC question pairs: similarity = kefu's fused score of q1 against an index holding q2; threshold tuned on
// train, accuracy reported on dev and test (DataCLUE version: train 10k / dev 2k / test_public 2k, all labelled).

interface AfqmcResult {
  readonly status: 'ok' | 'skipped';
  readonly reason?: string;
  readonly threshold?: number;
  readonly trainPairs?: number;
  readonly train?: number;
  readonly dev?: number;
  readonly test?: number;
  readonly devMajority?: number;
  readonly testMajority?: number;
  readonly publishedBertBase?: number;
}

async function readPairs(file: string, limit: number): Promise<{ q1: string; q2: string; label: number }[]> {
  const rows = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { q1: string; q2: string; label: number });
  if (rows.length <= limit) return rows;
  const random = createRandom(42);
  const picked = rows.map((r) => ({ r, k: random() })).sort((a, b) => a.k - b.k).slice(0, limit).map((x) => x.r);
  return picked;
}

async function runAfqmc(): Promise<AfqmcResult> {
  const dir = join(sharedDatasetsDir({ root: ROOT }), 'afqmc_dataclue');
  if (!existsSync(join(dir, 'train.jsonl'))) return { status: 'skipped', reason: 'skipped: ../shared not found' };
  log('afqmc: scoring pairs…');
  const pipeline = createTextPipeline({ dictionary: ['花呗', '借呗', '蚂蚁花呗', '蚂蚁借呗', '余额宝', '支付宝'] });
  const score = (q1: string, q2: string): number => {
    const index = createFaqIndex([{ id: 'q2', question: q2, answer: '' }], { pipeline });
    return searchFaq(index, q1, { topK: 1 }).candidates[0]?.score ?? 0;
  };
  const train = await readPairs(join(dir, 'train.jsonl'), quick ? 1500 : 10000);
  const dev = await readPairs(join(dir, 'dev.jsonl'), quick ? 500 : 2000);
  const test = await readPairs(join(dir, 'test.jsonl'), quick ? 500 : 2000);
  const scored = (rows: typeof train): { s: number; y: number }[] => rows.map((r) => ({ s: score(r.q1, r.q2), y: r.label }));
  const tr = scored(train);
  let best = { t: 1.01, acc: 0 };
  for (let t = 0; t <= 1.0001; t += 0.005) {
    const acc = tr.filter((x) => (x.s >= t ? 1 : 0) === x.y).length / tr.length;
    if (acc > best.acc) best = { t: Math.round(t * 1000) / 1000, acc };
  }
  const accuracy = (rows: { s: number; y: number }[]): number => r4(rows.filter((x) => (x.s >= best.t ? 1 : 0) === x.y).length / rows.length);
  const majority = (rows: { y: number }[]): number => r4(rows.filter((x) => x.y === 0).length / rows.length);
  const dv = scored(dev);
  const ts = scored(test);
  return {
    status: 'ok',
    threshold: best.t,
    trainPairs: train.length,
    train: r4(best.acc),
    dev: accuracy(dv),
    test: accuracy(ts),
    devMajority: majority(dv),
    testMajority: majority(ts),
    publishedBertBase: 0.737,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. A 100k-entry synthetic knowledge base: build time, memory, query latency; MiniSearch on the same entries.

const BRANDS = ['星辰', '云朵', '极光', '青竹', '海蓝', '松果', '暖阳', '白鹭', '银河', '山茶', '清泉', '橙子', '木棉', '晨曦', '北斗', '锦鲤', '麦田', '雪松', '紫藤', '飞鱼'];
const CATEGORIES = ['电饭煲', '空气炸锅', '扫地机器人', '蓝牙耳机', '羽绒服', '运动鞋', '保温杯', '电动牙刷', '行李箱', '投影仪', '加湿器', '机械键盘', '瑜伽垫', '榨汁机', '电热水壶', '双肩包', '台灯', '吸尘器', '净水器', '洗碗机', '剃须刀', '吹风机', '显示器', '路由器', '床垫'];
const ASPECTS = [
  '保修多久', '怎么安装', '支持七天无理由退货吗', '有没有现货', '能开发票吗', '怎么清洗', '尺寸怎么选', '是什么材质', '有几种颜色', '耗电量大吗',
  '声音大不大', '适合几个人用', '能用多少年', '有赠品吗', '坏了去哪里修', '配件怎么买', '说明书在哪下载', '可以分期付款吗', '是正品吗', '哪里生产的',
  '重量是多少', '噪音有多大', '续航多久', '充电要多久', '防水吗', '送货上门吗', '能定制吗', '保质期多长', '有没有异味', '会不会掉色',
  '适合送礼吗', '包装结实吗', '能以旧换新吗', '会员有折扣吗', '支持货到付款吗', '多久能发货', '有没有质检报告', '怎么联系售后', '能退差价吗', '适合儿童用吗',
  '有没有更大号的', '和上一代有什么区别', '需要另外买电池吗', '能放进洗碗机吗', '冬天能用吗', '宿舍能用吗', '有没有使用视频', '怎么激活保修', '能换颜色吗', '第一次用要注意什么',
];
const FRAMES = ['{p}{a}', '请问{p}{a}', '{p}的话{a}', '想了解一下{p}{a}'];

function syntheticEntries(n: number): FaqEntryInput[] {
  const out: FaqEntryInput[] = [];
  for (let i = 0; out.length < n; i++) {
    const a = ASPECTS[i % ASPECTS.length] as string;
    const productIndex = Math.floor(i / ASPECTS.length);
    const p = `${BRANDS[productIndex % BRANDS.length] as string}${CATEGORIES[Math.floor(productIndex / BRANDS.length) % CATEGORIES.length] as string}`;
    const frame = FRAMES[Math.floor(productIndex / (BRANDS.length * CATEGORIES.length)) % FRAMES.length] as string;
    const model = Math.floor(productIndex / (BRANDS.length * CATEGORIES.length * FRAMES.length));
    const product = model === 0 ? p : `${p}${model}代`;
    out.push({
      id: `s${i}`,
      question: frame.replace('{p}', product).replace('{a}', a),
      similar: [`${product}${a}呀`, `${a}？${product}`],
      answer: `关于${product}：${a.replace(/吗$/, '')}请见详情页。`,
    });
  }
  return out;
}

interface SyntheticResult {
  readonly entries: number;
  readonly questions: number;
  readonly kefu: { readonly buildSeconds: number; readonly heapMB: number; readonly rssMB: number; readonly latency: ReturnType<typeof latencyPercentiles>; readonly hit1: number };
  readonly minisearch: { readonly buildSeconds: number; readonly heapMB: number; readonly latency: ReturnType<typeof latencyPercentiles>; readonly hit1: number };
}

async function runSynthetic(): Promise<SyntheticResult> {
  const n = quick ? 20000 : 100000;
  log(`synthetic: ${n} entries…`);
  const entries = syntheticEntries(n);
  const pipeline = createTextPipeline();
  const random = createRandom(7);
  const queries: { text: string; gold: string }[] = [];
  for (let k = 0; k < 1000; k++) {
    const e = entries[Math.floor(random() * entries.length)] as FaqEntryInput;
    // A paraphrase with one character dropped: a typo the index has never seen.
    const base = `我想问${e.question.replace(/^请问|^想了解一下/, '')}`;
    const cut = 3 + Math.floor(random() * (base.length - 3));
    queries.push({ text: base.slice(0, cut) + base.slice(cut + 1), gold: e.id });
  }
  gc();
  const heap0 = process.memoryUsage();
  const t0 = performance.now();
  const index = createFaqIndex(entries, { pipeline });
  const buildSeconds = (performance.now() - t0) / 1000;
  gc();
  const heap1 = process.memoryUsage();
  const hit1 = queries.filter((q) => searchFaq(index, q.text).candidates[0]?.id === q.gold).length / queries.length;
  const latency = timeQueries(
    queries.map((q) => q.text),
    (q) => void searchFaq(index, q),
    2000,
  );
  log(`synthetic: kefu build ${buildSeconds.toFixed(1)} s, hit@1 ${hit1}, p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);
  log('synthetic: MiniSearch…');
  gc();
  const m0 = process.memoryUsage().heapUsed;
  const mini = buildMiniSearch(entries, pipeline);
  gc();
  const m1 = process.memoryUsage().heapUsed;
  // MiniSearch takes tenths of a second per query here (OR over common terms): 300 queries, each timed once.
  const miniQueries = queries.slice(0, 300);
  const miniHit1 = miniQueries.filter((q) => mini.search(q.text)[0] === q.gold).length / miniQueries.length;
  const miniLatency = timeQueries(
    miniQueries.map((q) => q.text),
    (q) => void mini.search(q),
    1,
  );
  return {
    entries: n,
    questions: n * 3,
    kefu: { buildSeconds: r4(buildSeconds), heapMB: mb(heap1.heapUsed - heap0.heapUsed), rssMB: mb(heap1.rss), latency, hit1: r4(hit1) },
    minisearch: { buildSeconds: r4(mini.buildSeconds), heapMB: mb(m1 - m0), latency: miniLatency, hit1: r4(miniHit1) },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}`);

function render(report: { pack?: PackResult; afqmc?: AfqmcResult; synthetic?: SyntheticResult; gcExposed: boolean }): string {
  const out: string[] = ['# FAQ retrieval: kefu side by side', ''];
  const p = report.pack;
  if (p) {
    const k = p.kefu.retrieval;
    const m = p.minisearch.retrieval;
    out.push(
      `## Bundled pack ecommerce-zh (${p.tests} held-out tests, ${p.outOfKb} outside the KB)`,
      '',
      '| system | hit@1 | hit@3 | MRR | none recall (out-of-KB → none) | none precision | answered (in-KB) | answer precision | p50 ms | p95 ms |',
      '|---|---|---|---|---|---|---|---|---|---|',
      `| kefu (weighted fusion) | ${pct(k.hit1)} | ${pct(k.hit3)} | ${k.mrr.toFixed(3)} | ${pct(k.none.recall)} | ${pct(k.none.precision)} | ${pct(k.answer.rate)} | ${pct(k.answer.precision)} | ${p.kefu.latency.p50Ms} | ${p.kefu.latency.p95Ms} |`,
      `| kefu (RRF fusion) | ${pct(p.kefuRrf.hit1)} | ${pct(p.kefuRrf.hit3)} | ${p.kefuRrf.mrr.toFixed(3)} | ${pct(p.kefuRrf.none.recall)} | ${pct(p.kefuRrf.none.precision)} | ${pct(p.kefuRrf.answer.rate)} | ${pct(p.kefuRrf.answer.precision)} | | |`,
      `| MiniSearch + jieba | ${pct(m.hit1)} | ${pct(m.hit3)} | ${m.mrr.toFixed(3)} | ${pct(m.none.recall)} | ${pct(m.none.precision)} | ${pct(m.answer.rate)} | ${pct(m.answer.precision)} | ${p.minisearch.latency.p50Ms} | ${p.minisearch.latency.p95Ms} |`,
      `| ratio kefu / MiniSearch | ${ratio(k.hit1, m.hit1)} | ${ratio(k.hit3, m.hit3)} | ${ratio(k.mrr, m.mrr)} | | | | | ${ratio(p.kefu.latency.p50Ms, p.minisearch.latency.p50Ms)} | ${ratio(p.kefu.latency.p95Ms, p.minisearch.latency.p95Ms)} |`,
      '',
      `kefu decisions: ${JSON.stringify(k.decisions)}; thresholds ${JSON.stringify(p.kefu.thresholds)} (tuned by leave-one-out, ${p.tuneSeconds} s); index build ${p.buildSeconds} s.`,
      'MiniSearch has no "not in the knowledge base" decision: it answers whenever a term matches.',
      '',
    );
  }
  const a = report.afqmc;
  if (a) {
    out.push('## AFQMC question pairs (DataCLUE version)', '');
    if (a.status === 'skipped') out.push(a.reason ?? 'skipped', '');
    else {
      out.push(
        '| split | kefu lexical accuracy | always "different" | published BERT-base (full AFQMC, test) |',
        '|---|---|---|---|',
        `| train (${a.trainPairs} pairs, threshold ${a.threshold} tuned here) | ${pct(a.train)} | | |`,
        `| dev | ${pct(a.dev)} | ${pct(a.devMajority)} | 74.16 (dev) |`,
        `| test_public | ${pct(a.test)} | ${pct(a.testMajority)} | 73.70 |`,
        '',
        `Lexical similarity alone ${(a.test ?? 0) > (a.testMajority ?? 0) + 0.005 ? 'barely beats' : 'does not beat'} the majority class on AFQMC: its pairs share most of their words and differ in meaning, which needs a trained sentence model. The BERT figures are on the full AFQMC, not this 10k/2k/2k version.`,
        '',
      );
    }
  }
  const s = report.synthetic;
  if (s) {
    out.push(
      `## Synthetic knowledge base: ${s.entries.toLocaleString('en')} entries, ${s.questions.toLocaleString('en')} questions`,
      '',
      '| system | build s | heap MB | hit@1 (typo queries) | p50 ms | p95 ms | p99 ms |',
      '|---|---|---|---|---|---|---|',
      `| kefu | ${s.kefu.buildSeconds} | ${s.kefu.heapMB} | ${pct(s.kefu.hit1)} | ${s.kefu.latency.p50Ms} | ${s.kefu.latency.p95Ms} | ${s.kefu.latency.p99Ms} |`,
      `| MiniSearch + jieba | ${s.minisearch.buildSeconds} | ${s.minisearch.heapMB} | ${pct(s.minisearch.hit1)} | ${s.minisearch.latency.p50Ms} | ${s.minisearch.latency.p95Ms} | ${s.minisearch.latency.p99Ms} |`,
      `| ratio | ${ratio(s.kefu.buildSeconds, s.minisearch.buildSeconds)} | ${ratio(s.kefu.heapMB, s.minisearch.heapMB)} | | ${ratio(s.kefu.latency.p50Ms, s.minisearch.latency.p50Ms)} | ${ratio(s.kefu.latency.p95Ms, s.minisearch.latency.p95Ms)} | |`,
      '',
      `Queries: an entry's question reworded with one character dropped; kefu on 1,000 of them (2,000 timed searches), MiniSearch on the first 300 (each timed once). Process RSS after the kefu build: ${s.kefu.rssMB} MB.${report.gcExposed ? '' : ' Heap figures without --expose-gc include garbage.'}`,
      '',
    );
  }
  return out.join('\n');
}

const report = {
  quick,
  gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  env: await describeEnvironment({ seed: 42, root: ROOT }),
  ...(only.has('pack') ? { pack: await runPack() } : {}),
  ...(only.has('afqmc') ? { afqmc: await runAfqmc().then((r) => (log(`afqmc: ${JSON.stringify(r)}`), r)) } : {}),
  ...(only.has('synthetic') ? { synthetic: await runSynthetic() } : {}),
};
if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
