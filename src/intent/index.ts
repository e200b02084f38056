export {
  createIntentFeaturizer,
  DEFAULT_FEATURE_OPTIONS,
  type FeatureOptions,
  type FeatureConfig,
  type IntentFeaturizer,
} from './features.js';
export {
  trainIntents,
  trainIntentsWithEmbedder,
  DEFAULT_TRAIN_INTENTS_OPTIONS,
  type IntentEmbeddings,
  type TrainIntentsOptions,
  type IntentExample,
  type IntentTrainingData,
} from './train.js';
export {
  serializeIntentModel,
  parseIntentModel,
  INTENT_MODEL_FORMAT,
  INTENT_MODEL_FORMAT_VERSION,
  type IntentModel,
  type IntentModelEmbedder,
  type IntentModelStats,
  type IntentModelText,
  type IntentThresholds,
  type SparseRow,
} from './model.js';
export {
  createIntentClassifier,
  classify,
  type ClassifyOptions,
  type CreateIntentClassifierOptions,
  type IntentClassifier,
  type IntentDecision,
  type IntentReason,
  type IntentResult,
  type IntentScore,
} from './classify.js';
export { expectedCalibrationError } from './calibrate.js';
