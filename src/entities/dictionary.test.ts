import { describe, expect, it } from 'vitest';
import { createTextPipeline, createNormalizer } from '../text/index.js';
import { createDictionaryMatcher, type DictionaryEntityDef } from './dictionary.js';
import { createRegexMatcher } from './regex.js';

const DEFS: DictionaryEntityDef[] = [
  {
    type: 'dictionary',
    name: 'courier',
    fuzzy: 0.85,
    values: [
      { value: 'SF', synonyms: ['顺丰', '顺丰快递'] },
      { value: 'YTO', synonyms: ['圆通'] },
      { value: 'EMS', synonyms: ['ems', '邮政'] },
    ],
  },
  { type: 'dictionary', name: 'color', values: [{ value: '红色', synonyms: ['红', '大红'] }, { value: '白色', synonyms: ['白'] }] },
  { type: 'dictionary', name: 'reason', fuzzy: 0.8, values: [{ value: 'size_unfit', synonyms: ['尺码不合适'] }] },
  { type: 'dictionary', name: 'brand', fuzzy: 0.8, values: [{ value: 'Samsung', synonyms: ['samsung'] }] },
  { type: 'lookup', name: 'size', values: ['XL', '42码'] },
];

// As createEntityExtractor does by default: the Chinese surfaces are jieba user words.
const pipeline = createTextPipeline({ language: 'zh', dictionary: ['顺丰', '顺丰快递', '圆通', '邮政', '红色', '大红', '尺码不合适'] });
const matcher = createDictionaryMatcher(DEFS, { normalizer: pipeline.normalizer });
const run = (text: string, m = matcher) => {
  const { normalized, tokens } = pipeline.analyze(text);
  return m.match(normalized, tokens).map((e) => ({ entity: e.entity, value: e.value, text: e.text, start: e.start, end: e.end, confidence: e.confidence }));
};

describe('createDictionaryMatcher', () => {
  it('resolves synonyms to canonical values, longest first, with spans into the original', () => {
    expect(run('用顺丰快递寄')).toEqual([{ entity: 'courier', value: 'SF', text: '顺丰快递', start: 1, end: 5, confidence: 1 }]);
    expect(run('圆通还是邮政')).toEqual([
      { entity: 'courier', value: 'YTO', text: '圆通', start: 0, end: 2, confidence: 1 },
      { entity: 'courier', value: 'EMS', text: '邮政', start: 4, end: 6, confidence: 1 },
    ]);
  });

  it('matches traditional and full-width forms through normalisation', () => {
    expect(run('順豐到了嗎')).toMatchObject([{ value: 'SF', text: '順豐', start: 0, end: 2 }]);
    expect(run('要ＸＬ的')).toMatchObject([{ entity: 'size', value: 'XL', text: 'ＸＬ' }]);
  });

  it('never matches inside unrelated words', () => {
    expect(run('红包怎么领')).toEqual([]);
    expect(run('我的手机号', createDictionaryMatcher([{ type: 'lookup', name: 'product', values: ['手机'] }], { normalizer: pipeline.normalizer }))).toEqual([]);
    expect(run('我明白了')).toEqual([]);
    expect(run('these items are fine')).toEqual([]);
    expect(run('要142码的')).toEqual([]);
    expect(run('要42码的')).toMatchObject([{ entity: 'size', value: '42码' }]);
    expect(run('要红的')).toMatchObject([{ entity: 'color', value: '红色', text: '红' }]);
  });

  it('tolerates homophone typos through pinyin, at each entity’s strictness', () => {
    expect(run('是顺峰吗')).toMatchObject([{ entity: 'courier', value: 'SF', text: '顺峰' }]);
    const [fuzzy] = run('是顺峰吗');
    expect(fuzzy?.confidence).toBeLessThan(1);
    expect(fuzzy?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(run('衣服尺码不和适')).toMatchObject([{ entity: 'reason', value: 'size_unfit', text: '尺码不和适' }]);
    // 'color' declares no fuzzy threshold: exact only.
    expect(run('要虹色的')).toEqual([]);
  });

  it('tolerates Latin typos by edit distance', () => {
    expect(run('samsng的手机')).toMatchObject([{ entity: 'brand', value: 'Samsung', text: 'samsng' }]);
    // Two edits in seven letters is below the 0.8 threshold.
    expect(run('smasnug的手机')).toEqual([]);
  });

  it('fuzzy: false matches exactly; a number overrides every threshold', () => {
    const exactOnly = createDictionaryMatcher(DEFS, { normalizer: pipeline.normalizer, fuzzy: false });
    expect(run('是顺峰吗', exactOnly)).toEqual([]);
    const loose = createDictionaryMatcher(DEFS, { normalizer: pipeline.normalizer, fuzzy: 0.5 });
    expect(run('要虹色的', loose)).toMatchObject([{ entity: 'color', value: '红色' }]);
    expect(() => createDictionaryMatcher(DEFS, { normalizer: pipeline.normalizer, fuzzy: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('returns nothing for empty text or an empty dictionary', () => {
    expect(run('')).toEqual([]);
    expect(run('顺丰', createDictionaryMatcher([], { normalizer: pipeline.normalizer }))).toEqual([]);
  });
});

describe('createRegexMatcher', () => {
  const normalizer = createNormalizer();
  const m = createRegexMatcher([
    { type: 'regex', name: 'order_id', pattern: '(?<![0-9])[0-9](?: ?[0-9]){11,19}(?![0-9])', flags: '' },
    { type: 'regex', name: 'sku', pattern: 'SKU-?(?<value>[0-9]{6})', flags: '' },
  ]);

  it('matches on normalised text, maps spans back, removes spaces from values', () => {
    const text = '订单２０２６ １１２１ ００９３ ４４７１ 你好';
    const [e] = m.match(normalizer.normalize(text));
    expect(e).toMatchObject({ entity: 'order_id', value: '2026112100934471', source: 'regex', confidence: 1 });
    expect(text.slice(e?.start, e?.end)).toBe(e?.text);
  });

  it('uses the named group "value" and matches upper-case patterns case-insensitively', () => {
    expect(m.match(normalizer.normalize('sku123456 有货吗'))).toMatchObject([{ entity: 'sku', value: '123456', text: 'sku123456', start: 0, end: 9 }]);
  });

  it('throws PACK_INVALID for a pattern that does not compile', () => {
    expect(() => createRegexMatcher([{ type: 'regex', name: 'bad', pattern: '(', flags: '' }])).toThrow(expect.objectContaining({ code: 'PACK_INVALID' }));
  });
});
