import { assertOptions, checkOption } from '../internal/assert.js';
import type { NormalizedText } from './normalize.js';
import { createStemmer, makeToken, mergeOverlapping } from './token-builder.js';
import { splitRuns, type Token, type Tokenizer } from './tokenizer.js';

/** Options of {@link createEnglishTokenizer}. */
export interface EnglishTokenizerOptions {
  /** Add Porter stems (`deliveries` → `deliveri`). Default true. */
  readonly stem?: boolean;
}

/**
 * English tokenizer: words (with inner apostrophes and hyphens) with Porter stems, numbers, emoji and punctuation.
 * Chinese characters, if any, become one token per character.
 *
 * @example
 * ```ts
 * createEnglishTokenizer().tokenize(createNormalizer().normalize("Where's my parcel?")).map((t) => t.stem ?? t.norm);
 * // ["where'", 'my', 'parcel', '?']
 * ```
 */
export function createEnglishTokenizer(options?: EnglishTokenizerOptions): Tokenizer {
  assertOptions(options, 'createEnglishTokenizer');
  const stem = options?.stem ?? true;
  checkOption(typeof stem === 'boolean', 'createEnglishTokenizer', 'stem', stem, 'a boolean');
  const stemmer = stem ? createStemmer() : null;
  return {
    id: `english:${stem ? 'stem' : 'nostem'}`,
    tokenize(input: NormalizedText): Token[] {
      const out: Token[] = [];
      for (const run of splitRuns(input.text)) {
        if (run.kind === 'han') {
          for (let i = run.start; i < run.end; ) {
            const len = (input.text.codePointAt(i) as number) > 0xffff ? 2 : 1;
            out.push(makeToken(input, i, i + len, 'han', stemmer));
            i += len;
          }
        } else {
          out.push(makeToken(input, run.start, run.end, run.kind, stemmer));
        }
      }
      return mergeOverlapping(out);
    },
  };
}
