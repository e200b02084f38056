import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import type { Lang } from '../types.js';
import type { DictionaryEntry } from './dictionary.js';
import { createEnglishTokenizer } from './english.js';
import { createJiebaTokenizer } from './jieba.js';
import { createNormalizer, type NormalizeOptions, type NormalizedText, type Normalizer } from './normalize.js';
import type { Token, Tokenizer } from './tokenizer.js';

/** Options of {@link createTextPipeline}. */
export interface TextPipelineOptions {
  /** Main language: `zh` uses jieba (which also handles English words), `en` the English tokenizer. Default `zh`. */
  readonly language?: Lang;
  /** User dictionary for jieba (usually the pack's `dictionary`). */
  readonly dictionary?: readonly (string | DictionaryEntry)[];
  /** Normalisation options. */
  readonly normalize?: NormalizeOptions;
  /** Use this tokenizer instead of the language default. */
  readonly tokenizer?: Tokenizer;
}

/** Normalised text and its tokens (spans into the original). */
export interface Analysis {
  readonly normalized: NormalizedText;
  readonly tokens: readonly Token[];
}

/** A normaliser and a tokenizer used together, so every module sees the same text the same way. */
export interface TextPipeline {
  readonly language: Lang;
  readonly normalizer: Normalizer;
  readonly tokenizer: Tokenizer;
  analyze(text: string): Analysis;
}

/**
 * Builds the text pipeline: normalisation, then tokenisation.
 *
 * @example
 * ```ts
 * const p = createTextPipeline({ language: 'zh', dictionary: ['花呗'] });
 * p.analyze('能用花唄嗎？').tokens.map((t) => t.norm); // ['能', '用', '花呗', '吗', '?']
 * ```
 */
export function createTextPipeline(options?: TextPipelineOptions): TextPipeline {
  assertOptions(options, 'createTextPipeline');
  const language = options?.language ?? 'zh';
  checkOption(language === 'zh' || language === 'en', 'createTextPipeline', 'language', language, '"zh" or "en"');
  const normalizer = createNormalizer(options?.normalize);
  const tokenizer =
    options?.tokenizer ??
    (language === 'zh'
      ? createJiebaTokenizer(options?.dictionary ? { dictionary: options.dictionary } : {})
      : createEnglishTokenizer());
  return {
    language,
    normalizer,
    tokenizer,
    analyze(text: string): Analysis {
      assertText(text, 'analyze(text)');
      const normalized = normalizer.normalize(text);
      return { normalized, tokens: tokenizer.tokenize(normalized) };
    },
  };
}
