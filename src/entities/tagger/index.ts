export {
  trainSlotTagger,
  DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS,
  type SlotExample,
  type SlotTrainingData,
  type TrainSlotTaggerOptions,
} from './train.js';
export {
  serializeSlotTagger,
  parseSlotTagger,
  SLOT_TAGGER_FORMAT,
  SLOT_TAGGER_FORMAT_VERSION,
  type SlotTaggerModel,
  type SlotTaggerStats,
  type SlotTaggerText,
} from './model.js';
export { createSlotTagger, type CreateSlotTaggerOptions, type SlotTagger } from './tag.js';
export type { TaggerFeatureConfig } from './features.js';
export type { SurfaceList } from './surfaces.js';
