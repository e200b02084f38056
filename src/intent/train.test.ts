import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type Pack } from '../pack/index.js';
import { createIntentClassifier } from './classify.js';
import { serializeIntentModel, type IntentModel } from './model.js';
import { trainIntents, type IntentExample, type TrainIntentsOptions } from './train.js';

/** Checked-in quality floors for the bundled pack's held-out tests (measured values are in the report of issue 3). */
const ECOMMERCE_MIN_IN_SCOPE = 0.8;
const ECOMMERCE_MIN_OOS = 0.85;
const ECOMMERCE_MIN_ALL = 0.82;
const MAX_CV_ECE = 0.05;

let pack: Pack;
let model: IntentModel;

beforeAll(async () => {
  pack = await loadPack('fixtures/packs/ecommerce-zh');
  model = trainIntents(pack);
});

function heldOut(p: Pack, m: IntentModel): { inScope: number; oos: number; all: number } {
  const classifier = createIntentClassifier(m);
  let inOk = 0;
  let inN = 0;
  let oosOk = 0;
  let oosN = 0;
  for (const t of p.tests) {
    if (t.intent === undefined) continue;
    const r = classifier.classify(t.text);
    if (t.intent === null) {
      oosN++;
      if (r.intent === null && r.decision === 'fallback') oosOk++;
    } else {
      inN++;
      if (r.intent === t.intent) inOk++;
    }
  }
  return { inScope: inOk / inN, oos: oosN ? oosOk / oosN : 1, all: (inOk + oosOk) / (inN + oosN) };
}

const small: IntentExample[] = [
  ...['我要退货', '怎么退货', '退货流程', '这个能退吗', '申请退货', '想把衣服退了'].map((text) => ({ text, intent: 'return' })),
  ...['快递到哪了', '查物流', '包裹在哪', '物流信息', '我的快递呢', '快递怎么还没到'].map((text) => ({ text, intent: 'logistics' })),
  ...['开发票', '发票怎么开', '要专票', '补开发票', '电子发票在哪', '发票抬头写错了'].map((text) => ({ text, intent: 'invoice' })),
];

describe('trainIntents on the bundled ecommerce-zh pack', () => {
  it('is deterministic: the same data and seed give byte-identical models', () => {
    expect(serializeIntentModel(trainIntents(pack))).toBe(serializeIntentModel(model));
  });

  it('records the step size and class balancing it trained with; class balancing changes the model', () => {
    expect(model.stats.learningRate).toBe(4);
    expect(model.stats.classBalance).toBe(0.5);
    const skewed = [...small, ...['退货退款', '退了吧', '退掉', '退一下'].map((text) => ({ text, intent: 'return' }))];
    const flat = trainIntents(skewed, { classBalance: 0 });
    expect(flat.stats.classBalance).toBe(0);
    expect(serializeIntentModel(trainIntents(skewed))).not.toBe(serializeIntentModel(flat));
  });

  it('depends on the seed', () => {
    const other = trainIntents(small, { seed: 1 });
    expect(serializeIntentModel(trainIntents(small, { seed: 2 }))).not.toBe(serializeIntentModel(other));
  });

  it('records the format, pipeline, thresholds and cross-validated stats', () => {
    expect(model.format).toBe('kefu/intent-model');
    expect(model.formatVersion).toBe(1);
    expect(model.embedder).toBeNull();
    expect(model.tokenizer).toMatch(/^jieba:/);
    expect(model.labels).toHaveLength(pack.intents.length);
    expect(model.outOfScopeClass).toBe(true);
    expect(model.stats.thresholdMethod).toBe('oos-recall');
    expect(model.stats.oosRecall).toBe(0.8);
    expect(model.stats.examples).toBe(pack.intents.reduce((s, i) => s + i.examples.length, 0) + pack.outOfScope.length);
    expect(model).not.toHaveProperty('trainedAt');
    expect(model.thresholds.accept).toBeGreaterThanOrEqual(0);
    expect(model.thresholds.accept).toBeLessThan(1);
  });

  it('is calibrated: cross-validated expected calibration error is small', () => {
    expect(model.stats.cv).not.toBeNull();
    expect(model.stats.cv?.ece).toBeLessThan(MAX_CV_ECE);
    expect(model.temperature).toBeGreaterThan(0);
  });

  it('never trains on pack tests', () => {
    const testTexts = new Set(pack.tests.map((t) => t.text));
    const poisoned: Pack = { ...pack, tests: [...pack.tests, { text: '完全无关的测试句子ZZZ', spans: [], intent: 'refund' }] };
    expect(serializeIntentModel(trainIntents(poisoned))).toBe(serializeIntentModel(model));
    expect(testTexts.size).toBeGreaterThan(0);
  });

  it('meets the held-out accuracy floor on the pack tests (in scope and out of scope)', () => {
    const acc = heldOut(pack, model);
    expect(acc.inScope).toBeGreaterThanOrEqual(ECOMMERCE_MIN_IN_SCOPE);
    expect(acc.oos).toBeGreaterThanOrEqual(ECOMMERCE_MIN_OOS);
    expect(acc.all).toBeGreaterThanOrEqual(ECOMMERCE_MIN_ALL);
  });
});

describe('out-of-scope detection', () => {
  it('without out-of-scope examples, tunes the threshold to the stated accept rate', async () => {
    const en = await loadPack('fixtures/packs/retail-en');
    expect(en.outOfScope).toHaveLength(0);
    const m = trainIntents(en, { acceptRate: 0.9 });
    expect(m.outOfScopeClass).toBe(false);
    expect(m.stats.thresholdMethod).toBe('accept-rate');
    expect(m.stats.cv?.oosRecall).toBeNull();
    expect(m.stats.cv?.inScopeAcceptRate).toBeGreaterThanOrEqual(0.9);
    expect(m.thresholds.accept).toBeGreaterThan(0);
    const acc = heldOut(en, m);
    expect(acc.inScope).toBeGreaterThanOrEqual(0.75);
    // A lower target accept rate is a stricter operating point: the threshold can only go up.
    expect(trainIntents(en, { acceptRate: 0.7 }).thresholds.accept).toBeGreaterThan(m.thresholds.accept);
  });

  it('with out-of-scope examples, tunes the threshold to the stated out-of-scope recall on cross-validation', async () => {
    const pack = await loadPack('fixtures/packs/ecommerce-zh');
    const strict = trainIntents(pack, { oosRecall: 0.97 });
    expect(strict.stats.thresholdMethod).toBe('oos-recall');
    expect(strict.stats.cv?.oosRecall).toBeGreaterThanOrEqual(0.97);
    const loose = trainIntents(pack, { oosRecall: 0.5 });
    // A higher recall target can only raise the threshold and lower the share of in-scope messages accepted.
    expect(strict.thresholds.accept).toBeGreaterThan(loose.thresholds.accept);
    expect(strict.stats.cv?.inScopeAcceptRate ?? 1).toBeLessThan(loose.stats.cv?.inScopeAcceptRate ?? 0);
    const balanced = trainIntents(pack, { oosRecall: 'balanced' });
    expect(balanced.stats.thresholdMethod).toBe('oos-balance');
    expect(() => trainIntents(pack, { oosRecall: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(pack, { oosRecall: 'high' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('with out-of-scope examples, learns an out-of-scope class', () => {
    const data = [...small, ...['今天天气怎么样', '讲个笑话', '红烧肉怎么做', '帮我订机票', '股票会涨吗'].map((text) => ({ text, intent: null }))];
    const m = trainIntents(data);
    expect(m.outOfScopeClass).toBe(true);
    expect(m.labels).toEqual(['invoice', 'logistics', 'return']);
    expect(m.stats.outOfScopeExamples).toBe(5);
    const r = createIntentClassifier(m).classify('红烧肉怎么做好吃');
    expect(r.intent).toBeNull();
    expect(r.decision).toBe('fallback');
  });
});

describe('bad training input', () => {
  it('rejects empty data, data without intents and malformed examples with TRAINING_DATA_INVALID', () => {
    expect(() => trainIntents([])).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
    expect(() => trainIntents([{ text: '天气', intent: null }])).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
    const bad = [{ text: 1, intent: 'a' }, { text: 'ok', intent: '' }, null] as unknown as IntentExample[];
    try {
      trainIntents(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'TRAINING_DATA_INVALID' });
      expect((e as { details: { issues: unknown[] } }).details.issues).toHaveLength(3);
    }
    expect(() => trainIntents('data' as unknown as IntentExample[])).toThrow(expect.objectContaining({ code: 'TRAINING_DATA_INVALID' }));
  });

  it('rejects bad options with INVALID_OPTION', () => {
    expect(() => trainIntents(small, { folds: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(small, { acceptRate: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(small, { seed: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(small, { classBalance: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(small, { classBalance: -0.1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => trainIntents(small, 'fast' as unknown as TrainIntentsOptions)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('trains a well-defined model from one intent: related messages match, unrelated ones fall back', () => {
    const m = trainIntents(small.filter((e) => e.intent === 'return'));
    expect(m.labels).toEqual(['return']);
    const c = createIntentClassifier(m);
    const hit = c.classify('我想退货');
    expect(hit.intent).toBe('return');
    expect(hit.decision).toBe('accept');
    const miss = c.classify('今天天气不错');
    expect(miss.intent).toBeNull();
    expect(miss.decision).toBe('fallback');
    expect(miss.confidence).toBeLessThan(hit.confidence);
  });

  it('trains with an intent that has one example and warns through the logger', () => {
    const warnings: string[] = [];
    const m = trainIntents([...small, { text: '转人工', intent: 'human' }], {
      logger: (level, message) => {
        if (level === 'warn') warnings.push(message);
      },
    });
    expect(m.labels).toContain('human');
    expect(warnings.some((w) => w.includes('"human"'))).toBe(true);
    expect(createIntentClassifier(m).classify('转人工').ranking[0]?.name).toBe('human');
  });

  it('trains from fewer examples than folds without cross-validation', () => {
    const m = trainIntents([{ text: '退货', intent: 'return' }, { text: '发票', intent: 'invoice' }]);
    expect(m.stats.cv).toBeNull();
    expect(createIntentClassifier(m).classify('退货').intent).toBe('return');
  });
});
