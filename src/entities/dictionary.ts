import { checkOption } from '../internal/assert.js';
import type { EntityDef } from '../pack/index.js';
import { toOriginalSpan, toPinyin, type NormalizedText, type Normalizer, type Token } from '../text/index.js';
import type { Entity } from './types.js';

/** A pack entity with listed values: `dictionary` (canonical values + synonyms) or `lookup` (plain values). */
export type DictionaryEntityDef = Extract<EntityDef, { type: 'dictionary' | 'lookup' }>;

/** Options of {@link createDictionaryMatcher}. */
export interface DictionaryMatcherOptions {
  /** Normalises surfaces exactly as messages are normalised (the extractor's pipeline normaliser). */
  readonly normalizer: Normalizer;
  /**
   * Typo and homophone tolerance. `true` (default): each entity's own `fuzzy` similarity threshold, entities without
   * one match exactly only. A number in (0, 1]: that threshold for every dictionary entity. `false`: exact only.
   */
  readonly fuzzy?: boolean | number;
}

/** Dictionary and lookup entities compiled for matching. */
export interface DictionaryMatcher {
  readonly entities: readonly string[];
  /**
   * Exact matches, then fuzzy matches where no exact one was found, non-overlapping (longer first). `tokens` are the
   * pipeline's tokens of the same message: they tell a match from a piece of an unrelated word.
   */
  match(normalized: NormalizedText, tokens: readonly Token[]): Entity[];
}

/** Cost of a substituted character that sounds the same (toneless pinyin), folds to the same fuzzy pinyin, or differs. */
const COST_HOMOPHONE = 0.25;
const COST_NEAR_HOMOPHONE = 0.5;
const COST_OTHER = 1;
/** Fuzzy Latin matching applies to single words of at least this many letters (shorter ones are too ambiguous). */
const MIN_FUZZY_LATIN = 4;

interface Entry {
  readonly entity: string;
  readonly value: string;
  readonly order: number;
  readonly key: string;
  readonly chars: readonly string[];
  readonly pinyin: readonly string[];
  readonly pinyinFuzzy: readonly string[];
  readonly threshold: number | null;
  readonly kind: 'han' | 'latin' | 'mixed';
}

const HAN = /\p{Script=Han}/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;
const LATIN_WORD = /^\p{Script=Latin}+$/u;

/**
 * Compiles dictionary and lookup entities. Surfaces (canonical values and synonyms) are normalised like messages, so
 * `順豐` finds `顺丰`. A match never sits inside an unrelated word: Latin and digit edges need a word boundary, a
 * single Chinese character must be a whole jieba token (`红` does not match inside `红包`), and a longer Chinese
 * surface may only split a jieba token into two words (`顺丰` matches in `顺丰快递`, `手机` not in `手机号`). Fuzzy matching
 * compares same-length Chinese windows character by character (same toneless pinyin costs 0.25, same fuzzy pinyin
 * 0.5, another character 1; similarity = 1 − cost / length) and Latin words by edit distance.
 *
 * @example
 * ```ts
 * const m = createDictionaryMatcher(pack.entities.filter((e) => e.type === 'dictionary'), { normalizer });
 * const { normalized, tokens } = pipeline.analyze('用顺峰寄的');
 * m.match(normalized, tokens); // → [{ entity: 'courier', value: 'SF', text: '顺峰', confidence: 0.88, … }]
 * ```
 */
export function createDictionaryMatcher(defs: readonly DictionaryEntityDef[], options: DictionaryMatcherOptions): DictionaryMatcher {
  const fuzzy = options.fuzzy ?? true;
  checkOption(
    typeof fuzzy === 'boolean' || (typeof fuzzy === 'number' && fuzzy > 0 && fuzzy <= 1),
    'createDictionaryMatcher',
    'fuzzy',
    fuzzy,
    'a boolean or a number in (0, 1]',
  );
  const exact = new Map<string, Entry[]>();
  const fuzzyHan: Entry[] = [];
  const fuzzyLatin: Entry[] = [];
  let maxKey = 0;
  let order = 0;
  for (const def of defs) {
    const threshold = fuzzy === false ? null : typeof fuzzy === 'number' ? fuzzy : def.type === 'dictionary' && def.fuzzy !== undefined ? def.fuzzy : null;
    const pairs: [string, string][] =
      def.type === 'dictionary' ? def.values.flatMap((v) => [[v.value, v.value] as [string, string], ...v.synonyms.map((s) => [s, v.value] as [string, string])]) : def.values.map((v) => [v, v]);
    for (const [surface, value] of pairs) {
      const key = options.normalizer.normalize(surface).text;
      if (key === '') continue;
      const chars = [...key];
      const isHan = chars.every((c) => HAN.test(c));
      const entry: Entry = {
        entity: def.name,
        value,
        order: order++,
        key,
        chars,
        pinyin: isHan ? toPinyin(key) : [],
        pinyinFuzzy: isHan ? toPinyin(key, { fuzzy: true }) : [],
        threshold,
        kind: isHan ? 'han' : LATIN_WORD.test(key) ? 'latin' : 'mixed',
      };
      const list = exact.get(key);
      if (list === undefined) exact.set(key, [entry]);
      else if (!list.some((e) => e.entity === entry.entity)) list.push(entry);
      maxKey = Math.max(maxKey, key.length);
      if (threshold !== null && threshold < 1) {
        if (entry.kind === 'han' && chars.length >= 2) fuzzyHan.push(entry);
        else if (entry.kind === 'latin' && key.length >= MIN_FUZZY_LATIN) fuzzyLatin.push(entry);
      }
    }
  }
  const entities = [...new Set(defs.map((d) => d.name))];

  return {
    entities,
    match(normalized: NormalizedText, tokens: readonly Token[]): Entity[] {
      const text = normalized.text;
      if (text === '' || exact.size === 0) return [];
      // For an original offset k strictly inside a token, the token's start and end (a match edge there cuts a word).
      const tokStart = new Int32Array(normalized.original.length + 1).fill(-1);
      const tokEnd = new Int32Array(normalized.original.length + 1);
      for (const t of tokens) {
        tokStart.fill(t.start, t.start + 1, Math.max(t.start + 1, t.end));
        tokEnd.fill(t.end, t.start + 1, Math.max(t.start + 1, t.end));
      }
      // Counts the token edges a match cuts; with `compoundOnly`, a cut that leaves two or more characters of the
      // token outside the match (`顺丰|快递`) is a compound and does not count, one that leaves a single character
      // (`手机|号`, `红|包`) does.
      const cuts = (s: number, e: number, compoundOnly: boolean): number => {
        const os = normalized.starts[s] as number;
        const oe = normalized.ends[e - 1] as number;
        let n = 0;
        const ts = tokStart[os] ?? -1;
        if (ts >= 0 && (!compoundOnly || os - ts < 2)) n++;
        const te = tokStart[oe] ?? -1;
        if (te >= 0 && (!compoundOnly || (tokEnd[oe] as number) - oe < 2)) n++;
        if (compoundOnly && n === 0 && ts >= 0 && te >= 0) n = 1;
        return n;
      };
      // A Latin or digit edge must not continue a Latin word or a digit run (`ems` not in `items`, `35` not in `135`).
      const wordEdgeOk = (s: number, e: number): boolean =>
        !(LATIN_OR_DIGIT.test(text[s] ?? '') && LATIN_OR_DIGIT.test(text[s - 1] ?? '')) && !(LATIN_OR_DIGIT.test(text[e - 1] ?? '') && LATIN_OR_DIGIT.test(text[e] ?? ''));

      const found: Candidate[] = [];
      for (let s = 0; s < text.length; s++) {
        if (isLowSurrogate(text.charCodeAt(s))) continue;
        const max = Math.min(maxKey, text.length - s);
        for (let len = max; len >= 1; len--) {
          const list = exact.get(text.slice(s, s + len));
          if (list === undefined) continue;
          const e = s + len;
          if (!wordEdgeOk(s, e)) continue;
          const entry = list[0] as Entry;
          const hanEdges = HAN.test(text[s] ?? '') || HAN.test(text[e - 1] ?? '');
          // One character must be a whole token; longer surfaces may be one half of a compound.
          if (hanEdges && (entry.chars.length >= 2 ? cuts(s, e, true) > 0 : cuts(s, e, false) > 0)) continue;
          for (const en of list) found.push({ s, e, entry: en, similarity: 1 });
        }
      }
      const chosen = select(found, []);
      if (fuzzyHan.length > 0 || fuzzyLatin.length > 0) {
        const fuzzyFound = [...fuzzyHanMatches(text, fuzzyHan, cuts), ...fuzzyLatinMatches(text, fuzzyLatin, wordEdgeOk)];
        chosen.push(...select(fuzzyFound, chosen));
      }
      chosen.sort((a, b) => a.s - b.s);
      const out: Entity[] = [];
      for (const c of chosen) {
        const span = toOriginalSpan(normalized, c.s, c.e);
        if (span.text === '') continue;
        out.push({
          entity: c.entry.entity,
          value: c.entry.value,
          start: span.start,
          end: span.end,
          text: span.text,
          source: 'dictionary',
          confidence: Math.round(c.similarity * 1e4) / 1e4,
        });
      }
      return out;
    },
  };
}

interface Candidate {
  readonly s: number;
  readonly e: number;
  readonly entry: Entry;
  readonly similarity: number;
}

/** Greedy non-overlapping choice: higher similarity, then longer, then earlier, then declaration order. */
function select(candidates: Candidate[], taken: readonly Candidate[]): Candidate[] {
  candidates.sort((a, b) => b.similarity - a.similarity || b.e - b.s - (a.e - a.s) || a.s - b.s || a.entry.order - b.entry.order);
  const out: Candidate[] = [];
  const overlaps = (c: Candidate, list: readonly Candidate[]): boolean => list.some((t) => c.s < t.e && t.s < c.e);
  for (const c of candidates) if (!overlaps(c, taken) && !overlaps(c, out)) out.push(c);
  return out;
}

function fuzzyHanMatches(text: string, entries: readonly Entry[], cuts: (s: number, e: number, compoundOnly: boolean) => number): Candidate[] {
  if (!HAN.test(text)) return [];
  const chars = [...text];
  const offsets = new Int32Array(chars.length + 1);
  for (let k = 0; k < chars.length; k++) offsets[k + 1] = (offsets[k] as number) + (chars[k] as string).length;
  const isHan = chars.map((c) => HAN.test(c));
  let pinyin: string[] | null = null;
  let pinyinFuzzy: string[] | null = null;
  const out: Candidate[] = [];
  for (let s = 0; s < chars.length; s++) {
    if (!isHan[s]) continue;
    for (const entry of entries) {
      const len = entry.chars.length;
      if (s + len > chars.length) continue;
      const threshold = entry.threshold as number;
      const maxCost = (1 - threshold) * len + 1e-9;
      // Cheap filter before any pinyin: every differing character costs at least COST_HOMOPHONE, so at most
      // maxCost / COST_HOMOPHONE characters may differ. Most windows fail here, and most messages need no pinyin.
      let same = 0;
      for (let k = 0; k < len; k++) if (chars[s + k] === entry.chars[k]) same++;
      if (same === len || len - same > Math.floor(maxCost / COST_HOMOPHONE)) continue;
      let cost = 0;
      for (let k = 0; k < len && cost <= maxCost; k++) {
        const c = chars[s + k] as string;
        if (!isHan[s + k]) {
          cost = Infinity;
          break;
        }
        if (c === entry.chars[k]) continue;
        pinyin ??= toPinyin(text);
        if (pinyin[s + k] === entry.pinyin[k]) {
          cost += COST_HOMOPHONE;
          continue;
        }
        pinyinFuzzy ??= toPinyin(text, { fuzzy: true });
        cost += pinyinFuzzy[s + k] === entry.pinyinFuzzy[k] ? COST_NEAR_HOMOPHONE : COST_OTHER;
      }
      if (cost === 0 || cost > maxCost) continue;
      const from = offsets[s] as number;
      const to = offsets[s + len] as number;
      // Like an exact match of two or more characters, it may cut into a jieba token on one side only (jieba's HMM
      // glues unknown typos to their neighbours: `要虹色`).
      if (cuts(from, to, false) > 1) continue;
      out.push({ s: from, e: to, entry, similarity: 1 - cost / len });
    }
  }
  return out;
}

function fuzzyLatinMatches(text: string, entries: readonly Entry[], wordEdgeOk: (s: number, e: number) => boolean): Candidate[] {
  const out: Candidate[] = [];
  const words = /\p{Script=Latin}+/gu;
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    const word = m[0];
    if (word.length < MIN_FUZZY_LATIN - 1) continue;
    const s = m.index;
    const e = s + word.length;
    if (!wordEdgeOk(s, e)) continue;
    for (const entry of entries) {
      const d = editDistance(word, entry.key);
      if (d === 0) continue;
      const similarity = 1 - d / Math.max(word.length, entry.key.length);
      if (similarity >= (entry.threshold as number)) out.push({ s, e, entry, similarity });
    }
  }
  return out;
}

/** Levenshtein distance over UTF-16 units (Latin words only). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.max(a.length, b.length);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
