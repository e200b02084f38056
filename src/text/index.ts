export {
  createNormalizer,
  toOriginalSpan,
  DEFAULT_NORMALIZE_OPTIONS,
  type NormalizeOptions,
  type NormalizedText,
  type Normalizer,
} from './normalize.js';
export { splitRuns, type Token, type TokenKind, type Tokenizer, type Run } from './tokenizer.js';
export { createJiebaTokenizer, type JiebaTokenizerOptions } from './jieba.js';
export { createEnglishTokenizer, type EnglishTokenizerOptions } from './english.js';
export { createSegmenterTokenizer, type SegmenterTokenizerOptions } from './segmenter.js';
export { createNgramTokenizer, type NgramTokenizerOptions } from './ngram.js';
export { createPinyinTokenizer, createSyllableLookup, toPinyin, type PinyinOptions } from './pinyin.js';
export { parseDictionary, DEFAULT_WORD_FREQ, type DictionaryEntry } from './dictionary.js';
export { createTextPipeline, pipelineForModel, type TextPipeline, type TextPipelineOptions, type Analysis, type TrainedPipelineRecord } from './pipeline.js';
