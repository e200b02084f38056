import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIntentClassifier, type IntentClassifier } from './classify.js';
import { parseIntentModel, serializeIntentModel, type IntentModel } from './model.js';
import { trainIntents } from './train.js';

let model: IntentModel;
let json: string;

beforeAll(() => {
  model = trainIntents([
    ...['我要退货', '怎么退货', '退货流程', '这个能退吗', '申请退货'].map((text) => ({ text, intent: 'return' })),
    ...['快递到哪了', '查物流', '包裹在哪', '物流信息', '我的快递呢'].map((text) => ({ text, intent: 'logistics' })),
    ...['讲个笑话', '红烧肉怎么做'].map((text) => ({ text, intent: null })),
  ]);
  json = serializeIntentModel(model);
});

const mutate = (patch: Record<string, unknown>): string => JSON.stringify({ ...(JSON.parse(json) as object), ...patch });

describe('serializeIntentModel / parseIntentModel', () => {
  it('round-trips to an identical model that classifies identically', () => {
    const loaded = parseIntentModel(json);
    expect(loaded).toEqual(model);
    expect(serializeIntentModel(loaded)).toBe(json);
    const a = createIntentClassifier(model);
    const b = createIntentClassifier(loaded);
    for (const text of ['我的快递到哪了', '退货', '今天天气', '']) expect(b.classify(text)).toEqual(a.classify(text));
  });

  describe('property', () => {
    let original: IntentClassifier;
    let loaded: IntentClassifier;
    beforeAll(() => {
      original = createIntentClassifier(model);
      loaded = createIntentClassifier(parseIntentModel(json), { pipeline: original.pipeline });
    });
    test.prop([fc.string({ maxLength: 30 })], { numRuns: 100 })('save → load keeps every classification', (text) => {
      expect(loaded.classify(text)).toEqual(original.classify(text));
    });
  });

  it('loads models saved before stats recorded the step size and class balancing', () => {
    const oldStats: Record<string, unknown> = { ...model.stats };
    delete oldStats.learningRate;
    delete oldStats.classBalance;
    const loaded = parseIntentModel(mutate({ stats: oldStats }));
    expect(loaded.stats).not.toHaveProperty('classBalance');
    expect(createIntentClassifier(loaded).classify('退货').intent).toBe(createIntentClassifier(model).classify('退货').intent);
  });

  it('rejects an unknown format or formatVersion with FORMAT_VERSION_UNSUPPORTED', () => {
    expect(() => parseIntentModel(mutate({ formatVersion: 2 }))).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
    expect(() => parseIntentModel(mutate({ format: 'kefu/faq-index' }))).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
  });

  it('rejects malformed models with MODEL_INVALID and lists the problems', () => {
    expect(() => parseIntentModel('{not json')).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseIntentModel('[]')).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    for (const patch of [
      { weights: [] },
      { bias: [1] },
      { labels: [] },
      { temperature: 0 },
      { vocab: 'x' },
      { idf: [1] },
      { embedder: { id: 'onnx', dim: 384 } },
      { thresholds: { accept: 'high' } },
      { stats: { ...model.stats, learningRate: 0 } },
      { stats: { ...model.stats, classBalance: 1.5 } },
      { weights: model.weights.map(() => ({ index: [10 ** 9], value: [1] })) },
    ]) {
      expect(() => parseIntentModel(mutate(patch)), JSON.stringify(patch).slice(0, 40)).toThrow(
        expect.objectContaining({ code: 'MODEL_INVALID' }),
      );
    }
    try {
      parseIntentModel(mutate({ temperature: -1, bias: [] }));
      expect.unreachable();
    } catch (e) {
      expect((e as { details: { issues: string[] } }).details.issues.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('throws INVALID_INPUT when the JSON is not a string', () => {
    expect(() => parseIntentModel({} as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
