import { describe, expect, it } from 'vitest';
import { createTextPipeline } from '../text/index.js';
import { buildVocabulary, createIntentFeaturizer, toSparseVector } from './features.js';

const pipeline = createTextPipeline({ language: 'zh', dictionary: ['运费险'] });

describe('createIntentFeaturizer', () => {
  it('emits character n-grams with boundary markers, words, stems, pinyin bigrams and synonym groups', () => {
    const f = createIntentFeaturizer({ pipeline, features: { synonyms: [['快递', '物流', '包裹']] } });
    const c = f.count('物流到哪了 packages');
    expect(c.get('c:物')).toBe(1);
    expect(c.get('c:<物')).toBe(1);
    expect(c.get('c:了>')).toBe(1);
    expect(c.get('c:物流到')).toBe(1);
    expect(c.get('w:物流')).toBe(1);
    expect(c.get('s:packag')).toBe(1);
    expect(c.get('p:wu liu')).toBe(1);
    expect(c.get('y:快递')).toBe(1);
    expect([...c.keys()].some((k) => k === 'c:<' || k === 'c:>')).toBe(false);
  });

  it('emits word bigrams only when asked, broken at punctuation, over stems and number shapes (digit counts)', () => {
    expect([...createIntentFeaturizer({ pipeline }).count('我要 退货').keys()].some((k) => k.startsWith('b:'))).toBe(false);
    const en = createIntentFeaturizer({ pipeline: createTextPipeline({ language: 'en' }), features: { wordBigrams: true } });
    const c = en.count('Adding songs, to playlist 12');
    expect(c.get('b:ad song')).toBe(1);
    expect(c.get('b:song to')).toBeUndefined();
    expect(c.get('b:to playlist')).toBe(1);
    expect(c.get('b:playlist 2')).toBe(1);
  });

  it('gives homophone typos the same pinyin feature', () => {
    const f = createIntentFeaturizer({ pipeline });
    expect(f.count('物留信息').get('p:wu liu')).toBe(1);
    expect(f.count('物流信息').get('p:wu liu')).toBe(1);
  });

  it('maps numbers to length shapes and is deterministic', () => {
    const f = createIntentFeaturizer({ pipeline });
    const a = f.count('订单202611210001234567怎么还没到');
    expect(a.get('n:12')).toBe(1);
    expect([...f.count('订单202611210001234567怎么还没到')]).toEqual([...a]);
  });

  it('returns no features for empty or whitespace-only text', () => {
    const f = createIntentFeaturizer({ pipeline });
    expect(f.count('').size).toBe(0);
    expect(f.count('   \n ').size).toBe(0);
  });

  it('rejects bad options with INVALID_OPTION', () => {
    expect(() => createIntentFeaturizer({ pipeline, features: { charNgrams: [3, 1] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() =>
      createIntentFeaturizer({ pipeline, features: { charNgrams: false, words: false, stems: false, pinyin: false } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('toSparseVector', () => {
  it('is sorted, L2-normalised over all features, and ignores unknown ones', () => {
    const counts = [new Map([['a', 1], ['b', 2]]), new Map([['b', 1], ['c', 1]])];
    const { vocab, df } = buildVocabulary(counts, 2);
    expect(vocab).toEqual(['b']);
    expect(df).toEqual([2]);
    const index = new Map(vocab.map((f, i) => [f, i]));
    const v = toSparseVector(new Map([['b', 1], ['zzz', 1]]), index, [1], 1);
    expect([...v.index]).toEqual([0]);
    // 'zzz' is unknown: it is dropped but still counts in the norm, so the known part is shorter than 1.
    expect(v.value[0]).toBeCloseTo(1 / Math.SQRT2, 6);
    const sorted = toSparseVector(new Map([['c', 3], ['a', 1]]), new Map([['a', 0], ['c', 1]]), [1, 1], 1);
    expect([...sorted.index]).toEqual([0, 1]);
    const norm = Math.hypot(...sorted.value);
    expect(norm).toBeCloseTo(1, 10);
  });
});
