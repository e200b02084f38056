import { toOriginalSpan, type NormalizedText } from './normalize.js';
import type { Token, TokenKind } from './tokenizer.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

/** A word → stem function. */
export type Stemmer = (word: string) => string;

const STEM_CACHE_LIMIT = 50_000;
/**
 * Longer "words" are left unstemmed: no English word is this long, and the Porter stemmer's regular expressions take
 * time quadratic in the length (a 100 KB run of letters would take tens of seconds).
 */
const MAX_STEM_LENGTH = 40;

/**
 * A Porter stemmer with a bounded memo per tokenizer instance: customer-service vocabularies are small and words
 * repeat, so after warm-up nearly every stem is a map lookup.
 */
export function createStemmer(): Stemmer {
  const cache = new Map<string, string>();
  return (word) => {
    if (word.length > MAX_STEM_LENGTH) return word;
    let s = cache.get(word);
    if (s === undefined) {
      s = PorterStemmer.stem(word);
      if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
      cache.set(word, s);
    }
    return s;
  };
}

/** Builds a token from a span of the normalised text, mapping it back to the original; Latin words get `stemmer`'s stem. */
export function makeToken(input: NormalizedText, start: number, end: number, kind: TokenKind, stemmer: Stemmer | null): Token {
  const span = toOriginalSpan(input, start, end);
  const norm = input.text.slice(start, end);
  if (kind === 'latin' && stemmer !== null) {
    return { text: span.text, norm, start: span.start, end: span.end, kind, stem: stemmer(norm) };
  }
  return { text: span.text, norm, start: span.start, end: span.end, kind };
}

/**
 * Merges tokens whose original spans overlap. Normalisation can expand one original character into several
 * (`㈱` → `(株)`); tokens cut from that expansion would share the character, so they become one token.
 */
export function mergeOverlapping(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev && t.start < prev.end) {
      const end = Math.max(prev.end, t.end);
      out[out.length - 1] = { text: prev.text + t.text.slice(Math.max(0, prev.end - t.start)), norm: prev.norm + t.norm, start: prev.start, end, kind: prev.kind };
    } else {
      out.push(t);
    }
  }
  return out;
}
