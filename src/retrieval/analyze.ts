import { createSyllableLookup, type TextPipeline } from '../text/index.js';

/** The retrieval features of one text, per family. Terms repeat for term frequency. */
export interface FaqTerms {
  /** Normalised text without spaces and punctuation: the key of exact and contains matching. */
  readonly key: string;
  /** Normalised text, for regex patterns. */
  readonly normalized: string;
  /** jieba words (English stems), synonym members replaced by their group's first word. */
  readonly words: string[];
  /** Character unigrams and bigrams of Chinese runs. */
  readonly chars: string[];
  /** Toneless pinyin syllable bigrams of Chinese runs: `物留` and `物流` share `wu liu`. */
  readonly pinyin: string[];
}

const HAN = /\p{Script=Han}/u;
const KEY_DROP = /[\s\p{P}\p{S}]/gu;
/**
 * Only this many leading UTF-16 units of a text are analysed. FAQ questions are short and a message longer than
 * this is not one; the cap also bounds the cost of tokenising pathological input (a 100 KB run of Latin letters).
 */
export const MAX_ANALYZED_CHARS = 1000;

/** `text` cut to {@link MAX_ANALYZED_CHARS}, never inside a surrogate pair. */
export function capText(text: string): string {
  if (text.length <= MAX_ANALYZED_CHARS) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[MAX_ANALYZED_CHARS - 1] ?? '') ? MAX_ANALYZED_CHARS - 1 : MAX_ANALYZED_CHARS;
  return text.slice(0, cut);
}

/** The text analyser of a FAQ index: the pipeline plus the synonym table and a pinyin cache. */
export interface FaqAnalyzer {
  analyze(text: string): FaqTerms;
  /** Exact-match key of a text (normalised, no spaces or punctuation). */
  key(text: string): string;
}

export function createFaqAnalyzer(pipeline: TextPipeline, synonyms: readonly (readonly string[])[]): FaqAnalyzer {
  // Synonym members, normalised like messages; longest first so a member inside a longer one does not win.
  const table: [string, string][] = [];
  const memberToCanonical = new Map<string, string>();
  for (const group of synonyms) {
    const canonical = pipeline.normalizer.normalize(group[0] ?? '').text;
    if (canonical === '') continue;
    for (const member of group) {
      const m = pipeline.normalizer.normalize(member).text;
      if (m === '' || memberToCanonical.has(m)) continue;
      memberToCanonical.set(m, canonical);
      table.push([m, canonical]);
    }
  }
  table.sort((a, b) => b[0].length - a[0].length);
  const syllable = createSyllableLookup();

  return {
    key: (text: string): string => pipeline.normalizer.normalize(capText(text)).text.replace(KEY_DROP, ''),
    analyze(text: string): FaqTerms {
      const { normalized, tokens } = pipeline.analyze(capText(text));
      const norm = normalized.text;
      const words: string[] = [];
      const canonicals = new Set<string>();
      for (const t of tokens) {
        if (t.kind === 'punct' || t.kind === 'emoji') continue;
        const w = t.kind === 'latin' ? (t.stem ?? t.norm) : t.norm;
        const c = memberToCanonical.get(t.norm) ?? memberToCanonical.get(w);
        if (c !== undefined) canonicals.add(c);
        words.push(c ?? w);
      }
      // A synonym member jieba cut differently (运费 inside 运费险 is fine; 快件 split into 快/件 is not) still counts once.
      for (const [member, canonical] of table) {
        if (!canonicals.has(canonical) && norm.includes(member)) {
          canonicals.add(canonical);
          words.push(canonical);
        }
      }
      const chars: string[] = [];
      const pinyin: string[] = [];
      let prev: string | null = null;
      let prevSyl: string | null = null;
      for (const ch of norm) {
        if (!HAN.test(ch)) {
          prev = null;
          prevSyl = null;
          continue;
        }
        const syl = syllable(ch);
        chars.push(ch);
        if (prev !== null) chars.push(prev + ch);
        if (prevSyl !== null) pinyin.push(`${prevSyl} ${syl}`);
        prev = ch;
        prevSyl = syl;
      }
      return { key: norm.replace(KEY_DROP, ''), normalized: norm, words, chars, pinyin };
    },
  };
}
