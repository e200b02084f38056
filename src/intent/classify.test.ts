import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTextPipeline } from '../text/index.js';
import { classify, createIntentClassifier, type IntentClassifier } from './classify.js';
import { parseIntentModel, serializeIntentModel, type IntentModel } from './model.js';
import { trainIntents, type IntentExample } from './train.js';

const data: IntentExample[] = [
  ...['我要退货', '怎么退货', '退货流程', '这个能退吗', '申请退货', '想把衣服退了', '退货地址是哪', '七天无理由退货'].map((text) => ({
    text,
    intent: 'return',
  })),
  ...['快递到哪了', '查物流', '包裹在哪', '物流信息', '我的快递呢', '快递怎么还没到', '物流不更新', '帮我查快递'].map((text) => ({
    text,
    intent: 'logistics',
  })),
  ...['开发票', '发票怎么开', '要专票', '补开发票', '电子发票在哪', '发票抬头写错了', '能开发票吗', '发票没收到'].map((text) => ({
    text,
    intent: 'invoice',
  })),
  ...['今天天气怎么样', '讲个笑话', '红烧肉怎么做', '帮我订机票', '股票会涨吗', '推荐一部电影'].map((text) => ({ text, intent: null })),
];

let model: IntentModel;
let classifier: IntentClassifier;

beforeAll(() => {
  model = trainIntents(data);
  classifier = createIntentClassifier(model);
});

describe('classify decisions', () => {
  it('accepts a clear in-scope message', () => {
    const r = classifier.classify('我的快递到哪了');
    expect(r).toMatchObject({ intent: 'logistics', decision: 'accept', reason: 'matched' });
    expect(r.confidence).toBe(r.ranking[0]?.confidence);
    expect(r.ranking.map((s) => s.name).sort()).toEqual(['invoice', 'logistics', 'return']);
    const total = r.ranking.reduce((s, x) => s + x.confidence, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    for (let i = 1; i < r.ranking.length; i++) {
      expect(r.ranking[i - 1]?.confidence).toBeGreaterThanOrEqual(r.ranking[i]?.confidence ?? 0);
    }
  });

  it('falls back on out-of-scope messages', () => {
    const r = classifier.classify('红烧肉怎么做才好吃');
    expect(r.intent).toBeNull();
    expect(r.decision).toBe('fallback');
    expect(['out_of_scope', 'below_threshold']).toContain(r.reason);
  });

  it('falls back below the threshold, which is overridable per call', () => {
    const r = classifier.classify('我的快递到哪了', { threshold: 1 });
    expect(r).toMatchObject({ intent: null, decision: 'fallback', reason: 'below_threshold' });
    expect(classifier.classify('我的快递到哪了', { threshold: 0 }).decision).toBe('accept');
  });

  it('asks to clarify when the top two intents are close', () => {
    const r = classifier.classify('退货和发票', { clarifyMargin: 1, clarifyFloor: 0 });
    expect(r.decision).toBe('clarify');
    expect(r.reason).toBe('ambiguous');
    expect(r.intent).toBe(r.ranking[0]?.name);
    // A message mixing two intents lands in the band with the model's own margin once the floor allows it.
    const mixed = classifier.classify('退货 发票', { clarifyFloor: 0.2, clarifyMargin: 0.5 });
    expect(mixed.decision).toBe('clarify');
  });

  it('limits the ranking with topK', () => {
    expect(classifier.classify('查物流', { topK: 1 }).ranking).toHaveLength(1);
    expect(classify(classifier, '查物流', { topK: 0 }).ranking).toHaveLength(0);
  });

  it('rejects bad per-call options with INVALID_OPTION', () => {
    expect(() => classifier.classify('查物流', { threshold: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => classifier.classify('查物流', { topK: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('classify on awkward input', () => {
  it('returns empty_input for empty and whitespace-only text', () => {
    for (const text of ['', '   ', '\n\t']) {
      expect(classifier.classify(text)).toEqual({ intent: null, confidence: 0, ranking: [], decision: 'fallback', reason: 'empty_input' });
    }
  });

  it('handles emoji-only text, broken surrogates and a 100 KB message', () => {
    const emoji = classifier.classify('😂😂👍');
    expect(emoji.decision).toBe('fallback');
    const broken = classifier.classify('\uD800快递\uDC00到哪了\uD83D');
    expect(broken.intent).toBe('logistics');
    const long = '快递到哪了'.repeat(20_000);
    expect(long.length).toBe(100_000);
    const r = classifier.classify(long);
    expect(r.intent).toBe('logistics');
    expect(Number.isFinite(r.confidence)).toBe(true);
  });

  it('throws INVALID_INPUT for non-string text', () => {
    expect(() => classifier.classify(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  test.prop([fc.string({ maxLength: 60, unit: 'binary' })], { numRuns: 150 })('never throws and returns a well-formed result', (text) => {
    const r = classifier.classify(text);
    expect(r.confidence).toBeGreaterThanOrEqual(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(['accept', 'clarify', 'fallback']).toContain(r.decision);
    expect(r.decision === 'fallback').toBe(r.intent === null);
  });
});

describe('createIntentClassifier', () => {
  it('rebuilds the training pipeline from the model, or checks the one passed', () => {
    const same = createTextPipeline({ language: 'zh', dictionary: [] });
    expect(createIntentClassifier(model, { pipeline: same }).classify('查物流').intent).toBe('logistics');
    expect(() => createIntentClassifier(model, { pipeline: createTextPipeline({ language: 'en' }) })).toThrow(
      expect.objectContaining({ code: 'PIPELINE_MISMATCH' }),
    );
    expect(() =>
      createIntentClassifier(model, { pipeline: createTextPipeline({ language: 'zh', normalize: { simplified: false } }) }),
    ).toThrow(expect.objectContaining({ code: 'PIPELINE_MISMATCH' }));
  });

  it('rebuilds the default pipeline of a language-trained model after save and load', () => {
    const rows = [
      { text: 'where is my parcel', intent: 'track' },
      { text: 'track my order', intent: 'track' },
      { text: 'i want a refund', intent: 'refund' },
      { text: 'refund please', intent: 'refund' },
    ];
    const m = parseIntentModel(serializeIntentModel(trainIntents(rows, { language: 'en' })));
    expect(m.text).toMatchObject({ language: 'en', dictionary: [] });
    expect(createIntentClassifier(m).classify('where is my parcel now').ranking[0]?.name).toBe('track');
    expect(() => trainIntents(rows, { language: 'fr' as 'en' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('requires the pipeline when the model was trained with a custom one', () => {
    const pipeline = createTextPipeline({ language: 'en' });
    const m = trainIntents(
      [
        { text: 'where is my parcel', intent: 'track' },
        { text: 'track my order', intent: 'track' },
        { text: 'i want a refund', intent: 'refund' },
        { text: 'refund please', intent: 'refund' },
        { text: 'give me my money back', intent: 'refund' },
        { text: 'package status', intent: 'track' },
      ],
      { pipeline },
    );
    expect(m.text.dictionary).toBeNull();
    expect(() => createIntentClassifier(m)).toThrow(expect.objectContaining({ code: 'PIPELINE_MISMATCH' }));
    expect(createIntentClassifier(m, { pipeline }).classify('where is my refund').ranking).toHaveLength(2);
  });

  it('rejects something that is not a model', () => {
    expect(() => createIntentClassifier({} as IntentModel)).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
    expect(() => createIntentClassifier(null as unknown as IntentModel)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });
});
