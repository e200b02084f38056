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
