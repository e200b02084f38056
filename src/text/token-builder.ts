import { toOriginalSpan, type NormalizedText } from './normalize.js';
import type { Token, TokenKind } from './tokenizer.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

/** Builds a token from a span of the normalised text, mapping it back to the original. */
export function makeToken(input: NormalizedText, start: number, end: number, kind: TokenKind, stem: boolean): Token {
  const span = toOriginalSpan(input, start, end);
  const norm = input.text.slice(start, end);
  if (kind === 'latin' && stem) {
    return { text: span.text, norm, start: span.start, end: span.end, kind, stem: PorterStemmer.stem(norm) };
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
