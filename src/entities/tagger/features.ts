import type { NormalizedText, TextPipeline, Token } from '../../text/index.js';
import { toAtoms, type Atom } from './atoms.js';
import { combine, finish, hashString } from './hash.js';
import { lexiconCodes, taggerLexicon } from './lexicon.js';
import { matchSurfaces, type SurfaceIndex, type SurfaceMatch } from './surfaces.js';

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
  /**
   * Wider word context: the words two before and two after, the previous and next word paired with the current one,
   * and the first and last unit of the word each unit sits in (suffixes such as 市, 公司, 银行 mark types). Models
   * saved before this family existed lack the field and read as false.
   */
  readonly context?: boolean;
  /**
   * Dictionary coverage: the longest known surface covering each unit (entity, B/I/E/S and its length in units), besides
   * every match. Absent in older models: false.
   */
  readonly longest?: boolean;
  /**
   * Lexicon: every word of jieba's dictionary covering each unit, as its part-of-speech tag and length with the unit's
   * position in it, and the character's most frequent (position, tag) pairs in that dictionary. Absent in older
   * models: false.
   */
  readonly lexicon?: boolean;
}

/** A featurised message: its units and, per unit `i`, feature hashes (as signed 32-bit integers) `hashes[offsets[i] .. offsets[i + 1])`. */
export interface FeaturizedText {
  readonly normalized: NormalizedText;
  readonly atoms: readonly Atom[];
  readonly offsets: Int32Array;
  readonly hashes: Int32Array;
  /** Hash of each unit's normalised text. */
  readonly units: Int32Array;
  /** The tokenizer word each unit sits in (−1 for none) and each word's hash; null when the `words` family is off. */
  readonly words: { readonly tokenOf: Int32Array; readonly hashes: Int32Array } | null;
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
const T_PREV2WORD = 21;
const T_NEXT2WORD = 22;
const T_PREV_WORD_PAIR = 23;
const T_NEXT_WORD_PAIR = 24;
const T_WORD_HEAD = 25;
const T_WORD_TAIL = 26;
const T_LONGEST = 27;
const T_LONGEST_UNI = 28;
const T_DICT_LEVEL = 29;
const T_LEX = 30;

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
  // Loaded here, when the tagger is created, so the first message does not pay for reading the dictionary.
  const lexicon = config.lexicon === true ? taggerLexicon() : null;
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
    const matches = matchSurfaces(override ?? surfaces, normalized.text, atoms);
    const dict = dictionaryCodes(matches, atoms.length);
    const longest = config.longest === true ? longestCodes(matches, atoms.length) : null;
    const context = config.context === true && words !== null;
    const lex = lexicon !== null ? lexiconCodes(atoms, lexicon) : null;

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
        if (context) {
          const word = words.word[i] as number;
          out.push(finish(combine(T_PREV2WORD, words.prev2[i] as number)));
          out.push(finish(combine(T_NEXT2WORD, words.next2[i] as number)));
          out.push(finish(combine(combine(T_PREV_WORD_PAIR, words.prev[i] as number), word)));
          out.push(finish(combine(combine(T_NEXT_WORD_PAIR, word), words.next[i] as number)));
          out.push(finish(combine(combine(T_WORD_HEAD, pos), uni[window + (words.head[i] as number)] as number)));
          out.push(finish(combine(combine(T_WORD_TAIL, pos), uni[window + (words.tail[i] as number)] as number)));
        }
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
      if (longest !== null) {
        const code = longest[i] as number;
        if (code !== 0) {
          out.push(finish(combine(T_LONGEST, code)));
          out.push(finish(combine(combine(T_LONGEST_UNI, code), uni[c] as number)));
        }
      }
      if (lex !== null) {
        const codes = lex[i];
        if (codes !== undefined) for (const code of codes) out.push(finish(combine(T_LEX, code)));
      }
      offsets[i + 1] = out.length;
    }
    return {
      normalized,
      atoms,
      offsets,
      hashes: Int32Array.from(out),
      units: uni.slice(window, window + n),
      words: words === null ? null : { tokenOf: words.tokenOf, hashes: words.hashes },
    };
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
  readonly prev2: Int32Array;
  readonly next2: Int32Array;
  /** Unit index of the first and the last unit of the word. */
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** Index of the word each unit is in (−1 for none), and each word's hash. */
  readonly tokenOf: Int32Array;
  readonly hashes: Int32Array;
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
  const prev2 = new Int32Array(n);
  const next2 = new Int32Array(n);
  const head = new Int32Array(n);
  const tail = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tokenOf[i] as number;
    const same = (j: number): boolean => j >= 0 && j < n && t >= 0 && tokenOf[j] === t;
    const before = same(i - 1);
    const after = same(i + 1);
    pos[i] = before ? (after ? POS_I : POS_E) : after ? POS_B : POS_S;
    let h = i;
    while (same(h - 1)) h--;
    let e = i;
    while (same(e + 1)) e++;
    head[i] = h;
    tail[i] = e;
    length[i] = e - h + 1;
    word[i] = t >= 0 ? (wordHash[t] as number) : 0;
    prev[i] = t > 0 ? (wordHash[t - 1] as number) : (BOUNDARY[2] as number);
    next[i] = t >= 0 && t + 1 < tokens.length ? (wordHash[t + 1] as number) : (END[0] as number);
    prev2[i] = t > 1 ? (wordHash[t - 2] as number) : (BOUNDARY[1] as number);
    next2[i] = t >= 0 && t + 2 < tokens.length ? (wordHash[t + 2] as number) : (END[1] as number);
  }
  return { pos, length, word, prev, next, prev2, next2, head, tail, tokenOf, hashes: Int32Array.from(wordHash) };
}

/** Per unit, the codes (entity hash + B/I/E/S) of the dictionary surfaces covering it; null when none match. */
function dictionaryCodes(matches: readonly SurfaceMatch[], n: number): (number[] | undefined)[] | null {
  if (matches.length === 0) return null;
  const out: (number[] | undefined)[] = new Array<number[] | undefined>(n);
  for (const m of matches) {
    const e = hashString(m.entity);
    for (let i = m.from; i < m.to; i++) {
      const p = m.to - m.from === 1 ? POS_S : i === m.from ? POS_B : i === m.to - 1 ? POS_E : POS_I;
      (out[i] ??= []).push(combine(e, p));
      // Reliability of a gazetteer surface: a separate code, so pack dictionaries keep their features unchanged.
      if (m.level >= 0) (out[i] ??= []).push(combine(combine(combine(e, p), m.level), T_DICT_LEVEL));
    }
  }
  return out;
}

/**
 * Per unit, the code (entity hash + B/I/E/S + length in units, capped at 8) of the longest surface covering it, 0 where
 * none does; ties go to the earlier match, then the first entity listed (the order `matchSurfaces` returns).
 */
function longestCodes(matches: readonly SurfaceMatch[], n: number): Int32Array | null {
  if (matches.length === 0) return null;
  const best = new Int32Array(n);
  const code = new Int32Array(n);
  for (const m of matches) {
    const len = m.to - m.from;
    const e = hashString(m.entity);
    for (let i = m.from; i < m.to; i++) {
      if (len <= (best[i] as number)) continue;
      best[i] = len;
      const p = len === 1 ? POS_S : i === m.from ? POS_B : i === m.to - 1 ? POS_E : POS_I;
      code[i] = combine(combine(e, p), Math.min(len, 8)) | 1;
    }
  }
  return code;
}
