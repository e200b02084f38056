import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parse } from 'yaml';
import { createNormalizer } from './normalize.js';
import { createJiebaTokenizer } from './jieba.js';
import { createEnglishTokenizer } from './english.js';
import { createNgramTokenizer } from './ngram.js';
import { createPinyinTokenizer, createSyllableLookup, toPinyin } from './pinyin.js';
import { createSegmenterTokenizer } from './segmenter.js';
import { createTextPipeline } from './pipeline.js';

interface Golden {
  dictionary: string[];
  cases: { name: string; text: string; tokens: string[]; norms?: string[] }[];
}
const golden = parse(readFileSync(new URL('../../fixtures/tokenize/golden.yaml', import.meta.url), 'utf8')) as Golden;
const pipeline = createTextPipeline({ language: 'zh', dictionary: golden.dictionary });
const normalizer = createNormalizer();

describe('tokeniser golden cases', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const tokens = pipeline.analyze(c.text).tokens;
      expect(tokens.map((t) => t.text)).toEqual(c.tokens);
      if (c.norms) expect(tokens.map((t) => t.norm)).toEqual(c.norms);
      for (const t of tokens) expect(c.text.slice(t.start, t.end)).toBe(t.text);
    });
  }
});

describe('tokenisers', () => {
  it('adds Porter stems to English words', () => {
    const tokens = createEnglishTokenizer().tokenize(normalizer.normalize('Deliveries were delayed'));
    expect(tokens.map((t) => t.stem)).toEqual(['deliveri', 'were', 'delai']);
  });

  it('leaves a letter run longer than any word unstemmed (the stemmer is quadratic in length)', () => {
    const long = 'deliveries'.repeat(10_000);
    for (const tokenizer of [createEnglishTokenizer(), createJiebaTokenizer(), createSegmenterTokenizer()]) {
      const [token] = tokenizer.tokenize(normalizer.normalize(long));
      expect(token?.stem).toBe(long);
    }
    expect(createEnglishTokenizer().tokenize(normalizer.normalize('x'.repeat(40) + ' deliveries')).map((t) => t.stem)).toEqual(['x'.repeat(40), 'deliveri']);
  });

  it('English tokenizer splits Chinese into characters', () => {
    const tokens = createEnglishTokenizer().tokenize(normalizer.normalize('refund 退款'));
    expect(tokens.map((t) => t.text)).toEqual(['refund', '退', '款']);
  });

  it('character n-grams stay inside runs and skip punctuation', () => {
    const tokens = createNgramTokenizer({ min: 1, max: 2 }).tokenize(normalizer.normalize('退货，ok'));
    expect(tokens.map((t) => t.norm)).toEqual(['退', '货', '退货', 'o', 'k', 'ok']);
  });

  it('looks up the toneless syllable of one character, keeping characters without one', () => {
    const syllable = createSyllableLookup();
    expect(['物', '留', '流', 'a', '😀'].map(syllable)).toEqual(['wu', 'liu', 'liu', 'a', '😀']);
    expect(syllable('物')).toBe('wu');
  });

  it('pinyin keys make homophone typos match', () => {
    expect(toPinyin('物留').join('')).toBe(toPinyin('物流').join(''));
    const tok = createPinyinTokenizer(createJiebaTokenizer());
    expect(tok.tokenize(normalizer.normalize('物流')).map((t) => t.pinyin)).toEqual(['wuliu']);
    expect(toPinyin('牛奶', { fuzzy: true }).join('')).toBe(toPinyin('刘奶', { fuzzy: true }).join(''));
    expect(toPinyin('')).toEqual([]);
  });

  it('Intl.Segmenter fallback tokenises without jieba', () => {
    const tokens = createSegmenterTokenizer({ locale: 'zh' }).tokenize(normalizer.normalize('我要退货'));
    expect(tokens.map((t) => t.text).join('')).toBe('我要退货');
  });

  it('dictionaries are per instance, not global', () => {
    const plain = createJiebaTokenizer();
    const custom = createJiebaTokenizer({ dictionary: ['退货险 50000'] });
    const text = normalizer.normalize('退货险');
    expect(custom.tokenize(text).map((t) => t.text)).toEqual(['退货险']);
    expect(plain.tokenize(text).map((t) => t.text)).not.toEqual(['退货险']);
  });

  it('rejects bad options and bad dictionary words', () => {
    expect(() => createNgramTokenizer({ min: 3, max: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createJiebaTokenizer({ dictionary: [{ word: 'a b' }] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createTextPipeline({ language: 'fr' as 'zh' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => pipeline.analyze(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

const chat = fc
  .array(fc.oneof(fc.constantFrom(...'我要退货訂單號碼快递到哪了花呗运费险iphone 15 OK！？。😀👍🏻 \u0000\ud800'), fc.string({ maxLength: 3 })), { maxLength: 30 })
  .map((a) => a.join(''));

describe('tokeniser properties', () => {
  const tokenizers = [
    pipeline.tokenizer,
    createEnglishTokenizer(),
    createNgramTokenizer(),
    createSegmenterTokenizer(),
    createPinyinTokenizer(pipeline.tokenizer, { fuzzy: true }),
  ];
  test.prop([chat], { numRuns: 200 })('spans slice back to token text, in order, without overlap (non n-gram)', (s) => {
    const n = normalizer.normalize(s);
    tokenizers.forEach((tok, k) => {
      const tokens = tok.tokenize(n);
      let lastEnd = 0;
      for (const t of tokens) {
        expect(s.slice(t.start, t.end)).toBe(t.text);
        expect(t.end).toBeGreaterThan(t.start);
        if (k !== 2) {
          expect(t.start).toBeGreaterThanOrEqual(lastEnd);
          lastEnd = t.end;
        }
      }
    });
  });

  test.prop([chat], { numRuns: 200 })('jieba tokens cover every non-space character of the normalised text', (s) => {
    const n = normalizer.normalize(s);
    const joined = pipeline.tokenizer.tokenize(n).map((t) => t.norm).join('');
    expect(joined).toBe(n.text.replace(/ /g, ''));
  });
});
