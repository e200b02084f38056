/**
 * ONNX embedding bench: latency at batch 1 (p50/p95), throughput at batch 32, and the overhead of kefu's wrapper
 * (tokenise, build tensors, run, pool, normalise) over a bare `session.run` on the same token ids, all in one run.
 *
 *   npm run bench:embeddings -- [--model-dir DIR] [--threads 1] [--samples 400] [--rounds 30] [--json FILE]
 *
 * Without --model-dir it measures two models built from ../shared/models (skipped with a note when absent):
 *  - `fixture`: the random-weight test fixture (2 layers, hidden 32): tiny, so the wrapper's fixed cost weighs most;
 *  - `bge-small-shape`: random weights with bge-small-zh-v1.5's exact shape (4 layers, hidden 512, FFN 2048, fp32),
 *    written once under the OS temp directory. It does the real model's arithmetic, so its timings are the real fp32
 *    model's; the int8 model_quantized.onnx that `kefu model pull` fetches is usually faster still.
 * Inputs are short customer-service messages from the bundled pack. Wrapper and bare runs alternate, so both see
 * the same machine load; figures are medians over many runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { loadPack } from '../src/index.js';
import { createOnnxEmbedder } from '../src/embeddings/onnx/index.js';
import { BGE_SMALL_ZH_SHAPE, writeRandomBert } from './random-bert-onnx.js';

const { values } = parseArgs({
  options: {
    'model-dir': { type: 'string' },
    threads: { type: 'string', default: '1' },
    samples: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '30' },
    json: { type: 'string' },
  },
});
const threads = Number(values.threads);
const samples = Number(values.samples);
const rounds = Number(values.rounds);

const SHARED = fileURLToPath(new URL('../../shared/models/', import.meta.url));
const BGE = join(SHARED, 'bge-small-zh-v1.5');
const FIXTURE_ONNX = join(SHARED, 'test-fixture-bert-zh-random', 'model.onnx');

function quantile(sorted: readonly number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (i - lo);
}
const median = (xs: readonly number[]): number => quantile([...xs].sort((a, b) => a - b), 0.5);

/** A model directory with bge's tokenizer and configs next to the given weights, under the OS temp directory. */
function assemble(root: string, onnx: string): string {
  const dir = join(root, 'model');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'sentence_bert_config.json']) symlinkSync(join(BGE, f), join(dir, f));
  symlinkSync(join(BGE, '1_Pooling', 'config.json'), join(dir, '1_Pooling', 'config.json'));
  symlinkSync(onnx, join(dir, 'onnx', 'model.onnx'));
  return dir;
}

function bgeShapedWeights(): string {
  const dir = join(tmpdir(), 'kefu-bench-bge-small-shape');
  const file = join(dir, 'model.onnx');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`writing ${file} (random weights, bge-small-zh-v1.5 shape, ~95 MB)…\n`);
    writeRandomBert(`${file}.tmp`, BGE_SMALL_ZH_SHAPE);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

interface Result {
  readonly model: string;
  readonly dim: number;
  readonly tokensMean: number;
  readonly batch1: { readonly p50Ms: number; readonly p95Ms: number; readonly bareP50Ms: number; readonly overheadPct: number };
  readonly batch32: { readonly textsPerSec: number; readonly bareTextsPerSec: number; readonly overheadPct: number };
  readonly tokenizeUsPerText: number;
}

async function benchModel(name: string, modelDir: string, texts: readonly string[]): Promise<Result> {
  const embedder = await createOnnxEmbedder({ modelDir, threads, cacheSize: 0, batchSize: 32 });
  // The bare baseline: its own session with the same settings, fed the exact ids kefu feeds (lower-cased text,
  // [CLS] … [SEP], padded to the batch's longest, longest first as kefu orders a batch).
  const session = await ort.InferenceSession.create(join(modelDir, embedder.info.onnxFile), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  const tok = new Tokenizer(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')));
  const ids = (t: string): number[] => tok.encode(embedder.info.lowercase ? t.toLowerCase() : t).ids.slice(0, embedder.info.maxTokens);
  const feedsFor = (batch: readonly string[]): Record<string, ort.Tensor> => {
    const rows = batch.map(ids).sort((a, b) => b.length - a.length);
    const seq = Math.max(...rows.map((r) => r.length));
    const make = (f: (r: number[], t: number) => number): ort.Tensor => {
      const data = new BigInt64Array(rows.length * seq);
      rows.forEach((r, b) => r.forEach((_, t) => (data[b * seq + t] = BigInt(f(r, t)))));
      return new ort.Tensor('int64', data, [rows.length, seq]);
    };
    return { input_ids: make((r, t) => r[t] as number), attention_mask: make(() => 1), token_type_ids: make(() => 0) };
  };
  const time = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };

  // Warm-up both paths.
  for (let i = 0; i < 30; i++) {
    await embedder.embed([texts[i % texts.length] as string]);
    await session.run(feedsFor([texts[i % texts.length] as string]));
  }

  // Batch 1: alternate wrapper and bare on the same message.
  const wrap1: number[] = [];
  const bare1: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = texts[i % texts.length] as string;
    const feeds = feedsFor([t]);
    wrap1.push(await time(() => embedder.embed([t])));
    bare1.push(await time(() => session.run(feeds)));
  }

  // Batch 32: whole batches, alternating.
  const wrap32: number[] = [];
  const bare32: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = (r * 32) % Math.max(1, texts.length - 32);
    const batch = texts.slice(start, start + 32);
    const feeds = feedsFor(batch);
    wrap32.push(await time(() => embedder.embed(batch)));
    bare32.push(await time(() => session.run(feeds)));
  }

  // Tokenisation alone (kefu's share of the overhead that a bare run skips).
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) ids(texts[i % texts.length] as string);
  const tokenizeUsPerText = ((performance.now() - t0) / 2000) * 1000;

  const sorted1 = [...wrap1].sort((a, b) => a - b);
  const result: Result = {
    model: name,
    dim: embedder.dim,
    tokensMean: texts.reduce((s, t) => s + ids(t).length, 0) / texts.length,
    batch1: {
      p50Ms: quantile(sorted1, 0.5),
      p95Ms: quantile(sorted1, 0.95),
      bareP50Ms: median(bare1),
      overheadPct: (median(wrap1) / median(bare1) - 1) * 100,
    },
    batch32: {
      textsPerSec: 32_000 / median(wrap32),
      bareTextsPerSec: 32_000 / median(bare32),
      overheadPct: (median(wrap32) / median(bare32) - 1) * 100,
    },
    tokenizeUsPerText,
  };
  await embedder.dispose();
  await session.release();
  return result;
}

async function main(): Promise<void> {
  const pack = await loadPack('fixtures/packs/ecommerce-zh');
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const intent of pack.intents) {
    for (const e of intent.examples) {
      if (e.text.length <= 40 && !seen.has(e.text)) {
        seen.add(e.text);
        texts.push(e.text);
      }
    }
  }

  const models: [string, string][] = [];
  let root: string | undefined;
  if (values['model-dir'] !== undefined) {
    models.push([values['model-dir'], values['model-dir']]);
  } else if (existsSync(join(BGE, 'tokenizer.json')) && existsSync(FIXTURE_ONNX)) {
    root = mkdtempSync(join(tmpdir(), 'kefu-bench-emb-'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    models.push(['fixture (2 layers, hidden 32)', assemble(join(root, 'a'), FIXTURE_ONNX)]);
    models.push(['bge-small-shape (4 layers, hidden 512, fp32)', assemble(join(root, 'b'), bgeShapedWeights())]);
  } else {
    process.stdout.write('skipped: ../shared/models not found (pass --model-dir DIR to bench a model you have)\n');
    return;
  }

  const results: Result[] = [];
  try {
    for (const [name, dir] of models) results.push(await benchModel(name, dir, texts));
  } finally {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  }

  const env = {
    node: process.version,
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    threads,
    samples,
    rounds,
    texts: texts.length,
    date: new Date().toISOString(),
  };
  const f = (x: number, d = 2): string => x.toFixed(d);
  const lines = [
    `ONNX embeddings: ${env.texts} short messages from fixtures/packs/ecommerce-zh; ORT ${env.onnxruntime}, ${threads} intra-op thread(s), ${env.cpu}, Node ${env.node}`,
    '',
    '| model | dim | mean tokens | batch 1 p50 ms | batch 1 p95 ms | bare run p50 ms | wrapper overhead, batch 1 | batch 32 texts/s | bare texts/s | wrapper overhead, batch 32 | tokenise µs/text |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.model} | ${r.dim} | ${f(r.tokensMean, 1)} | ${f(r.batch1.p50Ms)} | ${f(r.batch1.p95Ms)} | ${f(r.batch1.bareP50Ms)} | ${f(r.batch1.overheadPct, 1)} % | ${f(r.batch32.textsPerSec, 0)} | ${f(r.batch32.bareTextsPerSec, 0)} | ${f(r.batch32.overheadPct, 1)} % | ${f(r.tokenizeUsPerText, 1)} |`,
    ),
    '',
    'Overhead = median(kefu embed) / median(bare session.run on the same ids) − 1; the cache is off.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify({ env, results }, null, 2)}\n`);
}

await main();
