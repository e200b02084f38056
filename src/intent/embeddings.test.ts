import { describe, expect, it } from 'vitest';
import { createHashingEmbedder, type Embedder } from '../embeddings/index.js';
import { createIntentClassifier } from './classify.js';
import { parseIntentModel, serializeIntentModel } from './model.js';
import { trainIntents, trainIntentsWithEmbedder, type IntentExample } from './train.js';

const data: IntentExample[] = [
  ...['我要退货', '这个东西想退掉', '怎么申请退货', '商品不想要了要退', '退货流程是什么', '衣服退回去'].map((text) => ({ text, intent: 'return_goods' })),
  ...['快递到哪了', '物流信息查一下', '包裹什么时候到', '查下快递', '我的快递怎么还没到', '看看物流'].map((text) => ({ text, intent: 'query_logistics' })),
  ...['今天天气怎么样', '讲个笑话', '红烧肉怎么做', '股票会涨吗', '帮我订机票'].map((text) => ({ text, intent: null })),
];

/** An embedder that knows one secret: every text containing 退 points one way, everything else the other. */
function topicEmbedder(): Embedder {
  return {
    id: 'topic:v1',
    dim: 4,
    embed: (texts) => Promise.resolve(texts.map((t) => Float32Array.from(t.includes('退') ? [1, 0, 0, 0] : [0, 1, 0, 0]))),
    dispose: () => Promise.resolve(),
  };
}

describe('intent models with embedding features', () => {
  it('trains with an embedder, records it, round-trips, and classifies through classifyAsync', async () => {
    const embedder = createHashingEmbedder({ dim: 64, seed: 3 });
    const model = await trainIntentsWithEmbedder(data, { embedder, seed: 7 });
    expect(model.embedder).toMatchObject({ id: embedder.id, dim: 64, scale: 1 });
    expect(model.embedder?.weights).toHaveLength(model.labels.length + 1);
    const again = parseIntentModel(serializeIntentModel(model));
    expect(again).toEqual(model);
    const c = createIntentClassifier(again, { embedder });
    const r = await c.classifyAsync('我想退货');
    expect(r.intent).toBe('return_goods');
    // The same vector passed by hand gives the same result.
    const [v] = await embedder.embed(['我想退货']);
    expect(c.classify('我想退货', { vector: v as Float32Array })).toEqual(r);
    // Deterministic: the same data, embedder and seed give the same bytes.
    expect(serializeIntentModel(await trainIntentsWithEmbedder(data, { embedder, seed: 7 }))).toBe(serializeIntentModel(model));
  });

  it('learns from the vectors: an embedding feature moves the decision', async () => {
    const embedder = topicEmbedder();
    const withVectors = createIntentClassifier(await trainIntentsWithEmbedder(data, { embedder, embeddingScale: 3 }), { embedder });
    const textOnly = createIntentClassifier(trainIntents(data));
    // "退" is in no word of this message that the text model knows well, but the embedding says "return".
    const a = await withVectors.classifyAsync('退');
    const b = textOnly.classify('退');
    expect(a.ranking[0]?.name).toBe('return_goods');
    expect(a.ranking[0]?.confidence ?? 0).toBeGreaterThan(b.ranking.find((x) => x.name === 'return_goods')?.confidence ?? 0);
  });

  it('refuses a mismatched embedder, a wrong-size vector, a missing vector and a vector for a text-only model', async () => {
    const embedder = createHashingEmbedder({ dim: 32 });
    const model = await trainIntentsWithEmbedder(data, { embedder });
    expect(() => createIntentClassifier(model, { embedder: createHashingEmbedder({ dim: 16 }) })).toThrow(expect.objectContaining({ code: 'EMBEDDING_DIM_MISMATCH' }));
    expect(() => createIntentClassifier(model, { embedder: createHashingEmbedder({ dim: 32, seed: 9 }) })).toThrow(expect.objectContaining({ code: 'EMBEDDER_MISMATCH' }));
    const c = createIntentClassifier(model);
    expect(() => c.classify('我要退货')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => c.classify('我要退货', { vector: new Float32Array(8) })).toThrow(expect.objectContaining({ code: 'EMBEDDING_DIM_MISMATCH' }));
    expect(() => c.classify('我要退货', { vector: new Float32Array(32).fill(Number.NaN) })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    await expect(c.classifyAsync('我要退货')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    const plain = trainIntents(data);
    expect(() => createIntentClassifier(plain, { embedder })).toThrow(expect.objectContaining({ code: 'EMBEDDER_MISMATCH' }));
    expect(() => createIntentClassifier(plain).classify('我要退货', { vector: [1, 2] })).toThrow(expect.objectContaining({ code: 'EMBEDDER_MISMATCH' }));
    await expect(createIntentClassifier(plain).classifyAsync('我要退货')).resolves.toMatchObject({ intent: 'return_goods' });
  });

  it('refuses training vectors that are missing or of the wrong size, naming the text', () => {
    const vectors = new Map(data.map((e) => [e.text, [1, 0, 0]]));
    vectors.delete('讲个笑话');
    expect(() => trainIntents(data, { embeddings: { id: 'x', dim: 3, vectors } })).toThrow(
      expect.objectContaining({ code: 'TRAINING_DATA_INVALID', message: expect.stringContaining('讲个笑话') }),
    );
    vectors.set('讲个笑话', [1, 0]);
    expect(() => trainIntents(data, { embeddings: { id: 'x', dim: 3, vectors } })).toThrow(expect.objectContaining({ code: 'EMBEDDING_DIM_MISMATCH' }));
    expect(() => trainIntents(data, { embeddingScale: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('rejects a saved model whose embedding weights do not fit its dimension', async () => {
    const model = await trainIntentsWithEmbedder(data, { embedder: createHashingEmbedder({ dim: 16 }) });
    const broken = JSON.parse(serializeIntentModel(model)) as { embedder: { dim: number } };
    broken.embedder.dim = 17;
    expect(() => parseIntentModel(JSON.stringify(broken))).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });
});
