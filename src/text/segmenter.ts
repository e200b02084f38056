import { assertOptions, checkOption } from '../internal/assert.js';
import type { NormalizedText } from './normalize.js';
import { createStemmer, makeToken, mergeOverlapping } from './token-builder.js';
import { splitRuns, type Token, type Tokenizer } from './tokenizer.js';

/** Options of {@link createSegmenterTokenizer}. */
export interface SegmenterTokenizerOptions {
  /** BCP 47 locale for `Intl.Segmenter`. Default `zh`. */
  readonly locale?: string;
  /** Add Porter stems to English words. Default true. */
  readonly stem?: boolean;
}

/**
 * A dependency-free tokenizer that segments Han runs with `Intl.Segmenter` (ICU's dictionary). Use it where the
 * native jieba module cannot load; results depend on `process.versions.icu`.
 *
 * @example
 * ```ts
 * createSegmenterTokenizer({ locale: 'zh' }).tokenize(createNormalizer().normalize('我要退货')).map((t) => t.text);
 * ```
 */
export function createSegmenterTokenizer(options?: SegmenterTokenizerOptions): Tokenizer {
  assertOptions(options, 'createSegmenterTokenizer');
  const locale = options?.locale ?? 'zh';
  const stem = options?.stem ?? true;
  checkOption(typeof locale === 'string' && locale !== '', 'createSegmenterTokenizer', 'locale', locale, 'a locale string');
  checkOption(typeof stem === 'boolean', 'createSegmenterTokenizer', 'stem', stem, 'a boolean');
  const stemmer = stem ? createStemmer() : null;
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  return {
    id: `segmenter:${locale}:${process.versions.icu ?? 'noicu'}`,
    tokenize(input: NormalizedText): Token[] {
      const out: Token[] = [];
      for (const run of splitRuns(input.text)) {
        if (run.kind !== 'han') {
          out.push(makeToken(input, run.start, run.end, run.kind, stemmer));
          continue;
        }
        for (const seg of segmenter.segment(input.text.slice(run.start, run.end))) {
          const s = run.start + seg.index;
          out.push(makeToken(input, s, s + seg.segment.length, 'han', stemmer));
        }
      }
      return mergeOverlapping(out);
    },
  };
}
