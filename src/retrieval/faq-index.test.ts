import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../embeddings/index.js';
import { createTextPipeline } from '../text/index.js';
import {
  addFaqEntries,
  addFaqVectors,
  createFaqIndex,
  embedFaqQuery,
  getFaqEntry,
  listFaqEntries,
  loadFaqIndex,
  parseFaqIndex,
  removeFaqEntries,
  saveFaqIndex,
  searchFaq,
  searchFaqWithEmbedder,
  serializeFaqIndex,
  setFaqThresholds,
  tuneFaqThresholds,
  updateFaqEntries,
  DEFAULT_FAQ_THRESHOLDS,
  DEFAULT_LEXICAL_FAQ_THRESHOLDS,
  type FaqEntryInput,
  type FaqIndexJson,
} from './index.js';

const SYNONYMS = [
  ['快递', '物流', '包裹'],
  ['运费', '邮费'],
];

const ENTRIES: FaqEntryInput[] = [
  { id: 'shipping_time', question: '下单后多久发货？', similar: ['什么时候发货', '几天能发出', '付款后多久发'], answer: '48小时内发货。', channels: { sms: '48h发货' } },
  { id: 'delivery_time', question: '发货后几天能到？', similar: ['快递要走几天', '几天能收到', '物流要多久'], answer: '2-4天送达。' },
  { id: 'shipping_fee', question: '运费怎么算？', similar: ['包邮吗', '满多少包邮', '运费多少钱'], answer: '满99包邮。' },
  { id: 'return_fee', question: '退货运费谁出？', similar: ['退货邮费谁承担', '退回去的运费谁付'], answer: '质量问题我们承担。' },
  { id: 'invoice', question: '怎么开发票？', similar: ['能开发票吗', '发票在哪里申请'], answer: '订单详情里申请。' },
];

// Loading jieba's dictionary costs most of a second: one pipeline for the whole file.
const pipeline = createTextPipeline();
const build = (entries: readonly FaqEntryInput[] = ENTRIES) => createFaqIndex(entries, { synonyms: SYNONYMS, pipeline });

/** A tiny deterministic embedder: character bag hashed into 32 buckets. */
function fakeEmbedder(id = 'fake:v1', dim = 32): Embedder & { calls: number } {
  const e = {
    id,
    dim,
    calls: 0,
    embed(texts: readonly string[]): Promise<Float32Array[]> {
      e.calls++;
      return Promise.resolve(
        texts.map((t) => {
          const v = new Float32Array(dim);
          for (const ch of t) v[(ch.codePointAt(0) as number) % dim] = (v[(ch.codePointAt(0) as number) % dim] as number) + 1;
          return v;
        }),
      );
    },
    dispose: () => Promise.resolve(),
  };
  return e;
}

describe('createFaqIndex / searchFaq', () => {
  it('ranks the entry whose questions match, and answers an exact question', () => {
    const index = build();
    const r = searchFaq(index, '下单后多久发货');
    expect(r.decision).toBe('answer');
    expect(r.reason).toBe('rule');
    expect(r.faq?.id).toBe('shipping_time');
    expect(r.faq?.via).toBe('exact');
    expect(searchFaq(index, '退货的运费谁来出呀').candidates[0]?.id).toBe('return_fee');
  });

  it('uses synonyms: 包裹 finds the 快递 entry', () => {
    expect(searchFaq(build(), '包裹要走几天').candidates[0]?.id).toBe('delivery_time');
  });

  it('returns none for text outside the knowledge base, and empty_input for nothing to search', () => {
    const index = build();
    const r = searchFaq(index, '明天上海会下雨吗');
    expect(r.decision).toBe('none');
    expect(r.faq).toBeNull();
    expect(searchFaq(index, '').reason).toBe('empty_input');
    expect(searchFaq(index, '？？ 。').reason).toBe('empty_input');
  });

  it('returns the channel variant of the answer when it exists', () => {
    const index = build();
    expect(searchFaq(index, '下单后多久发货', { channel: 'sms' }).faq?.answer).toBe('48h发货');
    expect(searchFaq(index, '下单后多久发货', { channel: 'wechat' }).faq?.answer).toBe('48小时内发货。');
  });

  it('applies the thresholds: answer, suggest (ambiguous or low) and none', () => {
    const index = build();
    const text = '发票能开吗';
    const score = searchFaq(index, text).candidates[0]?.score ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(searchFaq(index, text, { thresholds: { answer: score, margin: 0, suggest: 0 } }).decision).toBe('answer');
    expect(searchFaq(index, text, { thresholds: { answer: Math.min(1, score + 0.01), margin: 0, suggest: score } }).reason).toBe('low_confidence');
    expect(searchFaq(index, text, { thresholds: { answer: score, margin: 1, suggest: 0 } }).reason).toBe('ambiguous');
    expect(searchFaq(index, text, { thresholds: { answer: 1, margin: 0, suggest: Math.min(1, score + 0.01) } }).decision).toBe('none');
  });

  it('limits candidates to topK', () => {
    expect(searchFaq(build(), '运费发货快递', { topK: 2 }).candidates.length).toBeLessThanOrEqual(2);
    expect(searchFaq(build(), '运费发货快递', { topK: 0 }).candidates).toEqual([]);
  });
});

describe('match modes, enabled flag and validity window', () => {
  const rules: FaqEntryInput[] = [
    ...ENTRIES,
    { id: 'hours', question: '客服几点上班', answer: '9-22点。', match: 'exact', patterns: ['人工几点上班'] },
    { id: 'insurance', question: '运费险', answer: '下单即赠。', match: 'contains', patterns: ['运费险'] },
    { id: 'order_no', question: '订单号查询', answer: '请提供订单号。', match: 'regex', patterns: ['^\\d{18}$'] },
    { id: 'off', question: '旧活动规则', similar: ['旧活动怎么玩'], answer: '已结束。', enabled: false },
    { id: 'double11', question: '双十一活动规则', similar: ['双十一怎么玩'], answer: '满300减50。', validFrom: '2026-11-01', validTo: '2026-11-11' },
  ];

  it('exact: only the listed phrasings (ignoring punctuation, case, width and traditional characters) match', () => {
    const index = build(rules);
    expect(searchFaq(index, '人工幾點上班？').faq?.id).toBe('hours');
    expect(searchFaq(index, '客服几点上班呀').candidates.some((c) => c.id === 'hours')).toBe(false);
  });

  it('contains and regex take priority over smart matching', () => {
    const index = build(rules);
    const r = searchFaq(index, '运费险怎么理赔，退货运费谁出');
    expect(r).toMatchObject({ decision: 'answer', reason: 'rule' });
    expect(r.faq).toMatchObject({ id: 'insurance', via: 'contains', score: 1 });
    expect(searchFaq(index, '202611210001234567').faq).toMatchObject({ id: 'order_no', via: 'regex' });
  });

  it('never returns a disabled entry', () => {
    const index = build(rules);
    expect(searchFaq(index, '旧活动规则').candidates.some((c) => c.id === 'off')).toBe(false);
  });

  it('returns a dated entry only inside its window, read in the given time zone', () => {
    const index = build(rules);
    const inside = searchFaq(index, '双十一活动规则', { now: '2026-11-05T12:00:00Z' });
    expect(inside.faq?.id).toBe('double11');
    expect(searchFaq(index, '双十一活动规则', { now: '2026-11-12T12:00:00Z' }).candidates.some((c) => c.id === 'double11')).toBe(false);
    // 2026-11-11T17:00Z is already 11-12 in Shanghai but still 11-11 in New York.
    expect(searchFaq(index, '双十一活动规则', { now: '2026-11-11T17:00:00Z' }).faq).toBeNull();
    expect(searchFaq(index, '双十一活动规则', { now: '2026-11-11T17:00:00Z', timeZone: 'America/New_York' }).faq?.id).toBe('double11');
  });
});

describe('classifier (learned component)', () => {
  it('is trained by default over 2+ entries, skipped for fewer, above maxEntries and with classifier: false', () => {
    expect(build().hasClassifier).toBe(true);
    expect(build(ENTRIES.slice(0, 1)).hasClassifier).toBe(false);
    expect(createFaqIndex(ENTRIES, { pipeline, classifier: { maxEntries: 4 } }).hasClassifier).toBe(false);
    const lexical = createFaqIndex(ENTRIES, { synonyms: SYNONYMS, pipeline, classifier: false });
    expect(lexical.hasClassifier).toBe(false);
    expect(lexical.thresholds).toEqual(DEFAULT_LEXICAL_FAQ_THRESHOLDS);
    expect(build().thresholds).toEqual(DEFAULT_FAQ_THRESHOLDS);
    expect(() => createFaqIndex(ENTRIES, { pipeline, classifier: { weight: 2 } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('fuses the classifier with the lexical score, deterministically', () => {
    const a = build();
    const b = build();
    const lexical = createFaqIndex(ENTRIES, { synonyms: SYNONYMS, pipeline, classifier: false });
    for (const q of ['退货运费谁出啊', '发票怎么申请', '几天到', '包邮吗亲']) {
      expect(searchFaq(a, q).candidates).toEqual(searchFaq(b, q).candidates);
      expect(searchFaq(a, q).candidates[0]?.id).toBe(searchFaq(lexical, q).candidates[0]?.id);
      expect(searchFaq(a, q).candidates[0]?.score).not.toBeCloseTo(searchFaq(lexical, q).candidates[0]?.score ?? 0, 4);
    }
  });

  it('is retrained after add / update / remove, and dropped below 2 entries', () => {
    const index = build(ENTRIES.slice(0, 3));
    const labels = (): readonly string[] => (JSON.parse(serializeFaqIndex(index).json) as FaqIndexJson).classifierModel?.labels ?? [];
    expect(labels()).toEqual(['delivery_time', 'shipping_fee', 'shipping_time']);
    addFaqEntries(index, ENTRIES.slice(3));
    expect(labels()).toEqual(['delivery_time', 'invoice', 'return_fee', 'shipping_fee', 'shipping_time']);
    updateFaqEntries(index, [{ id: 'invoice', question: '发票', answer: '', enabled: false }]);
    expect(labels()).not.toContain('invoice');
    removeFaqEntries(index, ['shipping_fee', 'shipping_time', 'delivery_time']);
    expect(index.hasClassifier).toBe(false);
    expect(labels()).toEqual([]);
  });

  it('is saved with the index (format 2) and loaded without retraining; format-1 files load lexical-only', () => {
    const index = build();
    const { json } = serializeFaqIndex(index);
    const saved = JSON.parse(json) as FaqIndexJson;
    expect(saved.formatVersion).toBe(2);
    expect(saved.classifierModel?.labels).toHaveLength(5);
    const copy = parseFaqIndex(json, { pipeline });
    expect(copy.hasClassifier).toBe(true);
    expect(serializeFaqIndex(copy).json).toBe(json);
    for (const q of ['退货运费谁出啊', '发票怎么申请', '物留几天到']) expect(searchFaq(copy, q)).toEqual(searchFaq(index, q));

    const lexical = createFaqIndex(ENTRIES, { synonyms: SYNONYMS, pipeline, classifier: false });
    const v1Value = JSON.parse(serializeFaqIndex(lexical).json) as Record<string, unknown> & { config: Record<string, unknown> };
    delete v1Value.config.classifier;
    delete v1Value.classifierModel;
    const v1 = JSON.stringify({ ...v1Value, formatVersion: 1 });
    const old = parseFaqIndex(v1, { pipeline });
    expect(old.hasClassifier).toBe(false);
    expect(old.config.classifier.enabled).toBe(false);
    for (const q of ['退货运费谁出啊', '发票怎么申请']) expect(searchFaq(old, q)).toEqual(searchFaq(lexical, q));
    const broken = { ...saved, classifierModel: { ...saved.classifierModel, labels: ['nope'] } };
    expect(() => parseFaqIndex(JSON.stringify(broken), { pipeline })).toThrow(expect.objectContaining({ code: 'INDEX_INVALID' }));
  });

  it('tunes thresholds on cross-validated classifier probabilities', () => {
    const index = build();
    const tuning = tuneFaqThresholds(index, { negatives: ['明天天气怎么样', '讲个笑话'] });
    expect(tuning.positives).toBe(ENTRIES.reduce((n, e) => n + (e.similar?.length ?? 0), 0));
    expect(tuning.negatives).toBe(2);
    expect(tuning.thresholds.suggest).toBeLessThanOrEqual(tuning.thresholds.answer);
  });
});

describe('incremental changes', () => {
  it('adds, updates and removes entries without a rebuild, with the same results as a fresh index', () => {
    // Lexical only: this checks the postings; the classifier's retraining is checked below.
    const lexical = (entries: readonly FaqEntryInput[] = ENTRIES) => createFaqIndex(entries, { synonyms: SYNONYMS, pipeline, classifier: false });
    const index = lexical(ENTRIES.slice(0, 3));
    addFaqEntries(index, ENTRIES.slice(3));
    const fresh = lexical();
    for (const q of ['退货运费谁出啊', '发票怎么申请', '几天到', '包邮吗亲']) {
      expect(searchFaq(index, q).candidates).toEqual(searchFaq(fresh, q).candidates);
    }
    updateFaqEntries(index, [{ id: 'invoice', question: '电子发票怎么下载？', similar: ['发票在哪下载'], answer: '订单详情下载。' }]);
    expect(getFaqEntry(index, 'invoice')?.question).toBe('电子发票怎么下载？');
    expect(searchFaq(index, '发票在哪下载').faq?.answer).toBe('订单详情下载。');
    expect(searchFaq(index, '发票在哪里申请').faq).toBeNull();
    expect(removeFaqEntries(index, ['invoice', 'missing'])).toBe(1);
    expect(index.size).toBe(4);
    expect(searchFaq(index, '电子发票怎么下载').candidates.some((c) => c.id === 'invoice')).toBe(false);
    expect(listFaqEntries(index).map((e) => e.id)).toEqual(['shipping_time', 'delivery_time', 'shipping_fee', 'return_fee']);
  });

  it('survives many removals (posting compaction) and keeps ranking live entries only', () => {
    const many: FaqEntryInput[] = Array.from({ length: 600 }, (_, i) => ({ id: `e${i}`, question: `商品${i}号怎么保养`, similar: [`${i}号产品如何清洁`], answer: `${i}` }));
    const index = build([...ENTRIES, ...many]);
    removeFaqEntries(index, many.map((e) => e.id));
    expect(index.size).toBe(ENTRIES.length);
    expect(searchFaq(index, '商品12号怎么保养').candidates.every((c) => !c.id.startsWith('e'))).toBe(true);
    expect(searchFaq(index, '退货运费谁出').faq?.id).toBe('return_fee');
  });

  it('rejects bad entries with every problem listed and changes nothing', () => {
    const index = build();
    let caught: unknown;
    try {
      addFaqEntries(index, [
        { id: 'shipping_fee', question: 'x', answer: 'y' },
        { id: 'bad', question: '', answer: 'y', match: 'regex', patterns: ['(a+)+$'] },
        { id: 'late', question: 'q', answer: 'a', validFrom: '2026-02-01', validTo: '2026-01-01' },
      ]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'INVALID_INPUT' });
    expect((caught as { details: { issues: string[] } }).details.issues.length).toBeGreaterThanOrEqual(4);
    expect(index.size).toBe(ENTRIES.length);
    expect(() => updateFaqEntries(index, [{ id: 'nope', question: 'q', answer: 'a' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('options and inputs', () => {
  it('validates options with INVALID_OPTION and text with INVALID_INPUT', () => {
    const index = build();
    expect(() => createFaqIndex(ENTRIES, { fusion: 'max' as never, pipeline })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createFaqIndex(ENTRIES, { weights: { words: 0, chars: 0, pinyin: 0 }, pipeline })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => searchFaq(index, 42 as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => searchFaq(index, 'x', { topK: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => searchFaq(index, 'x', { now: 'not a date' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => setFaqThresholds(index, { answer: 0.3, margin: 0, suggest: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => searchFaq({} as never, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('never crashes on hostile text', () => {
    const index = build();
    for (const text of ['😀😀😀', '\u0000\u0007\u200b', '\ud800退货\udc00', 'x'.repeat(100_000), '退货'.repeat(50_000), 'ＡＢＣ　ｄｅｆ']) {
      const r = searchFaq(index, text);
      expect(['answer', 'suggest', 'none']).toContain(r.decision);
    }
  });

  const shared = build();
  test.prop([fc.string({ maxLength: 60 })], { numRuns: 150 })('any string gives a well-formed result with scores in [0, 1]', (text) => {
    const r = searchFaq(shared, text);
    expect(['answer', 'suggest', 'none']).toContain(r.decision);
    expect(r.faq === null).toBe(r.decision !== 'answer');
    for (const c of r.candidates) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
  });
});

describe('tuneFaqThresholds', () => {
  it('tunes by leave-one-out and keeps the required share of negatives at none', () => {
    const index = build();
    const negatives = ['明天上海会下雨吗', '红烧肉怎么做', '帮我订机票', '股票涨了吗'];
    const tuning = tuneFaqThresholds(index, { negatives, minNoneRate: 1 });
    expect(tuning.positives).toBe(13);
    expect(tuning.noneRate).toBe(1);
    setFaqThresholds(index, tuning.thresholds);
    for (const n of negatives) expect(searchFaq(index, n).decision).toBe('none');
    expect(tuning.thresholds.suggest).toBeLessThanOrEqual(tuning.thresholds.answer);
  });

  it('leaves the index as it was', () => {
    const index = build();
    const before = ['退货运费谁出啊', '发票怎么申请', '几天到'].map((q) => searchFaq(index, q));
    tuneFaqThresholds(index);
    expect(['退货运费谁出啊', '发票怎么申请', '几天到'].map((q) => searchFaq(index, q))).toEqual(before);
  });

  it('refuses an index without similar questions', () => {
    expect(() => tuneFaqThresholds(build([{ id: 'a', question: '问', answer: '答' }]))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('vectors', () => {
  it('fuses query vectors, embeds only new questions, and checks the embedder', async () => {
    const index = build();
    const embedder = fakeEmbedder();
    expect(await addFaqVectors(index, embedder)).toBe(18);
    expect(index.embedder).toEqual({ id: 'fake:v1', dim: 32 });
    addFaqEntries(index, [{ id: 'gift', question: '能包装成礼物吗', answer: '可以。' }]);
    expect(await addFaqVectors(index, embedder)).toBe(1);
    const r = await searchFaqWithEmbedder(index, embedder, '退货运费谁出');
    expect(r.candidates[0]?.id).toBe('return_fee');
    await expect(addFaqVectors(index, fakeEmbedder('other:v1'))).rejects.toMatchObject({ code: 'EMBEDDER_MISMATCH' });
    await expect(embedFaqQuery(index, fakeEmbedder('fake:v1', 16), 'x')).rejects.toMatchObject({ code: 'EMBEDDING_DIM_MISMATCH' });
    expect(() => searchFaq(index, 'x', { queryVector: new Float32Array(5) })).toThrow(expect.objectContaining({ code: 'EMBEDDING_DIM_MISMATCH' }));
    expect(() => searchFaq(build(), 'x', { queryVector: new Float32Array(32) })).toThrow(expect.objectContaining({ code: 'EMBEDDER_MISMATCH' }));
  });

  it('lets a vector match what shares no word', async () => {
    const index = createFaqIndex(ENTRIES, { synonyms: SYNONYMS, weights: { vector: 1 }, pipeline });
    const embedder = fakeEmbedder();
    await addFaqVectors(index, embedder);
    const queryVector = await embedFaqQuery(index, embedder, '运费怎么算？');
    expect(searchFaq(index, 'zzz', { queryVector }).candidates[0]?.id).toBe('shipping_fee');
  });
});

describe('save / load', () => {
  it('round-trips an index with vectors, and checks format, embedder and files', async () => {
    const index = build();
    setFaqThresholds(index, { answer: 0.6, margin: 0.1, suggest: 0.4 });
    const embedder = fakeEmbedder();
    await addFaqVectors(index, embedder);
    const dir = await mkdtemp(join(tmpdir(), 'kefu-faq-'));
    try {
      const path = join(dir, 'index.json');
      await saveFaqIndex(index, path);
      const loaded = await loadFaqIndex(path, { embedder, pipeline });
      expect(loaded.thresholds).toEqual(index.thresholds);
      expect(loaded.embedder).toEqual(index.embedder);
      for (const q of ['退货运费谁出', '几天能到呀', '发票']) {
        const queryVector = await embedFaqQuery(index, embedder, q);
        expect(searchFaq(loaded, q, { queryVector })).toEqual(searchFaq(index, q, { queryVector }));
      }
      await expect(loadFaqIndex(path, { embedder: { id: 'other', dim: 32 }, pipeline })).rejects.toMatchObject({ code: 'EMBEDDER_MISMATCH' });
      await expect(loadFaqIndex(path, { embedder: { id: 'fake:v1', dim: 64 }, pipeline })).rejects.toMatchObject({ code: 'EMBEDDING_DIM_MISMATCH' });
      await writeFile(`${path}.f32`, new Uint8Array(8));
      await expect(loadFaqIndex(path, { pipeline })).rejects.toMatchObject({ code: 'INDEX_INVALID' });
      const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      expect(() => parseFaqIndex(JSON.stringify({ ...json, formatVersion: 99 }), { pipeline })).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION_UNSUPPORTED' }));
      expect(() => parseFaqIndex(JSON.stringify({ ...json, tokenizer: 'other' }), { vectors: serializeFaqIndex(index).vectors, pipeline })).toThrow(
        expect.objectContaining({ code: 'PIPELINE_MISMATCH' }),
      );
      await expect(loadFaqIndex(join(dir, 'missing.json'), { pipeline })).rejects.toMatchObject({ code: 'INDEX_INVALID' });
      expect(() => parseFaqIndex('{')).toThrow(expect.objectContaining({ code: 'INDEX_INVALID' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.prop([fc.array(fc.record({ q: fc.string({ minLength: 1, maxLength: 12 }), s: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }) }), { maxLength: 6 })], { numRuns: 40 })(
    'serialise → parse is the identity on entries and results',
    (raw) => {
      const entries = raw.map((r, i) => ({ id: `e${i}`, question: r.q.trim() === '' ? `问${i}` : r.q, similar: r.s, answer: `答${i}` }));
      const index = build(entries);
      const copy = parseFaqIndex(serializeFaqIndex(index).json, { pipeline });
      expect(listFaqEntries(copy)).toEqual(listFaqEntries(index));
      for (const e of entries) expect(searchFaq(copy, e.question)).toEqual(searchFaq(index, e.question));
    },
  );
});
