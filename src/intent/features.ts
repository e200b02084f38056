import { KefuError } from '../errors.js';
import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import { createSyllableLookup, type TextPipeline } from '../text/index.js';

/** Which feature families the intent featuriser emits; every field has a default in {@link DEFAULT_FEATURE_OPTIONS}. */
export interface FeatureOptions {
  /** Character n-gram range `[min, max]` over the normalised text (with `<`/`>` segment boundary markers); `false` or `null` = none. */
  readonly charNgrams?: readonly [number, number] | false | null;
  /** Tokenizer words (jieba words for Chinese, words for English, number-length shapes, emoji, `?`/`!`). */
  readonly words?: boolean;
  /**
   * Adjacent word pairs (`b:` features: `add to`, `退 货`), broken at punctuation; numbers count as their shape.
   * Off by default: on the bench it gained 0.1 point on English (SNIPS) and lost 0.4–1.3 on Chinese (CAIS, SMP2017).
   */
  readonly wordBigrams?: boolean;
  /** Porter stems of English words. */
  readonly stems?: boolean;
  /** Toneless pinyin syllable bigrams of Chinese text, so homophone typos (`物留` for `物流`) share features. */
  readonly pinyin?: boolean;
  /** Synonym groups (the pack's `synonyms`); each member found in a message adds a feature for its group's first word. */
  readonly synonyms?: readonly (readonly string[])[];
}

/** Resolved feature settings, stored in the model so classification featurises exactly like training. */
export interface FeatureConfig {
  readonly charNgrams: readonly [number, number] | null;
  readonly words: boolean;
  readonly wordBigrams: boolean;
  readonly stems: boolean;
  readonly pinyin: boolean;
  readonly synonyms: readonly (readonly string[])[];
}

/** The defaults merged into every {@link FeatureOptions}. */
export const DEFAULT_FEATURE_OPTIONS: FeatureConfig = {
  charNgrams: [1, 3],
  words: true,
  wordBigrams: false,
  stems: true,
  pinyin: true,
  synonyms: [],
};

/** A sparse vector: strictly increasing `index`, and `value` of the same length. */
export interface SparseVector {
  readonly index: Int32Array;
  readonly value: Float64Array;
}

/** Turns a message into raw feature counts. Created once per pipeline; holds only per-instance caches. */
export interface IntentFeaturizer {
  readonly config: FeatureConfig;
  /** Raw feature counts of `text`, keyed by `family:feature` (`c:` n-gram, `w:` word, `s:` stem, `p:` pinyin, `y:` synonym). */
  count(text: string): Map<string, number>;
}

const SEGMENT_CHAR = /[\p{L}\p{N}\p{M}\p{Extended_Pictographic}\p{Regional_Indicator}]|\u200d|\ufe0f/u;
const HAN = /\p{Script=Han}/u;

/** Validates and merges feature options with {@link DEFAULT_FEATURE_OPTIONS}. */
export function resolveFeatureOptions(options: FeatureOptions | undefined, fn: string): FeatureConfig {
  assertOptions(options, fn);
  const o = { ...DEFAULT_FEATURE_OPTIONS, ...(options ?? {}) };
  const range = o.charNgrams === false || o.charNgrams === null ? null : o.charNgrams;
  if (range !== null) {
    const ok =
      Array.isArray(range) &&
      range.length === 2 &&
      Number.isInteger(range[0]) &&
      Number.isInteger(range[1]) &&
      range[0] >= 1 &&
      range[1] >= range[0] &&
      range[1] <= 6;
    checkOption(ok, fn, 'features.charNgrams', range, 'false or [min, max] with 1 ≤ min ≤ max ≤ 6');
  }
  for (const key of ['words', 'wordBigrams', 'stems', 'pinyin'] as const) {
    checkOption(typeof o[key] === 'boolean', fn, `features.${key}`, o[key], 'a boolean');
  }
  const groupsOk =
    Array.isArray(o.synonyms) &&
    o.synonyms.every((g) => Array.isArray(g) && g.length > 0 && g.every((w) => typeof w === 'string' && w !== ''));
  checkOption(groupsOk, fn, 'features.synonyms', o.synonyms, 'an array of non-empty arrays of non-empty strings');
  if (range === null && !o.words && !o.stems && !o.pinyin && o.synonyms.length === 0) {
    throw new KefuError('INVALID_OPTION', `${fn}: every feature family is switched off. Enable at least charNgrams or words.`, {
      option: 'features',
    });
  }
  return {
    charNgrams: range === null ? null : [range[0], range[1]],
    words: o.words,
    wordBigrams: o.wordBigrams,
    stems: o.stems,
    pinyin: o.pinyin,
    synonyms: o.synonyms.map((g) => [...g]),
  };
}

/**
 * Creates the featuriser for intent classification. It runs the text pipeline once per message and emits character
 * n-grams, words, English stems, pinyin bigrams and synonym-group features as raw counts.
 *
 * @example
 * ```ts
 * const f = createIntentFeaturizer({ pipeline: createTextPipeline(), features: { synonyms: [['快递', '物流']] } });
 * f.count('物流到哪了').get('y:快递'); // 1
 * ```
 */
export function createIntentFeaturizer(options: {
  readonly pipeline: TextPipeline;
  readonly features?: FeatureOptions;
}): IntentFeaturizer {
  assertOptions(options, 'createIntentFeaturizer');
  const { pipeline } = options;
  checkOption(
    typeof pipeline === 'object' && pipeline !== null && typeof pipeline.analyze === 'function',
    'createIntentFeaturizer',
    'pipeline',
    pipeline,
    'a TextPipeline from createTextPipeline()',
  );
  const config = resolveFeatureOptions(options.features, 'createIntentFeaturizer');
  // Synonym members are matched in normalised text, so normalise them the same way; longest first is only for
  // readability of the table, every member is counted.
  const synonymTable: [string, string][] = [];
  for (const group of config.synonyms) {
    const canonical = pipeline.normalizer.normalize(group[0] as string).text;
    if (canonical === '') continue;
    for (const member of group) {
      const m = pipeline.normalizer.normalize(member).text;
      if (m !== '') synonymTable.push([m, canonical]);
    }
  }
  const syllable = createSyllableLookup();

  return {
    config,
    count(text: string): Map<string, number> {
      assertText(text, 'count(text)');
      const analysis = pipeline.analyze(text);
      const norm = analysis.normalized.text;
      const out = new Map<string, number>();
      const add = (key: string, by = 1): void => {
        out.set(key, (out.get(key) ?? 0) + by);
      };
      if (config.charNgrams !== null || config.pinyin) {
        const [min, max] = config.charNgrams ?? [0, -1];
        let segment: string[] = [];
        const flush = (): void => {
          if (segment.length === 0) return;
          if (max >= min) addCharNgrams(segment, min, max, add);
          if (config.pinyin) addPinyin(segment, syllable, add);
          segment = [];
        };
        for (const ch of norm) {
          if (SEGMENT_CHAR.test(ch)) segment.push(ch);
          else flush();
        }
        flush();
      }
      if (config.words || config.stems || config.wordBigrams) {
        let prev: string | null = null;
        for (const t of analysis.tokens) {
          const word = t.kind === 'number' ? `n:${Math.min(t.norm.replace(/\D/g, '').length, 12)}` : `w:${t.norm}`;
          if (config.words) add(word);
          if (config.stems && t.kind === 'latin') add(`s:${t.stem ?? t.norm}`);
          if (config.wordBigrams) {
            if (t.kind === 'punct') prev = null;
            else {
              const unit = t.kind === 'latin' ? (t.stem ?? t.norm) : word.slice(2);
              if (prev !== null) add(`b:${prev} ${unit}`);
              prev = unit;
            }
          }
        }
      }
      for (const [member, canonical] of synonymTable) {
        let at = norm.indexOf(member);
        while (at !== -1) {
          add(`y:${canonical}`);
          at = norm.indexOf(member, at + member.length);
        }
      }
      return out;
    },
  };
}

function addCharNgrams(segment: readonly string[], min: number, max: number, add: (key: string) => void): void {
  const padded = ['<', ...segment, '>'];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= padded.length; i++) {
      if (n === 1 && (i === 0 || i === padded.length - 1)) continue;
      let gram = '';
      for (let k = i; k < i + n; k++) gram += padded[k] as string;
      add(`c:${gram}`);
    }
  }
}

function addPinyin(segment: readonly string[], syllable: (ch: string) => string, add: (key: string) => void): void {
  let prev: string | null = null;
  for (const ch of segment) {
    if (!HAN.test(ch)) {
      prev = null;
      continue;
    }
    const s = syllable(ch);
    if (prev !== null) add(`p:${prev} ${s}`);
    prev = s;
  }
}

/** Inverse document frequency of a feature seen in `df` of `n` training examples (smoothed, always ≥ 1). */
export function inverseDocumentFrequency(df: number, n: number): number {
  return Math.log((1 + n) / (1 + df)) + 1;
}

/**
 * Builds a sparse, L2-normalised TF-IDF vector with sublinear term frequency (`(1 + ln tf) × idf`). The norm runs
 * over ALL features of the message, known or not (unknown ones weigh `unknownIdf`, the weight of the rarest feature):
 * a message made mostly of words never seen in training keeps only a short vector, so its scores stay near the bias
 * and its confidence low, which is what out-of-scope detection needs.
 */
export function toSparseVector(
  counts: ReadonlyMap<string, number>,
  vocabIndex: ReadonlyMap<string, number>,
  idf: ArrayLike<number>,
  unknownIdf: number,
): SparseVector {
  let norm2 = 0;
  const known: [number, number][] = [];
  for (const [key, c] of counts) {
    const idx = vocabIndex.get(key);
    const w = (1 + Math.log(c)) * (idx === undefined ? unknownIdf : (idf[idx] as number));
    norm2 += w * w;
    if (idx !== undefined) known.push([idx, w]);
  }
  known.sort((a, b) => a[0] - b[0]);
  const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
  const index = new Int32Array(known.length);
  const value = new Float64Array(known.length);
  known.forEach(([i, w], k) => {
    index[k] = i;
    value[k] = w * inv;
  });
  return { index, value };
}

/**
 * The training vocabulary: features found in at least `minCount` examples, sorted by UTF-16 code units so the same
 * data always gives the same indices.
 */
export function buildVocabulary(
  counts: readonly ReadonlyMap<string, number>[],
  minCount: number,
): { vocab: string[]; df: number[] } {
  const df = new Map<string, number>();
  for (const c of counts) for (const key of c.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const vocab: string[] = [];
  for (const [key, n] of df) if (n >= minCount) vocab.push(key);
  vocab.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { vocab, df: vocab.map((k) => df.get(k) as number) };
}
