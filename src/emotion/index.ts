export {
  createEmotionDetector,
  detectEmotion,
  DEFAULT_EMOTION_OPTIONS,
  type EmotionCue,
  type EmotionCueKind,
  type EmotionDetector,
  type EmotionOptions,
  type EmotionResult,
} from './detect.js';
export { DEFAULT_EMOTION_LEXICON, EMOTION_LABELS, type EmotionCueLabel, type EmotionLabel, type EmotionLexicon } from './lexicon.js';
export { evaluateEmotion, type EmotionEvaluation, type EmotionExample, type EmotionLabelScores } from './evaluate.js';
