import type { NormalizedText, TextPipeline, Token } from '../../text/index.js';
import { toAtoms, type Atom } from './atoms.js';
import { combine, finish, hashString } from './hash.js';
import { matchSurfaces, type SurfaceIndex } from './surfaces.js';

/** Feature families of the slot tagger, stored in the model so decoding featurises exactly like training. */
export interface TaggerFeatureConfig {
  /** Unit n-grams look this many units to each side (1–3). */
  readonly window: number;
  /** Tokenizer words (jieba for Chinese): the word around each unit, its position in it, and the neighbouring words. */
  readonly words: boolean;
  /** Prefixes and suffixes (up to 3 characters) of Latin words. */
  readonly affixes: boolean;
  /** The message's first unit, paired with each unit's text (a cheap stand-in for the intent: `play …`, `rate …`). */
  readonly sentence: boolean;
}

/** A featurised message: its units and, per unit `i`, feature hashes (as signed 32-bit integers) `hashes[offsets[i] .. offsets[i + 1])`. */
export interface FeaturizedText {
  readonly normalized: NormalizedText;
  readonly atoms: readonly Atom[];
  readonly offsets: Int32Array;
  readonly hashes: Int32Array;
}

// Template ids: every feature hash starts from one of these, so equal inputs in different templates never collide
// by construction (only by 32-bit chance).
const T_BIAS = 1;
const T_UNI = 2;
const T_BI = 3;
const T_TRI = 4;
const T_KIND = 5;
const T_KIND3 = 6;
const T_SHAPE = 7;
const T_PREFIX = 8;
const T_SUFFIX = 9;
const T_NUMLEN = 10;
const T_WORD = 11;
const T_WORDPOS = 12;
const T_PREVWORD = 13;
const T_NEXTWORD = 14;
const T_DICT = 15;
const T_DICT_ANY = 16;
const T_UNI_KIND = 17;
const T_UNI_WORDPOS = 18;
const T_FIRST = 19;
const T_FIRST_UNI = 20;

const BOUNDARY = [hashString('\u0002<s-3>'), hashString('\u0002<s-2>'), hashString('\u0002<s-1>')];
const END = [hashString('\u0002</s+1>'), hashString('\u0002</s+2>'), hashString('\u0002</s+3>')];

/** Position of a unit in a word or a dictionary match: begin, inside, end, single. */
const POS_B = 1;
const POS_I = 2;
const POS_E = 3;
const POS_S = 4;

const KIND_CODE: Readonly<Record<string, number>> = { han: 1, latin: 2, number: 3, emoji: 4, punct: 5, other: 6 };

/**
 * Turns messages into per-unit feature hashes: unit unigrams, bigrams and trigrams in a window, unit kinds and case
 * shapes, Latin affixes, digit-run lengths, the tokenizer word each unit sits in (with its B/I/E/S position and the
 * words around it) and dictionary matches (entity + B/I/E/S), so known surfaces help find the boundaries of free text.
 */
export interface TaggerFeaturizer {
  featurize(text: string, surfaces?: SurfaceIndex): FeaturizedText;
  /** The same from an existing analysis by the same pipeline (saves normalising and tokenising twice). */
  featurizeAnalysis(normalized: NormalizedText, tokens: readonly Token[] | null): FeaturizedText;
}

/** Creates the featuriser; `surfaces` is the default dictionary index (a training fold may pass its own). */
export function createTaggerFeaturizer(pipeline: TextPipeline, config: TaggerFeatureConfig, surfaces: SurfaceIndex): TaggerFeaturizer {
  const window = config.window;
  const run = (normalized: NormalizedText, tokens: readonly Token[] | null, override: SurfaceIndex | undefined): FeaturizedText => {
    const atoms = toAtoms(normalized);
    const n = atoms.length;
    const uni = new Int32Array(n + 2 * window);
    for (let k = 0; k < window; k++) {
      uni[k] = BOUNDARY[3 - window + k] as number;
      uni[n + window + k] = END[k] as number;
    }
    const kinds = new Int32Array(n + 2);
    for (let i = 0; i < n; i++) {
      const a = atoms[i] as Atom;
      uni[i + window] = hashString(a.norm);
      kinds[i + 1] = KIND_CODE[a.kind] ?? 0;
    }
    const words = config.words && n > 0 ? wordContext(normalized, atoms, tokens ?? pipeline.tokenizer.tokenize(normalized)) : null;
    const dict = dictionaryCodes(override ?? surfaces, normalized.text, atoms);

    const offsets = new Int32Array(n + 1);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = atoms[i] as Atom;
      const c = i + window;
      out.push(finish(T_BIAS));
      for (let k = -window; k <= window; k++) out.push(finish(combine(combine(T_UNI, k), uni[c + k] as number)));
      for (let k = -window; k < window; k++) {
        out.push(finish(combine(combine(combine(T_BI, k), uni[c + k] as number), uni[c + k + 1] as number)));
      }
      for (let k = -Math.min(window, 2); k <= 0; k++) {
        out.push(finish(combine(combine(combine(combine(T_TRI, k), uni[c + k] as number), uni[c + k + 1] as number), uni[c + k + 2] as number)));
      }
      const kind = kinds[i + 1] as number;
      out.push(finish(combine(T_KIND, kind)));
      out.push(finish(combine(combine(combine(T_KIND3, kinds[i] as number), kind), kinds[i + 2] as number)));
      out.push(finish(combine(combine(T_UNI_KIND, uni[c - 1] as number), kind)));
      if (a.kind === 'latin') {
        out.push(finish(combine(T_SHAPE, hashString(a.shape))));
        if (config.affixes) {
          for (let len = 1; len <= 3 && len < a.norm.length; len++) {
            out.push(finish(combine(combine(T_PREFIX, len), hashString(a.norm.slice(0, len)))));
            out.push(finish(combine(combine(T_SUFFIX, len), hashString(a.norm.slice(-len)))));
          }
        }
      } else if (a.kind === 'number') {
        out.push(finish(combine(T_NUMLEN, Math.min(a.norm.length, 20))));
      }
      if (words !== null) {
        const pos = words.pos[i] as number;
        out.push(finish(combine(combine(T_WORDPOS, pos), Math.min(words.length[i] as number, 8))));
        out.push(finish(combine(combine(T_WORD, pos), words.word[i] as number)));
        out.push(finish(combine(T_PREVWORD, words.prev[i] as number)));
        out.push(finish(combine(T_NEXTWORD, words.next[i] as number)));
        out.push(finish(combine(combine(T_UNI_WORDPOS, uni[c] as number), pos)));
      }
      if (config.sentence) {
        const first = uni[window] as number;
        out.push(finish(combine(T_FIRST, first)));
        out.push(finish(combine(combine(T_FIRST_UNI, first), uni[c] as number)));
      }
      if (dict !== null) {
        const codes = dict[i];
        if (codes !== undefined) {
          for (const code of codes) out.push(finish(combine(T_DICT, code)));
          out.push(finish(T_DICT_ANY));
        }
      }
      offsets[i + 1] = out.length;
    }
    return { normalized, atoms, offsets, hashes: Int32Array.from(out) };
  };
  return {
    featurize: (text: string, override?: SurfaceIndex): FeaturizedText => run(pipeline.normalizer.normalize(text), null, override),
    featurizeAnalysis: (normalized: NormalizedText, tokens: readonly Token[] | null): FeaturizedText => run(normalized, tokens, undefined),
  };
}

interface WordContext {
  readonly pos: Int32Array;
  readonly length: Int32Array;
  readonly word: Int32Array;
  readonly prev: Int32Array;
  readonly next: Int32Array;
}

/** Maps tokenizer words (spans in the original text) onto units: which word each unit is in, and where in it. */
function wordContext(normalized: NormalizedText, atoms: readonly Atom[], tokens: readonly Token[]): WordContext {
  const n = atoms.length;
  const byOriginal = new Int32Array(normalized.original.length + 1).fill(-1);
  tokens.forEach((t, k) => byOriginal.fill(k, t.start, Math.max(t.start + 1, t.end)));
  const tokenOf = new Int32Array(n);
  for (let i = 0; i < n; i++) tokenOf[i] = byOriginal[normalized.starts[(atoms[i] as Atom).start] as number] ?? -1;
  const wordHash = tokens.map((t) => hashString(t.stem ?? t.norm));
  const pos = new Int32Array(n);
  const length = new Int32Array(n);
  const word = new Int32Array(n);
  const prev = new Int32Array(n);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tokenOf[i] as number;
    const same = (j: number): boolean => j >= 0 && j < n && t >= 0 && tokenOf[j] === t;
    const before = same(i - 1);
    const after = same(i + 1);
    pos[i] = before ? (after ? POS_I : POS_E) : after ? POS_B : POS_S;
    let len = 1;
    for (let j = i - 1; same(j); j--) len++;
    for (let j = i + 1; same(j); j++) len++;
    length[i] = len;
    word[i] = t >= 0 ? (wordHash[t] as number) : 0;
    prev[i] = t > 0 ? (wordHash[t - 1] as number) : (BOUNDARY[2] as number);
    next[i] = t >= 0 && t + 1 < tokens.length ? (wordHash[t + 1] as number) : (END[0] as number);
  }
  return { pos, length, word, prev, next };
}

/** Per unit, the codes (entity hash + B/I/E/S) of the dictionary surfaces covering it; null when none match. */
function dictionaryCodes(index: SurfaceIndex, text: string, atoms: readonly Atom[]): (number[] | undefined)[] | null {
  const matches = matchSurfaces(index, text, atoms);
  if (matches.length === 0) return null;
  const out: (number[] | undefined)[] = new Array<number[] | undefined>(atoms.length);
  for (const m of matches) {
    const e = hashString(m.entity);
    for (let i = m.from; i < m.to; i++) {
      const p = m.to - m.from === 1 ? POS_S : i === m.from ? POS_B : i === m.to - 1 ? POS_E : POS_I;
      (out[i] ??= []).push(combine(e, p));
    }
  }
  return out;
}
