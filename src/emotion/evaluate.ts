import { KefuError } from '../errors.js';
import { describe } from '../internal/assert.js';
import { createEmotionDetector, type EmotionOptions } from './detect.js';
import { EMOTION_LABELS, type EmotionLabel } from './lexicon.js';

/** One labelled message of an emotion golden set. */
export interface EmotionExample {
  readonly text: string;
  readonly label: EmotionLabel;
}

/** Precision, recall, F1 and support of one emotion label. */
export interface EmotionLabelScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** What {@link evaluateEmotion} measures on a labelled set. */
export interface EmotionEvaluation {
  readonly accuracy: number;
  /** Unweighted mean F1 over the labels that occur in the gold set. */
  readonly macroF1: number;
  readonly perLabel: Readonly<Record<EmotionLabel, EmotionLabelScores>>;
  /** `confusion[gold][predicted]` counts. */
  readonly confusion: Readonly<Record<EmotionLabel, Readonly<Record<EmotionLabel, number>>>>;
  /** The misclassified messages, in input order. */
  readonly errors: readonly { readonly text: string; readonly gold: EmotionLabel; readonly predicted: EmotionLabel }[];
  readonly examples: number;
}

/**
 * Scores the emotion detector on labelled messages: accuracy, macro-F1, per-label P/R/F1, the confusion matrix and
 * the mistakes. Throws `INVALID_INPUT` when a row is not `{ text: string, label: <one of EMOTION_LABELS> }`.
 *
 * @example
 * ```ts
 * const e = evaluateEmotion([{ text: '气死了', label: 'angry' }, { text: '谢谢', label: 'satisfied' }]);
 * e.accuracy; // 1
 * ```
 */
export function evaluateEmotion(examples: readonly EmotionExample[], options?: EmotionOptions): EmotionEvaluation {
  const issues: string[] = [];
  if (!Array.isArray(examples)) issues.push(`examples must be an array, got ${describe(examples)}`);
  else {
    (examples as readonly unknown[]).forEach((raw, i) => {
      const r = raw as { text?: unknown; label?: unknown } | null;
      if (typeof r !== 'object' || r === null || typeof r.text !== 'string') issues.push(`[${i}].text must be a string`);
      else if (!EMOTION_LABELS.includes(r.label as EmotionLabel)) issues.push(`[${i}].label must be one of ${EMOTION_LABELS.join(', ')}, got ${describe(r.label)}`);
    });
  }
  if (issues.length > 0) {
    throw new KefuError('INVALID_INPUT', `evaluateEmotion: ${issues.length} malformed example(s): ${issues.slice(0, 3).join('; ')}. Fix the rows and try again.`, { issues });
  }
  const detector = createEmotionDetector(options);
  const zero = (): Record<EmotionLabel, number> => ({ angry: 0, anxious: 0, dissatisfied: 0, satisfied: 0, neutral: 0 });
  const confusion = { angry: zero(), anxious: zero(), dissatisfied: zero(), satisfied: zero(), neutral: zero() };
  const errors: { text: string; gold: EmotionLabel; predicted: EmotionLabel }[] = [];
  let correct = 0;
  for (const ex of examples) {
    const predicted = detector.detect(ex.text).label;
    confusion[ex.label][predicted] += 1;
    if (predicted === ex.label) correct += 1;
    else errors.push({ text: ex.text, gold: ex.label, predicted });
  }
  const perLabel = {} as Record<EmotionLabel, EmotionLabelScores>;
  let f1Sum = 0;
  let labelsWithSupport = 0;
  for (const l of EMOTION_LABELS) {
    const tp = confusion[l][l];
    const support = EMOTION_LABELS.reduce((s, p) => s + confusion[l][p], 0);
    const predictedCount = EMOTION_LABELS.reduce((s, g) => s + confusion[g][l], 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[l] = { precision, recall, f1, support };
    if (support > 0) {
      f1Sum += f1;
      labelsWithSupport += 1;
    }
  }
  return {
    accuracy: examples.length === 0 ? 0 : correct / examples.length,
    macroF1: labelsWithSupport === 0 ? 0 : f1Sum / labelsWithSupport,
    perLabel,
    confusion,
    errors,
    examples: examples.length,
  };
}
