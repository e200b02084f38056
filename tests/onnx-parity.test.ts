import { dirname, basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxEmbedder } from '../src/embeddings/onnx/index.js';
import { cleanupFixtureDirs, hasFixture, makeFixtureDir } from './onnx-fixture.js';

/**
 * Parity with an independent implementation: the same model directory through transformers.js' feature-extraction
 * pipeline (its own tokenizer call, padding, truncation, pooling and normalisation; local files only, remote loading
 * off). sentence-transformers lower-cases bge's input before tokenising (sentence_bert_config.json) and
 * transformers.js does not, so the reference is given lower-cased text, exactly what sentence-transformers would
 * tokenise.
 *
 * Texts over the 512-token limit: sentence-transformers (HF tokenizers) cut the text and keep [SEP]; transformers.js
 * cuts the encoded ids and so drops [SEP]. kefu does the former, so the reference gets a long text already cut to its
 * first 510 tokens (one per character for this text), which needs no truncation.
 */
const TEXTS = [
  '我的快递到哪了',
  '怎么申请退货退款？',
  'iPhone 15 Pro 的运费险怎么理赔',
  '订单202611210001234567还没发货，帮我催一下',
  '在吗',
  '发票抬头写错了，能重开吗😭😭',
  '退貨運費誰出',
  'Where is my parcel? It was due yesterday.',
  '优惠券　过期了还能用吗',
  '   ',
];
const LONG = '请问这款洗衣机支持以旧换新吗？旧机器需要我自己拆下来吗，上门安装收不收费，包不包邮，多久能到货。'.repeat(20);

type Extractor = (texts: string[], options: { pooling: 'cls' | 'mean'; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>;

async function transformersExtractor(modelDir: string): Promise<Extractor> {
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(modelDir)}/`;
  const extractor = await pipeline('feature-extraction', basename(modelDir), { dtype: 'fp32', device: 'cpu' });
  return async (texts, options) => {
    const out = await extractor(texts, options);
    return { dims: out.dims, data: out.data as Float32Array };
  };
}

describe.skipIf(!hasFixture)('parity with @huggingface/transformers feature-extraction', () => {
  afterAll(cleanupFixtureDirs);

  it.each(['cls', 'mean'] as const)(
    '%s pooling: every vector agrees to 1e-4',
    async (pooling) => {
      const modelDir = makeFixtureDir({ pooling });
      const reference = await transformersExtractor(modelDir);
      const expected = await reference([...TEXTS.map((t) => t.toLowerCase()), LONG.slice(0, 510)], { pooling, normalize: true });
      const dim = expected.dims[1] as number;

      const kefu = await createOnnxEmbedder({ modelDir, batchSize: 4, cacheSize: 0 });
      expect(kefu.info.pooling).toBe(pooling);
      const actual = await kefu.embed([...TEXTS, LONG]);
      await kefu.dispose();

      expect(expected.dims).toEqual([TEXTS.length + 1, kefu.dim]);
      let worst = 0;
      actual.forEach((v, i) => {
        for (let d = 0; d < dim; d++) worst = Math.max(worst, Math.abs((v[d] as number) - (expected.data[i * dim + d] as number)));
      });
      expect(worst).toBeLessThan(1e-4);
    },
    60_000,
  );
});
