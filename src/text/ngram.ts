import { assertOptions, checkOption } from '../internal/assert.js';
import type { NormalizedText } from './normalize.js';
import { makeToken } from './token-builder.js';
import { splitRuns, type Run, type Token, type Tokenizer } from './tokenizer.js';

/** Options of {@link createNgramTokenizer}. */
export interface NgramTokenizerOptions {
  /** Smallest n. Default 1. */
  readonly min?: number;
  /** Largest n. Default 3. */
  readonly max?: number;
}

/**
 * Character n-grams over the normalised text, never across a space or a punctuation mark. For Chinese they need no
 * segmentation and stay robust to typos; Latin words and numbers contribute n-grams too.
 *
 * @example
 * ```ts
 * createNgramTokenizer({ min: 2, max: 2 }).tokenize(createNormalizer().normalize('退货')).map((t) => t.norm); // ['退货']
 * ```
 */
export function createNgramTokenizer(options?: NgramTokenizerOptions): Tokenizer {
  assertOptions(options, 'createNgramTokenizer');
  const min = options?.min ?? 1;
  const max = options?.max ?? 3;
  const okInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 8;
  checkOption(okInt(min), 'createNgramTokenizer', 'min', min, 'an integer from 1 to 8');
  checkOption(okInt(max) && max >= min, 'createNgramTokenizer', 'max', max, `an integer from ${min} to 8`);
  return {
    id: `ngram:${min}-${max}`,
    tokenize(input: NormalizedText): Token[] {
      const out: Token[] = [];
      // Adjacent non-punctuation runs (e.g. "iphone15") form one stretch for n-grams.
      const stretches: Run[] = [];
      for (const run of splitRuns(input.text)) {
        const last = stretches[stretches.length - 1];
        if (run.kind === 'punct') continue;
        if (last && last.end === run.start) stretches[stretches.length - 1] = { kind: 'other', start: last.start, end: run.end };
        else stretches.push(run);
      }
      for (const s of stretches) {
        const cps: number[] = [];
        for (let i = s.start; i < s.end; ) {
          cps.push(i);
          i += (input.text.codePointAt(i) as number) > 0xffff ? 2 : 1;
        }
        cps.push(s.end);
        for (let n = min; n <= max; n++) {
          for (let k = 0; k + n < cps.length; k++) {
            const a = cps[k] as number;
            const b = cps[k + n] as number;
            const kind = /\p{Script=Han}/u.test(input.text.slice(a, b)) ? 'han' : 'other';
            out.push(makeToken(input, a, b, kind, null));
          }
        }
      }
      return out;
    },
  };
}
