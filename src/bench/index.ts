export {
  accuracy,
  topAccuracy,
  overallAccuracy,
  macroF1,
  perIntent,
  confusions,
  oos,
  ece,
  latencyPercentiles,
  summarizeIntent,
  DEFAULT_METRIC_OPTIONS,
  type PredictionRow,
  type IntentScores,
  type Confusion,
  type OosScores,
  type LatencyPercentiles,
  type IntentMetrics,
} from './metrics.js';
export { compareWithBaseline, parseBaseline, type Baseline, type BaselineMetric, type Regression } from './compare.js';
export {
  readIntentJsonl,
  loadSharedIntentDataset,
  loadPackIntentDataset,
  sharedDatasetsDir,
  SHARED_INTENT_DATASETS,
  OOS_LABEL,
  type SharedIntentDatasetId,
  type SharedIntentDataset,
  type SharedDatasetResult,
  type LoadSharedDatasetOptions,
  type IntentSplits,
  type PackIntentDataset,
} from './datasets.js';
export { subsample } from './sample.js';
export { describeEnvironment, readGitSha, type BenchEnvironment } from './env.js';
export { benchIntent, DEFAULT_BENCH_INTENT_OPTIONS, type BenchIntentOptions, type IntentBenchResult } from './run-intent.js';
export { benchSystemEntityGolden, parseSystemEntityGolden, type BenchSystemGoldenOptions, type SystemGoldenResult, type GoldenCase, type GoldenEntity, type GoldenFailure } from './run-system-golden.js';
export {
  benchRetrieval,
  summarizeRetrieval,
  packRetrievalTests,
  DEFAULT_BENCH_RETRIEVAL_OPTIONS,
  type BenchRetrievalOptions,
  type RetrievalBenchResult,
  type RetrievalMetrics,
  type RetrievalPrediction,
  type RetrievalTestRow,
} from './run-retrieval.js';
export {
  readSlotJsonl,
  loadSharedSlotDataset,
  SHARED_SLOT_DATASETS,
  type GoldEntity,
  type EntityRow,
  type SharedSlotDatasetId,
  type SharedSlotDataset,
  type SharedSlotDatasetResult,
} from './slot-datasets.js';
export {
  summarizeEntities,
  benchEntities,
  benchSlotTagger,
  loadPackEntityDataset,
  DEFAULT_BENCH_ENTITIES_OPTIONS,
  type PredictedEntity,
  type EntityPredictionRow,
  type SpanScores,
  type EntityMetrics,
  type BenchEntitiesOptions,
  type EntityBenchResult,
  type BenchSlotTaggerOptions,
  type SlotTaggerBenchResult,
} from './run-entities.js';
export { readJsonlRows, type JsonlRowParser } from './jsonl.js';
