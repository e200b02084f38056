import { splitRuns, type NormalizedText, type TokenKind } from '../../text/index.js';

/**
 * One tagging unit of the slot tagger, in offsets of the NORMALISED text: a Chinese (or other non-Latin letter) code
 * point, a Latin word, a digit run, an emoji cluster or a punctuation mark. Chinese is tagged character by character
 * (entity boundaries fall anywhere inside jieba words), Latin and digits word by word (boundaries fall between words).
 */
export interface Atom {
  readonly start: number;
  readonly end: number;
  readonly kind: TokenKind;
  /** The normalised text of the unit. */
  readonly norm: string;
  /** Case shape of Latin words in the ORIGINAL text (`Aa`, `AA`, `aA`, `a`), else the kind. */
  readonly shape: string;
}

/**
 * Splits normalised text into tagging units. Han and other letter runs become one unit per code point; Latin words,
 * numbers, emoji clusters and punctuation marks stay whole. Spaces are not units.
 */
export function toAtoms(n: NormalizedText): Atom[] {
  const atoms: Atom[] = [];
  const text = n.text;
  for (const run of splitRuns(text)) {
    if (run.kind === 'han' || run.kind === 'other') {
      let i = run.start;
      while (i < run.end) {
        const cp = text.codePointAt(i) as number;
        const len = cp > 0xffff ? 2 : 1;
        atoms.push({ start: i, end: i + len, kind: run.kind, norm: text.slice(i, i + len), shape: run.kind });
        i += len;
      }
      continue;
    }
    const norm = text.slice(run.start, run.end);
    atoms.push({ start: run.start, end: run.end, kind: run.kind, norm, shape: run.kind === 'latin' ? caseShape(n, run.start, run.end) : run.kind });
  }
  return atoms;
}

/** Case shape of a Latin word as the customer typed it (normalisation lower-cases it). */
function caseShape(n: NormalizedText, start: number, end: number): string {
  const os = n.starts[start] as number;
  const oe = Math.max(os, n.ends[end - 1] as number);
  const original = n.original.slice(os, oe);
  let upper = 0;
  let lower = 0;
  for (const c of original) {
    if (c !== c.toLowerCase()) upper++;
    else if (c !== c.toUpperCase()) lower++;
  }
  if (upper === 0) return 'a';
  if (lower === 0) return 'AA';
  const first = original[0] ?? '';
  return first !== first.toLowerCase() && upper === 1 ? 'Aa' : 'aA';
}
