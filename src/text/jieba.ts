import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { assertOptions, checkOption } from '../internal/assert.js';
import { dictionaryToText, parseDictionary, type DictionaryEntry } from './dictionary.js';
import type { NormalizedText } from './normalize.js';
import { createStemmer, makeToken, mergeOverlapping } from './token-builder.js';
import { splitRuns, type Token, type Tokenizer } from './tokenizer.js';

/** Options of {@link createJiebaTokenizer}. */
export interface JiebaTokenizerOptions {
  /** User words (the pack's `dictionary`), as entries or jieba lines `word [freq] [tag]`. */
  readonly dictionary?: readonly (string | DictionaryEntry)[];
  /** Let jieba's HMM find words missing from the dictionary. Default true. */
  readonly hmm?: boolean;
  /** Add Porter stems to English words. Default true. */
  readonly stem?: boolean;
}

/**
 * The default tokenizer for Chinese and mixed messages: Han runs are segmented by jieba (`@node-rs/jieba`, with the
 * user dictionary), Latin words get Porter stems, numbers, emoji and punctuation become their own tokens.
 *
 * @example
 * ```ts
 * const tok = createJiebaTokenizer({ dictionary: ['运费险'] });
 * tok.tokenize(createNormalizer().normalize('有运费险吗')).map((t) => t.text); // ['有', '运费险', '吗']
 * ```
 */
export function createJiebaTokenizer(options?: JiebaTokenizerOptions): Tokenizer {
  assertOptions(options, 'createJiebaTokenizer');
  const hmm = options?.hmm ?? true;
  const stem = options?.stem ?? true;
  checkOption(typeof hmm === 'boolean', 'createJiebaTokenizer', 'hmm', hmm, 'a boolean');
  checkOption(typeof stem === 'boolean', 'createJiebaTokenizer', 'stem', stem, 'a boolean');
  const stemmer = stem ? createStemmer() : null;
  const userWords = parseDictionary(options?.dictionary ?? []);
  const userText = dictionaryToText(userWords);
  const jieba = Jieba.withDict(loadDefaultDict());
  if (userText) jieba.loadDict(Buffer.from(userText, 'utf8'));
  const id = `jieba:${hmm ? 'hmm' : 'nohmm'}:${stem ? 'stem' : 'nostem'}:${userWords.length}`;
  return {
    id,
    tokenize(input: NormalizedText): Token[] {
      const out: Token[] = [];
      for (const run of splitRuns(input.text)) {
        if (run.kind !== 'han') {
          out.push(makeToken(input, run.start, run.end, run.kind, stemmer));
          continue;
        }
        const words = jieba.cut(input.text.slice(run.start, run.end), hmm);
        let pos = run.start;
        for (const w of words) {
          out.push(makeToken(input, pos, pos + w.length, 'han', stemmer));
          pos += w.length;
        }
        if (pos !== run.end) {
          // jieba returned pieces that do not tile the run; never lose text: emit the rest as one token.
          out.push(makeToken(input, pos, run.end, 'han', stemmer));
        }
      }
      return mergeOverlapping(out);
    },
  };
}

/** Reads the dictionary shipped inside @node-rs/jieba (`word freq tag` lines), only when asked (no import-time work). */
export function loadDefaultDict(): Buffer {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('@node-rs/jieba/dict.txt'));
}
