import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedderOption } from '../src/cli/embedder-option.js';
import { createOnnxEmbedder, sha256File, MODEL_MANIFEST_FILE, type ModelManifest, type OnnxEmbedder } from '../src/embeddings/onnx/index.js';
import { writeRandomBert, type RandomBertOptions } from '../bench/random-bert-onnx.js';
import { cleanupFixtureDirs, FIXTURE_DIM, FIXTURE_ONNX, hasFixture, makeFixtureDir, SKIP_NOTE } from './onnx-fixture.js';

const TEXTS = [
  '我的快递到哪了',
  '怎么申请退货退款？',
  'iPhone 15 Pro 的运费险怎么理赔',
  '订单202611210001234567还没发货',
  '在吗',
  '发票抬头写错了，能重开吗😭',
  '',
  '退貨運費誰出',
  'Where is my parcel?',
];

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

/** Runs the fixture weights directly: the reference for pooling checks. */
async function bareHidden(ids: number[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(FIXTURE_ONNX, { intraOpNumThreads: 1 });
  const t = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
  const out = await s.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(ids.map(() => 0)) });
  await s.release();
  const data = out.last_hidden_state?.data as Float32Array;
  return ids.map((_, i) => data.slice(i * FIXTURE_DIM, (i + 1) * FIXTURE_DIM));
}

describe.skipIf(!hasFixture)('createOnnxEmbedder on the random-weight fixture', () => {
  let e: OnnxEmbedder;
  beforeAll(async () => {
    e = await createOnnxEmbedder({ modelDir: makeFixtureDir(), cacheSize: 0 });
  }, 30_000);
  afterAll(async () => {
    await e?.dispose();
    cleanupFixtureDirs();
  });

  it('reads the directory: dimension from the output, pooling, lower-casing and limits from the configs', () => {
    expect(e.dim).toBe(FIXTURE_DIM);
    expect(e.info).toMatchObject({
      pooling: 'cls',
      lowercase: true,
      normalize: true,
      maxTokens: 512,
      tokenizer: 'tokenizer.json',
      onnxFile: 'onnx/model.onnx',
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
      output: 'last_hidden_state',
    });
    expect(e.id).toBe('onnx:fixture-bge:onnx/model.onnx:2845043:cls:512:lc');
  });

  it('matches the fixture\'s published reference output for 我的快递到哪了 (CLS, before normalisation)', async () => {
    const raw = await createOnnxEmbedder({ modelDir: makeFixtureDir(), normalize: false });
    const [v] = await raw.embed(['我的快递到哪了']);
    await raw.dispose();
    expect(Array.from((v as Float32Array).slice(0, 3)).map((x) => Number(x.toFixed(6)))).toEqual([-0.262251, 0.711683, -0.950493]);
  });

  it('returns unit vectors in input order, one per text, empty text included', async () => {
    const vs = await e.embed(TEXTS);
    expect(vs).toHaveLength(TEXTS.length);
    for (const v of vs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(FIXTURE_DIM);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    const [again] = await e.embed([TEXTS[3] as string]);
    expect(maxAbsDiff(again as Float32Array, vs[3] as Float32Array)).toBeLessThan(1e-6);
    expect(await e.embed([])).toEqual([]);
  });

  it('gives the same vectors batched (dynamic padding, any batch size) as one at a time', async () => {
    const single: Float32Array[] = [];
    for (const t of TEXTS) single.push(...(await e.embed([t])));
    for (const batchSize of [2, 4, 32]) {
      const b = await createOnnxEmbedder({ modelDir: makeFixtureDir(), batchSize, cacheSize: 0 });
      const batched = await b.embed(TEXTS);
      expect(b.stats().runs).toBe(Math.ceil(TEXTS.length / batchSize));
      await b.dispose();
      batched.forEach((v, i) => expect(maxAbsDiff(v, single[i] as Float32Array)).toBeLessThan(1e-5));
    }
  });

  it('lower-cases as sentence_bert_config.json says (iPhone is [UNK] to this vocabulary otherwise)', async () => {
    const [upper, lower] = await e.embed(['IPHONE 退货', 'iphone 退货']);
    expect(maxAbsDiff(upper as Float32Array, lower as Float32Array)).toBe(0);
    const cased = await createOnnxEmbedder({ modelDir: makeFixtureDir(), lowercase: false, cacheSize: 0 });
    const [u, l] = await cased.embed(['IPHONE 退货', 'iphone 退货']);
    await cased.dispose();
    expect(maxAbsDiff(u as Float32Array, l as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('cuts long texts at maxTokens, special tokens included', async () => {
    const short = await createOnnxEmbedder({ modelDir: makeFixtureDir(), maxTokens: 10, cacheSize: 0 });
    expect(short.info.maxTokens).toBe(10);
    // Every Chinese character is one token: [CLS] + 8 characters + [SEP] = 10.
    const long = '请帮我查询一下订单物流信息谢谢';
    const [cut] = await short.embed([long]);
    await short.dispose();
    const [first8, first9, full] = await e.embed([long.slice(0, 8), long.slice(0, 9), long]);
    expect(maxAbsDiff(cut as Float32Array, first8 as Float32Array)).toBeLessThan(1e-6);
    expect(maxAbsDiff(cut as Float32Array, first9 as Float32Array)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(cut as Float32Array, full as Float32Array)).toBeGreaterThan(1e-4);
  });

  it('never crashes on odd text: 100 KB, emoji, broken surrogates, control characters, special-token strings', async () => {
    const odd = ['客服'.repeat(50_000), '😭'.repeat(600), '\ud800退\udfff货', '\u0000\u200b\u0007', '[CLS] [SEP] [PAD]', '   '];
    const vs = await e.embed(odd);
    expect(vs).toHaveLength(odd.length);
    for (const v of vs) expect(v.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('rejects bad input with stable codes', async () => {
    await expect(e.embed('我的快递' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(e.embed(['ok', null as never])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { index: 1 } });
  });
});

describe.skipIf(!hasFixture)('pooling modes', () => {
  afterAll(cleanupFixtureDirs);
  const text = '退款多久到账';
  // [CLS] 退 款 多 久 到 账 [SEP]
  const ids = [101, 6842, 3621, 1914, 719, 1168, 6572, 102];

  it('CLS takes the first token, mean averages every token, as 1_Pooling/config.json says', async () => {
    const hidden = await bareHidden(ids);
    const mean = new Float32Array(FIXTURE_DIM);
    for (const h of hidden) h.forEach((x, i) => (mean[i] = (mean[i] as number) + x / hidden.length));
    const cls = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'cls' }), normalize: false });
    const avg = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'mean' }), normalize: false });
    expect(cls.info.pooling).toBe('cls');
    expect(avg.info.pooling).toBe('mean');
    const [c] = await cls.embed([text]);
    const [m] = await avg.embed([text]);
    await cls.dispose();
    await avg.dispose();
    expect(maxAbsDiff(c as Float32Array, hidden[0] as Float32Array)).toBeLessThan(1e-5);
    expect(maxAbsDiff(m as Float32Array, mean)).toBeLessThan(1e-5);
  });

  it('mean pooling ignores padding: batched equals single', async () => {
    const avg = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'mean' }), cacheSize: 0 });
    const batched = await avg.embed([text, '在吗', '这个商品支持七天无理由退货吗，我昨天收到的']);
    const [alone] = await avg.embed(['在吗']);
    await avg.dispose();
    expect(maxAbsDiff(batched[1] as Float32Array, alone as Float32Array)).toBeLessThan(1e-5);
  });

  it('the option overrides the directory; no pooling config means mean; unsupported modes are refused', async () => {
    const forced = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'cls' }), pooling: 'mean' });
    expect(forced.info.pooling).toBe('mean');
    await forced.dispose();
    const bare = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: null, sentenceBertConfig: false }) });
    expect(bare.info).toMatchObject({ pooling: 'mean', lowercase: false });
    await bare.dispose();
    await expect(createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'max' }) })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    const overridden = await createOnnxEmbedder({ modelDir: makeFixtureDir({ pooling: 'max' }), pooling: 'cls' });
    expect(overridden.info.pooling).toBe('cls');
    await overridden.dispose();
  });
});

describe.skipIf(!hasFixture)('cache', () => {
  afterAll(cleanupFixtureDirs);

  it('serves repeated texts from an LRU keyed by the text as the model sees it, and hands out copies', async () => {
    const e = await createOnnxEmbedder({ modelDir: makeFixtureDir(), cacheSize: 2 });
    const [a] = await e.embed(['我的快递到哪了']);
    expect(e.stats()).toMatchObject({ cacheHits: 0, cacheMisses: 1, runs: 1 });
    // Case and whitespace around ideographs do not change what this lower-casing BERT tokenizer sees.
    const [b, c] = await e.embed(['  我的快递 \n 到哪了 ', '我的快递到哪了']);
    expect(e.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 1, runs: 1 });
    expect(Array.from(b as Float32Array)).toEqual(Array.from(a as Float32Array));
    (b as Float32Array).fill(0);
    expect(Array.from(c as Float32Array)).toEqual(Array.from(a as Float32Array));
    const [d] = await e.embed(['我的快递到哪了']);
    expect(Array.from(d as Float32Array)).toEqual(Array.from(a as Float32Array));
    // Capacity 2: two new texts push the first one out.
    await e.embed(['退货', '换货']);
    expect(e.stats().cached).toBe(2);
    const runs = e.stats().runs;
    await e.embed(['我的快递到哪了']);
    expect(e.stats().runs).toBe(runs + 1);
    await e.dispose();
  });

  it('cacheSize 0 runs the model every time', async () => {
    const e = await createOnnxEmbedder({ modelDir: makeFixtureDir(), cacheSize: 0 });
    await e.embed(['在吗']);
    await e.embed(['在吗']);
    expect(e.stats()).toMatchObject({ cacheHits: 0, runs: 2, cached: 0 });
    await e.dispose();
  });
});

describe.skipIf(!hasFixture)('model directory layouts, prefixes and manifests', () => {
  afterAll(cleanupFixtureDirs);

  it('reads vocab.txt when there is no tokenizer.json, with identical vectors', async () => {
    const json = await createOnnxEmbedder({ modelDir: makeFixtureDir({ tokenizer: 'json' }) });
    const vocab = await createOnnxEmbedder({ modelDir: makeFixtureDir({ tokenizer: 'vocab' }) });
    expect(vocab.info.tokenizer).toBe('vocab.txt');
    const a = await json.embed(TEXTS);
    const b = await vocab.embed(TEXTS);
    await json.dispose();
    await vocab.dispose();
    a.forEach((v, i) => expect(maxAbsDiff(v, b[i] as Float32Array)).toBe(0));
  });

  it.each(['model.onnx', 'onnx/model_quantized.onnx'])('finds the weights at %s', async (onnxPath) => {
    const e = await createOnnxEmbedder({ modelDir: makeFixtureDir({ onnxPath }) });
    expect(e.info.onnxFile).toBe(onnxPath);
    await e.dispose();
  });

  it('embedQueries prepends the query prefix; embed never does', async () => {
    const prefix = '为这个句子生成表示以用于检索相关文章：';
    const e = await createOnnxEmbedder({ modelDir: makeFixtureDir(), queryPrefix: prefix });
    const [q] = await e.embedQueries(['运费险怎么理赔']);
    const [withPrefix, plain] = await e.embed([`${prefix}运费险怎么理赔`, '运费险怎么理赔']);
    await e.dispose();
    expect(maxAbsDiff(q as Float32Array, withPrefix as Float32Array)).toBe(0);
    expect(maxAbsDiff(q as Float32Array, plain as Float32Array)).toBeGreaterThan(1e-4);
  });

  const manifestFor = async (dir: string, patch: Partial<ModelManifest> = {}): Promise<ModelManifest> => ({
    format: 'kefu/model-manifest',
    formatVersion: 1,
    name: 'fixture-random',
    license: 'CC0-1.0',
    dim: FIXTURE_DIM,
    pooling: 'mean',
    normalize: true,
    lowercase: true,
    maxTokens: 128,
    onnx: 'onnx/model.onnx',
    files: [
      { path: 'onnx/model.onnx', size: 2845043, sha256: await sha256File(join(dir, 'onnx/model.onnx')) },
      { path: 'tokenizer.json', sha256: await sha256File(join(dir, 'tokenizer.json')) },
    ],
    ...patch,
  });

  it('verifies kefu-model.json on load and takes its settings; the id carries the weights\' sha256', async () => {
    const dir = makeFixtureDir();
    const manifest = await manifestFor(dir);
    writeFileSync(join(dir, MODEL_MANIFEST_FILE), JSON.stringify(manifest));
    const e = await createOnnxEmbedder({ modelDir: dir });
    expect(e.info).toMatchObject({ name: 'fixture-random', pooling: 'mean', maxTokens: 128, verifiedFiles: 2 });
    expect(e.id).toBe(`onnx:fixture-random:${manifest.files[0]?.sha256?.slice(0, 12)}:mean:128:lc`);
    await e.dispose();
  });

  it('refuses a manifest whose dimension differs from the model output (EMBEDDING_DIM_MISMATCH)', async () => {
    const dir = makeFixtureDir();
    await expect(createOnnxEmbedder({ modelDir: dir, manifest: await manifestFor(dir, { dim: 512 }) })).rejects.toMatchObject({
      code: 'EMBEDDING_DIM_MISMATCH',
      details: { expected: 512, actual: FIXTURE_DIM },
    });
  });

  it('refuses files that do not match the manifest, and missing files, with their codes', async () => {
    const dir = makeFixtureDir();
    const good = await manifestFor(dir);
    const badSha = { ...good, files: [{ ...good.files[0], sha256: '0'.repeat(64) } as ModelManifest['files'][number], good.files[1] as ModelManifest['files'][number]] };
    await expect(createOnnxEmbedder({ modelDir: dir, manifest: badSha })).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH', details: { check: 'sha256' } });
    const badSize = { ...good, files: [{ ...good.files[0], size: 1 } as ModelManifest['files'][number]] };
    await expect(createOnnxEmbedder({ modelDir: dir, manifest: badSize })).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH', details: { check: 'size' } });
    // verify: false skips the checksums (never the dimension check).
    const unchecked = await createOnnxEmbedder({ modelDir: dir, manifest: badSha, verify: false });
    expect(unchecked.info.verifiedFiles).toBe(0);
    await unchecked.dispose();
    const missing = { ...good, files: [...good.files, { path: 'vocab.txt', sha256: null }] };
    await expect(createOnnxEmbedder({ modelDir: dir, manifest: missing })).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
    await expect(createOnnxEmbedder({ modelDir: dir, manifest: { ...good, pooling: 'max' } as never })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('reports a missing directory, missing weights and a missing tokenizer as MODEL_FILE_MISSING', async () => {
    await expect(createOnnxEmbedder({ modelDir: join(makeFixtureDir(), 'nope') })).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
    await expect(createOnnxEmbedder({ modelDir: makeFixtureDir(), onnxFile: 'onnx/other.onnx' })).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
  });

  it('validates options, listing what is accepted', async () => {
    const modelDir = makeFixtureDir();
    for (const bad of [{ pooling: 'max' }, { maxTokens: 2 }, { maxTokens: 513 }, { threads: 0 }, { batchSize: 1.5 }, { cacheSize: -1 }, { normalize: 'yes' }]) {
      await expect(createOnnxEmbedder({ modelDir, ...bad } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    }
    await expect(createOnnxEmbedder(undefined as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(createOnnxEmbedder({} as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('dispose is idempotent and later calls fail with EMBEDDER_DISPOSED', async () => {
    const e = await createOnnxEmbedder({ modelDir: makeFixtureDir() });
    const pending = e.embed(['在吗']);
    await e.dispose();
    await e.dispose();
    expect(await pending).toHaveLength(1);
    await expect(e.embed(['在吗'])).rejects.toMatchObject({ code: 'EMBEDDER_DISPOSED' });
    // A call of several batches stops at the next batch after dispose instead of running a released session.
    const many = await createOnnxEmbedder({ modelDir: makeFixtureDir(), batchSize: 1 });
    const long = many.embed(['一', '二', '三', '四']);
    await many.dispose();
    await expect(long).rejects.toMatchObject({ code: 'EMBEDDER_DISPOSED' });
  });

  it('loadEmbedderOption (kefu parse/ask --model-dir) gives an embedder for a directory and none without one', async () => {
    expect(await loadEmbedderOption(undefined)).toBeUndefined();
    const e = await loadEmbedderOption(makeFixtureDir());
    expect(e?.dim).toBe(FIXTURE_DIM);
    await e?.dispose();
    await expect(loadEmbedderOption(join(makeFixtureDir(), 'missing'))).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
  });
});

describe.skipIf(!hasFixture)('other input contracts (models written by bench/random-bert-onnx.ts)', () => {
  afterAll(cleanupFixtureDirs);
  const shape = { layers: 1, hidden: 16, heads: 2, ffn: 32, vocab: 21128, positions: 512 };
  const dirWith = (options: RandomBertOptions): string => {
    const dir = makeFixtureDir({ onnxPath: 'onnx/fixture.onnx' });
    writeRandomBert(join(dir, 'onnx', 'model.onnx'), shape, options);
    return dir;
  };

  it('feeds int32 ids to a model that declares them, with the same vectors as int64', async () => {
    const e64 = await createOnnxEmbedder({ modelDir: dirWith({ seed: 7 }) });
    const e32 = await createOnnxEmbedder({ modelDir: dirWith({ seed: 7, inputType: 'int32' }) });
    expect(e32.dim).toBe(16);
    const a = await e64.embed(TEXTS);
    const b = await e32.embed(TEXTS);
    await e64.dispose();
    await e32.dispose();
    a.forEach((v, i) => expect(maxAbsDiff(v, b[i] as Float32Array)).toBeLessThan(1e-6));
  });

  it('leaves out token_type_ids for a model that takes none (DistilBERT, XLM-R exports)', async () => {
    const e = await createOnnxEmbedder({ modelDir: dirWith({ tokenTypes: false }), batchSize: 3, cacheSize: 0 });
    expect(e.info.inputs).toEqual(['input_ids', 'attention_mask']);
    const batched = await e.embed(TEXTS);
    for (const [i, t] of TEXTS.entries()) {
      const [single] = await e.embed([t]);
      expect(maxAbsDiff(single as Float32Array, batched[i] as Float32Array)).toBeLessThan(1e-5);
    }
    await e.dispose();
  });
});

describe.skipIf(hasFixture)('ONNX embedder tests', () => {
  it(SKIP_NOTE, () => {
    expect(hasFixture).toBe(false);
  });
});
