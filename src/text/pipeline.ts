import { KefuError } from '../errors.js';
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

/** What a trained model records of the text pipeline it was trained with. */
export interface TrainedPipelineRecord {
  /** The tokenizer's `id`. */
  readonly tokenizer: string;
  readonly text: {
    readonly language: Lang;
    readonly normalize: Readonly<Required<NormalizeOptions>>;
    /** The jieba user dictionary, or null when training used a caller-supplied pipeline. */
    readonly dictionary: readonly DictionaryEntry[] | null;
  };
}

/**
 * The pipeline a trained model must run with: `pipeline` after checking that its tokenizer and normalisation are the
 * ones the model records, or, without one, the pipeline rebuilt from the record. `PIPELINE_MISMATCH` when they differ
 * or when a model trained with a caller's own pipeline is loaded without it. `what` names the model in messages
 * (`The intent model`), `fn` the function taking `{ pipeline }` (`createIntentClassifier`).
 */
export function pipelineForModel(record: TrainedPipelineRecord, pipeline: TextPipeline | undefined, what: string, fn: string): TextPipeline {
  if (pipeline === undefined) {
    if (record.text.dictionary === null) {
      throw new KefuError(
        'PIPELINE_MISMATCH',
        `${what} was trained with a custom text pipeline (tokenizer "${record.tokenizer}"). Pass the same pipeline: ${fn}(model, { pipeline }).`,
        { expected: record.tokenizer },
      );
    }
    return createTextPipeline({ language: record.text.language, dictionary: record.text.dictionary, normalize: record.text.normalize });
  }
  checkOption(typeof pipeline === 'object' && pipeline !== null && typeof pipeline.analyze === 'function', fn, 'pipeline', pipeline, 'a TextPipeline from createTextPipeline()');
  const expected = record.text.normalize as Readonly<Record<string, unknown>>;
  const actual = pipeline.normalizer.options as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const differing = keys.filter((k) => expected[k] !== actual[k]);
  if (pipeline.tokenizer.id !== record.tokenizer || differing.length > 0) {
    throw new KefuError(
      'PIPELINE_MISMATCH',
      `${what} was trained with tokenizer "${record.tokenizer}" but the pipeline uses "${pipeline.tokenizer.id}"` +
        (differing.length > 0 ? ` and different normalisation (${differing.join(', ')})` : '') +
        '. Pass the pipeline it was trained with, or retrain.',
      { expected: record.tokenizer, actual: pipeline.tokenizer.id, normalize: differing },
    );
  }
  return pipeline;
}
