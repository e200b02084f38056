import { pinyin } from 'pinyin-pro';
import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import type { NormalizedText } from './normalize.js';
import type { Token, Tokenizer } from './tokenizer.js';

/** Options of {@link toPinyin} and {@link createPinyinTokenizer}. */
export interface PinyinOptions {
  /**
   * Fold sounds that Chinese speakers commonly confuse in typing (z/zh, c/ch, s/sh, l/n, in/ing, en/eng, an/ang),
   * so `牛奶` and `刘奶` share a key. Default false.
   */
  readonly fuzzy?: boolean;
}

const FUZZY: readonly (readonly [RegExp, string])[] = [
  [/^zh/, 'z'],
  [/^ch/, 'c'],
  [/^sh/, 's'],
  [/^l/, 'n'],
  [/ing$/, 'in'],
  [/eng$/, 'en'],
  [/ang$/, 'an'],
];

const HAN = /\p{Script=Han}/u;

/**
 * Toneless pinyin of each code point of `text` (non-Chinese characters are returned as they are, lower-cased).
 *
 * @example
 * ```ts
 * toPinyin('物留'); // ['wu', 'liu']  (the same keys as 物流)
 * ```
 */
export function toPinyin(text: string, options?: PinyinOptions): string[] {
  assertText(text, 'toPinyin(text)');
  assertOptions(options, 'toPinyin');
  const fuzzy = options?.fuzzy ?? false;
  checkOption(typeof fuzzy === 'boolean', 'toPinyin', 'fuzzy', fuzzy, 'a boolean');
  const chars = [...text];
  if (chars.length === 0) return [];
  const syllables = HAN.test(text) ? pinyin(text, { toneType: 'none', type: 'array', v: true }) : chars;
  // pinyin-pro returns one item per code point; guard anyway so a library change cannot misalign keys.
  const base = syllables.length === chars.length ? syllables : chars;
  return base.map((s, i) => {
    const c = chars[i] as string;
    if (!HAN.test(c)) return c.toLowerCase();
    return fuzzy ? foldSyllable(s) : s;
  });
}

function foldSyllable(s: string): string {
  let out = s;
  for (const [re, to] of FUZZY) out = out.replace(re, to);
  return out;
}

/**
 * Wraps a tokenizer and adds the toneless pinyin of each Chinese token (`pinyin`, syllables joined without spaces),
 * for homophone and typo tolerance: `物留` and `物流` both get `wuliu`.
 *
 * @example
 * ```ts
 * const tok = createPinyinTokenizer(createJiebaTokenizer());
 * tok.tokenize(createNormalizer().normalize('物留')).map((t) => t.pinyin); // ['wuliu']
 * ```
 */
export function createPinyinTokenizer(base: Tokenizer, options?: PinyinOptions): Tokenizer {
  assertOptions(options, 'createPinyinTokenizer');
  const fuzzy = options?.fuzzy ?? false;
  checkOption(typeof fuzzy === 'boolean', 'createPinyinTokenizer', 'fuzzy', fuzzy, 'a boolean');
  checkOption(
    typeof base === 'object' && base !== null && typeof base.tokenize === 'function',
    'createPinyinTokenizer',
    'base',
    base,
    'a Tokenizer',
  );
  return {
    id: `pinyin${fuzzy ? '-fuzzy' : ''}(${base.id})`,
    tokenize(input: NormalizedText): Token[] {
      return base
        .tokenize(input)
        .map((t) => (t.kind === 'han' ? { ...t, pinyin: toPinyin(t.norm, { fuzzy }).join('') } : t));
    },
  };
}

const SYLLABLE_CACHE_LIMIT = 20_000;

/**
 * A function from one character to its toneless pinyin syllable (the character itself when it has none), with a
 * bounded memo of its own: featurisers call it for every Han character of every message.
 *
 * @example
 * ```ts
 * const syllable = createSyllableLookup();
 * syllable('物'); // 'wu'
 * ```
 */
export function createSyllableLookup(): (ch: string) => string {
  const cache = new Map<string, string>();
  return (ch) => {
    let s = cache.get(ch);
    if (s === undefined) {
      s = toPinyin(ch)[0] ?? ch;
      if (cache.size >= SYLLABLE_CACHE_LIMIT) cache.clear();
      cache.set(ch, s);
    }
    return s;
  };
}
