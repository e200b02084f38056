export * from './types.js';
export * from './system/index.js';
export * from './tagger/index.js';
export {
  createEntityExtractor,
  ENTITY_SOURCE_TIERS,
  type EntityExtractor,
  type EntityExtractorOptions,
  type ExtractOptions,
} from './extract.js';
export { createDictionaryMatcher, type DictionaryEntityDef, type DictionaryMatcher, type DictionaryMatcherOptions } from './dictionary.js';
export { createRegexMatcher, type RegexMatcher } from './regex.js';
