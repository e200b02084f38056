export {
  createFaqIndex,
  addFaqEntries,
  updateFaqEntries,
  removeFaqEntries,
  getFaqEntry,
  listFaqEntries,
  setFaqThresholds,
  DEFAULT_FAQ_WEIGHTS,
  DEFAULT_FAQ_THRESHOLDS,
  DEFAULT_LEXICAL_FAQ_THRESHOLDS,
  DEFAULT_FAQ_INDEX_OPTIONS,
} from './faq-index.js';
export { DEFAULT_FAQ_CLASSIFIER_CONFIG } from './classifier.js';
export { createPackFaqIndex, type CreatePackFaqIndexOptions } from './pack-index.js';
export { searchFaq, DEFAULT_SEARCH_FAQ_OPTIONS } from './search.js';
export { reciprocalRankFusion, RRF_K } from './fusion.js';
export {
  tuneFaqThresholds,
  DEFAULT_TUNE_FAQ_OPTIONS,
  type TuneFaqThresholdsOptions,
  type FaqTuneCosts,
  type FaqTuning,
} from './thresholds.js';
export { addFaqVectors, embedFaqQuery, searchFaqWithEmbedder } from './vectors.js';
export {
  serializeFaqIndex,
  parseFaqIndex,
  saveFaqIndex,
  loadFaqIndex,
  FAQ_INDEX_FORMAT,
  FAQ_INDEX_FORMAT_VERSION,
  type FaqIndexJson,
  type SerializedFaqIndex,
  type ParseFaqIndexOptions,
} from './serialize.js';
export {
  createHotQuestions,
  recordFaqHit,
  topHotQuestions,
  DEFAULT_HOT_QUESTIONS_OPTIONS,
  type HotQuestions,
  type HotQuestion,
} from './hot.js';
export {
  arbitrate,
  DEFAULT_ARBITRATE_OPTIONS,
  type ArbitrateInput,
  type ArbitrateOptions,
  type Arbitration,
  type ArbitrationReason,
  type ArbitrationRoute,
} from './arbitrate.js';
export type {
  FaqEntryInput,
  FaqRecord,
  FaqWeights,
  FaqFusion,
  FaqClassifierConfig,
  FaqThresholds,
  FaqIndexConfig,
  CreateFaqIndexOptions,
  FaqEmbedderInfo,
  FaqIndex,
  FaqMatchKind,
  FaqCandidate,
  FaqHit,
  FaqDecision,
  FaqReason,
  FaqSearchResult,
  SearchFaqOptions,
} from './types.js';
