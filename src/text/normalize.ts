import * as OpenCC from 'opencc-js/t2cn';
import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import type { Span } from '../types.js';

/** Options of {@link createNormalizer}; every field has a default in {@link DEFAULT_NORMALIZE_OPTIONS}. */
export interface NormalizeOptions {
  /** Convert traditional Chinese to simplified (opencc `t` → `cn`). */
  readonly simplified?: boolean;
  /** Lower-case Latin (and other cased) letters. */
  readonly lowercase?: boolean;
  /** Keep emoji in the normalised text (`keep`) or remove them (`drop`). */
  readonly emoji?: 'keep' | 'drop';
  /** Fold runs of the same punctuation mark (`？？？`, `!!!`) into one. */
  readonly foldPunctuation?: boolean;
  /** Remove spaces between two Chinese characters (`我 要 退货` → `我要退货`). */
  readonly dropSpacesBetweenHan?: boolean;
}

/** The defaults merged into every {@link NormalizeOptions}. */
export const DEFAULT_NORMALIZE_OPTIONS: Required<NormalizeOptions> = {
  simplified: true,
  lowercase: true,
  emoji: 'keep',
  foldPunctuation: true,
  dropSpacesBetweenHan: true,
};

/**
 * Normalised text with an offset map back to the caller's original string. For every UTF-16 unit `i` of `text`,
 * `original.slice(starts[i], ends[i])` is the part of the original it came from.
 */
export interface NormalizedText {
  readonly original: string;
  readonly text: string;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/** A normaliser bound to its options and its traditional→simplified converter. */
export interface Normalizer {
  readonly options: Readonly<Required<NormalizeOptions>>;
  normalize(text: string): NormalizedText;
}

interface Piece {
  ch: string;
  readonly start: number;
  readonly end: number;
}

const MARK = /^\p{M}$/u;
const EMOJI_MODIFIER = /^[\u{1F3FB}-\u{1F3FF}]$/u;
const EMOJI = /^[\p{Extended_Pictographic}\p{Regional_Indicator}\u{1F3FB}-\u{1F3FF}]$/u;
const SPACE = /^[\s\p{Z}]$/u;
const CONTROL = /^[\p{Cc}\p{Cf}\p{Cs}]$/u;
const HAN = /^\p{Script=Han}$/u;
const FOLDABLE = /^[\p{P}~]$/u;
const ZWJ = 0x200d;

const isLoneSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;

/**
 * Creates a normaliser: NFKC (full-width → half-width), traditional → simplified, lower-case, whitespace and repeated
 * punctuation folding, control characters and broken surrogates removed, emoji kept or dropped. It is idempotent and
 * keeps an offset map to the original text.
 *
 * @example
 * ```ts
 * const n = createNormalizer().normalize('我要退貨！！！ ＯＫ');
 * n.text; // '我要退货! ok'
 * toOriginalSpan(n, 0, 4); // { start: 0, end: 4, text: '我要退貨' }
 * ```
 */
export function createNormalizer(options?: NormalizeOptions): Normalizer {
  assertOptions(options, 'createNormalizer');
  const o: Required<NormalizeOptions> = { ...DEFAULT_NORMALIZE_OPTIONS, ...(options ?? {}) };
  for (const key of ['simplified', 'lowercase', 'foldPunctuation', 'dropSpacesBetweenHan'] as const) {
    checkOption(typeof o[key] === 'boolean', 'createNormalizer', key, o[key], 'a boolean');
  }
  checkOption(o.emoji === 'keep' || o.emoji === 'drop', 'createNormalizer', 'emoji', o.emoji, '"keep" or "drop"');
  const convert = o.simplified ? withUnchangedRunShortcut(OpenCC.Converter({ from: 't', to: 'cn' })) : null;
  const frozen = Object.freeze(o);
  return {
    options: frozen,
    normalize(text: string): NormalizedText {
      assertText(text, 'normalize(text)');
      const pieces = foldPieces(toSimplified(splitPieces(text, frozen), convert), frozen);
      return assemble(text, pieces);
    },
  };
}

const CHANGES_CACHE_LIMIT = 20_000;

/**
 * Wraps the converter so a run none of whose characters converts on its own is returned as is: almost every message
 * is already simplified, and opencc's phrase matching is most of the normaliser's cost. Whether a character converts
 * is memoised (bounded) per normaliser.
 */
function withUnchangedRunShortcut(convert: (s: string) => string): (s: string) => string {
  const changes = new Map<string, boolean>();
  return (text) => {
    for (const ch of text) {
      let c = changes.get(ch);
      if (c === undefined) {
        c = convert(ch) !== ch;
        if (changes.size >= CHANGES_CACHE_LIMIT) changes.clear();
        changes.set(ch, c);
      }
      if (c) return convert(text);
    }
    return text;
  };
}

/** Stage 1: code-point clusters → NFKC, case-folded, cleaned pieces (one code point each, or one emoji cluster). */
function splitPieces(text: string, o: Required<NormalizeOptions>): Piece[] {
  const out: Piece[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const cp = text.codePointAt(i) as number;
    let j = i + (cp > 0xffff ? 2 : 1);
    const baseIsEmoji = !isLoneSurrogate(cp) && EMOJI.test(String.fromCodePoint(cp));
    // A cluster is a base code point with its combining marks (and, for emoji, ZWJ-joined emoji).
    while (j < n) {
      const next = text.codePointAt(j) as number;
      const len = next > 0xffff ? 2 : 1;
      const nextStr = isLoneSurrogate(next) ? '' : String.fromCodePoint(next);
      if (nextStr !== '' && (MARK.test(nextStr) || (baseIsEmoji && EMOJI_MODIFIER.test(nextStr)))) {
        j += len;
        continue;
      }
      if (baseIsEmoji && next === ZWJ && j + 1 < n) {
        const after = text.codePointAt(j + 1) as number;
        if (!isLoneSurrogate(after) && EMOJI.test(String.fromCodePoint(after))) {
          j += 1 + (after > 0xffff ? 2 : 1);
          continue;
        }
      }
      break;
    }
    const cluster = text.slice(i, j);
    const base = String.fromCodePoint(cp);
    if (isLoneSurrogate(cp) || MARK.test(base)) {
      // Broken surrogates and marks with no base carry no text: drop them (the original keeps them).
    } else if (SPACE.test(base)) {
      out.push({ ch: ' ', start: i, end: j });
    } else if (CONTROL.test(base)) {
      // Control and format characters (zero-width space, BOM, stray ZWJ…) are dropped.
    } else if (baseIsEmoji) {
      if (o.emoji === 'keep') out.push({ ch: cluster, start: i, end: j });
    } else {
      let norm = cluster.normalize('NFKC');
      // Lower-casing can leave a non-NFKC sequence (Greek ΐ); normalise again so a second pass changes nothing.
      if (o.lowercase) norm = norm.toLowerCase().normalize('NFKC');
      // NFKC can expand a character into a space followed by combining marks (Arabic presentation forms such as
      // U+FC5E). A mark with no base here would attach to a different base on the next pass, so drop it: that
      // keeps normalisation idempotent.
      let last: string | null = null;
      for (const c of norm) {
        if (MARK.test(c) && (last === null || last === ' ')) continue;
        if (SPACE.test(c)) {
          out.push({ ch: ' ', start: i, end: j });
          last = ' ';
        } else if (!CONTROL.test(c)) {
          out.push({ ch: c, start: i, end: j });
          last = c;
        }
      }
    }
    i = j;
  }
  return out;
}

/** Stage 2: traditional → simplified over runs of Han characters, keeping one piece per character. */
function toSimplified(pieces: Piece[], convert: ((s: string) => string) | null): Piece[] {
  if (!convert) return pieces;
  // A few opencc mappings chain (薴 → 苧 → 苎); converting to a fixed point keeps normalisation idempotent.
  const toFixedPoint = (text: string): string => {
    let out = convert(text);
    for (let k = 0; k < 3; k++) {
      const again = convert(out);
      if (again === out) break;
      out = again;
    }
    return out;
  };
  let k = 0;
  while (k < pieces.length) {
    if (!HAN.test((pieces[k] as Piece).ch)) {
      k++;
      continue;
    }
    let m = k;
    while (m < pieces.length && HAN.test((pieces[m] as Piece).ch)) m++;
    const run = pieces.slice(k, m);
    const converted = [...toFixedPoint(run.map((p) => p.ch).join(''))];
    if (converted.length === run.length) {
      run.forEach((p, idx) => (p.ch = converted[idx] as string));
    } else {
      // A phrase changed length: fall back to character-by-character so the offset map stays exact.
      for (const p of run) {
        const c = [...toFixedPoint(p.ch)];
        if (c.length === 1) p.ch = c[0] as string;
      }
    }
    k = m;
  }
  return pieces;
}

/** Stage 3: whitespace folding and trimming, repeated-punctuation folding. */
function foldPieces(pieces: Piece[], o: Required<NormalizeOptions>): Piece[] {
  const out: Piece[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k] as Piece;
    const prev = out[out.length - 1];
    if (p.ch === ' ') {
      if (prev === undefined || prev.ch === ' ') continue;
      out.push({ ...p });
      continue;
    }
    if (prev !== undefined && prev.ch === ' ' && o.dropSpacesBetweenHan && HAN.test(p.ch)) {
      const before = out[out.length - 2];
      if (before !== undefined && HAN.test(before.ch)) out.pop();
    }
    const last = out[out.length - 1];
    if (o.foldPunctuation && last !== undefined && last.ch === p.ch && FOLDABLE.test(p.ch)) {
      out[out.length - 1] = { ch: last.ch, start: last.start, end: Math.max(last.end, p.end) };
      continue;
    }
    out.push({ ...p });
  }
  if (out.length > 0 && (out[out.length - 1] as Piece).ch === ' ') out.pop();
  return out;
}

function assemble(original: string, pieces: Piece[]): NormalizedText {
  let length = 0;
  for (const p of pieces) length += p.ch.length;
  const starts = new Uint32Array(length);
  const ends = new Uint32Array(length);
  let pos = 0;
  for (const p of pieces) {
    for (let u = 0; u < p.ch.length; u++) {
      starts[pos] = p.start;
      ends[pos] = p.end;
      pos++;
    }
  }
  return { original, text: pieces.map((p) => p.ch).join(''), starts, ends };
}

/**
 * Maps a half-open span of the normalised text back to the caller's original string.
 *
 * @example
 * ```ts
 * const n = createNormalizer().normalize('ＡＢＣ訂單');
 * toOriginalSpan(n, 3, 5); // { start: 3, end: 5, text: '訂單' }
 * ```
 */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): Span {
  const len = n.text.length;
  const s = Math.max(0, Math.min(start, len));
  const e = Math.max(s, Math.min(end, len));
  if (e === s) {
    const at = s < len ? (n.starts[s] as number) : s > 0 ? (n.ends[s - 1] as number) : 0;
    return { start: at, end: at, text: '' };
  }
  const os = n.starts[s] as number;
  let oe = n.ends[e - 1] as number;
  // Pieces from one cluster share a range; a span ending inside a cluster still covers the whole cluster.
  if (oe < os) oe = os;
  return { start: os, end: oe, text: n.original.slice(os, oe) };
}
