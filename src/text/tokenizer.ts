import type { NormalizedText } from './normalize.js';

/** What a token is made of; features and entity extractors pick the kinds they want. */
export type TokenKind = 'han' | 'latin' | 'number' | 'emoji' | 'punct' | 'other';

/**
 * One token. `start`/`end` are half-open UTF-16 offsets into the caller's ORIGINAL text and `text` is that slice;
 * `norm` is the normalised form the models see (`stem` for English words, `pinyin` where a tokenizer adds it).
 */
export interface Token {
  readonly text: string;
  readonly norm: string;
  readonly start: number;
  readonly end: number;
  readonly kind: TokenKind;
  readonly stem?: string;
  readonly pinyin?: string;
}

/** Every tokenizer has this shape; it tokenises already-normalised text so normalisation runs once per message. */
export interface Tokenizer {
  /** Identifies the tokenizer and its settings; recorded in trained artifacts. */
  readonly id: string;
  tokenize(input: NormalizedText): Token[];
}

/** A run of same-class characters of the normalised text, in normalised offsets. */
export interface Run {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[\p{Script=Latin}]/u;
const DIGIT = /[0-9]/;
const EMOJI_CLUSTER = /^(?:\p{Regional_Indicator}{2}|\p{Extended_Pictographic}(?:\uFE0F|\u20E3|[\u{1F3FB}-\u{1F3FF}]|\u200D\p{Extended_Pictographic})*)/u;
const LETTER = /\p{L}|\p{M}/u;

/**
 * Splits normalised text into runs: Han, Latin words (with inner apostrophes and hyphens), numbers (with inner
 * `.`/`,`), emoji clusters, single punctuation marks and other letters. Spaces separate runs and are not returned.
 */
export function splitRuns(text: string): Run[] {
  const runs: Run[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    const cp = text.codePointAt(i) as number;
    const cpStr = String.fromCodePoint(cp);
    if (ch === ' ') {
      i++;
      continue;
    }
    if (HAN.test(cpStr)) {
      let j = i + cpStr.length;
      while (j < n) {
        const c = String.fromCodePoint(text.codePointAt(j) as number);
        if (!HAN.test(c)) break;
        j += c.length;
      }
      runs.push({ kind: 'han', start: i, end: j });
      i = j;
      continue;
    }
    if (DIGIT.test(ch)) {
      let j = i + 1;
      while (j < n) {
        const c = text[j] as string;
        if (DIGIT.test(c)) j++;
        else if ((c === '.' || c === ',') && DIGIT.test(text[j + 1] ?? '')) j += 2;
        else break;
      }
      runs.push({ kind: 'number', start: i, end: j });
      i = j;
      continue;
    }
    if (LATIN.test(cpStr)) {
      let j = i + cpStr.length;
      while (j < n) {
        const c = String.fromCodePoint(text.codePointAt(j) as number);
        if (LATIN.test(c) || /\p{M}/u.test(c)) j += c.length;
        else if ((c === "'" || c === '-') && LATIN.test(text[j + 1] ?? '')) j += 1;
        else break;
      }
      runs.push({ kind: 'latin', start: i, end: j });
      i = j;
      continue;
    }
    const emoji = EMOJI_CLUSTER.exec(text.slice(i, i + 32));
    if (emoji) {
      runs.push({ kind: 'emoji', start: i, end: i + emoji[0].length });
      i += emoji[0].length;
      continue;
    }
    if (LETTER.test(cpStr)) {
      let j = i + cpStr.length;
      while (j < n) {
        const c = String.fromCodePoint(text.codePointAt(j) as number);
        if (!LETTER.test(c) || HAN.test(c) || LATIN.test(c)) break;
        j += c.length;
      }
      runs.push({ kind: 'other', start: i, end: j });
      i = j;
      continue;
    }
    runs.push({ kind: 'punct', start: i, end: i + cpStr.length });
    i += cpStr.length;
  }
  return runs;
}
