import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { tokenizerFromJson, tokenizerFromVocab } from './tokenize.js';

// The genuine bge-small-zh-v1.5 tokenizer, read in place from ../shared (never copied into the repository).
const BGE = fileURLToPath(new URL('../../../../shared/models/bge-small-zh-v1.5/', import.meta.url));
const hasBge = existsSync(`${BGE}tokenizer.json`);
const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(`${BGE}${f}`, 'utf8')) as Record<string, unknown>;

describe.skipIf(!hasBge)('bge-small-zh-v1.5 tokenizer', () => {
  const tok = hasBge ? tokenizerFromJson(json('tokenizer.json'), json('tokenizer_config.json')) : undefined;
  const t = () => tok as NonNullable<typeof tok>;

  it('wraps text in [CLS] … [SEP] with the published ids', () => {
    expect(t().isBertStyle).toBe(true);
    expect(t().prefix).toEqual([101]);
    expect(t().suffix).toEqual([102]);
    expect(t().encode('我的快递到哪了', 512)).toEqual([101, 2769, 4638, 2571, 6853, 1168, 1525, 749, 102]);
    expect(t().encode('', 512)).toEqual([101, 102]);
  });

  it('truncates to maxTokens keeping the special tokens', () => {
    expect(t().encode('我的快递到哪了', 5)).toEqual([101, 2769, 4638, 2571, 102]);
    expect(t().encode('我的快递到哪了', 3)).toEqual([101, 2769, 102]);
  });

  it('cuts a 100 KB text to exactly the first tokens of the whole text', () => {
    const texts = [
      '我的快递到哪了 hello world 😭 '.repeat(4000),
      '客服'.repeat(50_000),
      'abcdefghij'.repeat(10_000),
      `${'x '.repeat(300)}${'退货'.repeat(20_000)}`,
      'word '.repeat(20_000),
    ];
    for (const text of texts) {
      const whole = t().encodeContent(text);
      for (const max of [16, 130, 512]) expect(t().encode(text, max)).toEqual([101, ...whole.slice(0, max - 2), 102]);
    }
  });

  const alphabet = fc.constantFrom('我', '的', '快', '递', 'a', 'b', 'ab', 'I', 'Phone', '1', '5', ' ', '  ', '\n', '\t', '\u3000', ',', '，', '😭', '\ud800', '\u200b', '\u00a0', '[SEP]', '𠀀');
  const textArb = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));

  test.prop([textArb, fc.integer({ min: 3, max: 40 })])('truncation equals cutting the full token list, for any text', (text, max) => {
    const long = text.repeat(40);
    expect(t().encode(long, max)).toEqual([101, ...t().encodeContent(long).slice(0, max - 2), 102]);
  });

  test.prop([textArb])('the cache key tokenises exactly like the text', (text) => {
    const key = t().cacheKey(text);
    expect(key.length).toBeLessThanOrEqual(text.length);
    expect(t().encodeContent(key)).toEqual(t().encodeContent(text));
  });

  it('folds whitespace around ideographs into one cache key', () => {
    expect(t().cacheKey('  我的 快递\n到哪了 ')).toBe('我的快递到哪了');
    expect(t().cacheKey('iphone   15  pro')).toBe('iphone 15 pro');
  });

  it('builds the same tokenizer from vocab.txt alone', () => {
    const fromVocab = tokenizerFromVocab(readFileSync(`${BGE}vocab.txt`, 'utf8'), json('tokenizer_config.json'));
    for (const text of ['我的快递到哪了', 'iPhone 15 Pro 退貨 😭', 'Where is my parcel? 谢谢！', '[SEP] a\u000bb', '']) {
      expect(fromVocab.encode(text, 512)).toEqual(t().encode(text, 512));
    }
  });
});

describe('tokenizerFromVocab', () => {
  it('refuses a vocabulary without the BERT special tokens', () => {
    expect(() => tokenizerFromVocab('a\nb\nc\n', {})).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('lower-cases by default, as BertTokenizer does, and honours do_lower_case', () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'Hello'].join('\n');
    expect(tokenizerFromVocab(vocab, {}).encode('Hello', 16)).toEqual([2, 5, 3]);
    expect(tokenizerFromVocab(vocab, { do_lower_case: false }).encode('Hello', 16)).toEqual([2, 6, 3]);
  });
});
