// The `lexicon` feature family of the slot tagger: what jieba's own dictionary (about 350k words, each with a
// part-of-speech tag such as nr person, ns place, nt organisation, nz other proper noun) says about each unit, beyond
// the one segmentation jieba chose. Read from the installed @node-rs/jieba package on first use, never at import.
import { loadDefaultDict } from '../../text/jieba.js';
import type { Atom } from './atoms.js';
import { combine, hashString } from './hash.js';

/** Longest dictionary word matched, in units. */
export const LEXICON_MAX_UNITS = 6;
/** Per character, this many of its most frequent (position, tag) pairs become features. */
const CHAR_CLASSES = 3;

/** The dictionary as used by the tagger. */
export interface TaggerLexicon {
  /** Word (lower-cased, 2–6 characters) → hash of its tag. */
  readonly words: ReadonlyMap<string, number>;
  /** Character → codes of its most frequent (position in word, tag) pairs, each with its rank and share. */
  readonly chars: ReadonlyMap<string, readonly number[]>;
}

let cached: TaggerLexicon | null = null;

/** Loads the lexicon once per process (a few hundred milliseconds); only models trained with `features.lexicon` ask for it. */
export function taggerLexicon(): TaggerLexicon {
  if (cached !== null) return cached;
  const text = loadDefaultDict().toString('utf8').toLowerCase();
  const words = new Map<string, number>();
  const tagIndex = new Map<string, number>();
  const tags: string[] = [];
  // Per character, counts of (tag, position) pairs, 4 positions (B, I, E, S) per tag; grown as new tags appear.
  const counts = new Map<string, number[]>();
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const a = text.indexOf(' ', at);
    const b = a < 0 || a >= end ? -1 : text.indexOf(' ', a + 1);
    if (b >= 0 && b < end) {
      const word = text.slice(at, a);
      const tag = text.slice(b + 1, end).trim();
      const chars = Array.from(word);
      if (chars.length <= LEXICON_MAX_UNITS && tag !== '') {
        let t = tagIndex.get(tag);
        if (t === undefined) {
          t = tags.length;
          tagIndex.set(tag, t);
          tags.push(tag);
        }
        if (chars.length >= 2) words.set(word, t);
        const last = chars.length - 1;
        for (let k = 0; k <= last; k++) {
          const slot = 4 * t + (last === 0 ? 3 : k === 0 ? 0 : k === last ? 2 : 1);
          const c = chars[k] as string;
          let m = counts.get(c);
          if (m === undefined) counts.set(c, (m = []));
          m[slot] = (m[slot] ?? 0) + 1;
        }
      }
    }
    at = end + 1;
  }
  const tagHash = tags.map((tag) => hashString(`\u0003${tag}`));
  for (const [w, t] of words) words.set(w, tagHash[t] as number);
  const chars = new Map<string, number[]>();
  for (const [c, m] of counts) {
    let total = 0;
    const slots: number[] = [];
    m.forEach((v, slot) => {
      total += v;
      slots.push(slot);
    });
    slots.sort((x, y) => (m[y] as number) - (m[x] as number) || x - y);
    chars.set(
      c,
      slots.slice(0, CHAR_CLASSES).map((slot, rank) => {
        const key = `${'BIES'[slot % 4] as string}${tags[slot >> 2] as string}`;
        return combine(combine(hashString(`\u0004${key}`), rank), Math.min(4, Math.floor((8 * (m[slot] as number)) / total)));
      }),
    );
  }
  cached = { words, chars };
  return cached;
}

const POS_B = 1;
const POS_I = 2;
const POS_E = 3;
const LENGTH = 0x51ed27;

/**
 * Per unit, the distinct codes of what the lexicon says about it: every dictionary word covering it (the word's tag and
 * its length, each with the unit's B/I/E position in it) and the character's own classes. Han units only.
 */
export function lexiconCodes(atoms: readonly Atom[], lex: TaggerLexicon): (number[] | undefined)[] {
  const n = atoms.length;
  const out: (number[] | undefined)[] = new Array<number[] | undefined>(n);
  for (let i = 0; i < n; i++) {
    const atom = atoms[i] as Atom;
    if (atom.kind !== 'han') continue;
    const own = lex.chars.get(atom.norm);
    if (own !== undefined) (out[i] ??= []).push(...own);
    let word = atom.norm;
    for (let j = i + 1; j < n && j - i < LEXICON_MAX_UNITS; j++) {
      const a = atoms[j] as Atom;
      if (a.kind !== 'han') break;
      word += a.norm;
      const tag = lex.words.get(word);
      if (tag === undefined) continue;
      const len = j - i + 1;
      for (let k = i; k <= j; k++) {
        const p = k === i ? POS_B : k === j ? POS_E : POS_I;
        const codes = (out[k] ??= []);
        addOnce(codes, combine(tag, p));
        addOnce(codes, combine(combine(LENGTH, p), len));
      }
    }
  }
  return out;
}

/** Appends `code` unless present (a unit is covered by a handful of words, so a scan beats a set). */
function addOnce(codes: number[], code: number): void {
  if (!codes.includes(code)) codes.push(code);
}
