import { createIntentClassifier, trainIntents, type IntentExample } from '../intent/index.js';
import type { FaqClassifierState, FaqIndexState, Slot } from './state.js';
import type { FaqClassifierConfig, FaqIndex } from './types.js';

export type { FaqClassifierState } from './state.js';

/** Defaults of the classifier settings (`createFaqIndex(…, { classifier })`). */
export const DEFAULT_FAQ_CLASSIFIER_CONFIG: FaqClassifierConfig = { enabled: true, weight: 0.3, seed: 42, maxEntries: 1000, negatives: [] };

const INNER_FOLDS = 3;

/** Entries the classifier learns: enabled smart entries, in insertion order. */
export function classifierSlots(state: FaqIndexState): Slot[] {
  return [...state.slots.values()].filter((s) => s.record.enabled && s.record.match === 'smart');
}

/**
 * Training examples of `slots`: each entry's question, similar questions and answer text labelled with its id
 * (the answer adds the entry's vocabulary: +1 point of cross-validated hit@1 on the bundled pack), and the negatives
 * as out-of-scope. `skip` leaves out texts (cross-validation folds).
 */
export function classifierExamples(slots: readonly Slot[], negatives: readonly string[], skip?: (slot: Slot, similarIndex: number) => boolean): IntentExample[] {
  const out: IntentExample[] = [];
  for (const s of slots) {
    const r = s.record;
    out.push({ text: r.question, intent: r.id });
    r.similar.forEach((text, j) => {
      if (!skip?.(s, j)) out.push({ text, intent: r.id });
    });
    if (r.answer.trim() !== '') out.push({ text: r.answer, intent: r.id });
  }
  for (const text of negatives) out.push({ text, intent: null });
  return out;
}

/** Trains a classifier over `slots` with the index's pipeline and synonyms; null when fewer than 2 entries. */
export function trainFaqClassifier(index: FaqIndex, examples: readonly IntentExample[], seed: number): FaqClassifierState | null {
  const labels = new Set(examples.flatMap((e) => (e.intent === null ? [] : [e.intent])));
  if (labels.size < 2) return null;
  // Three inner folds (the default is five): they only fit the temperature, and tuning trains five such models.
  const model = trainIntents(examples, { seed, folds: INNER_FOLDS, pipeline: index.pipeline, features: { synonyms: index.config.synonyms } });
  return { model, classifier: createIntentClassifier(model, { pipeline: index.pipeline }) };
}

/**
 * (Re)trains the index's classifier from its current entries, or drops it when disabled, when fewer than 2 entries
 * have questions, or above `maxEntries` entries (training cost grows with examples × entries). Called on creation
 * and after every change.
 */
export function refreshClassifier(index: FaqIndex, state: FaqIndexState): void {
  const c = index.config.classifier;
  state.classifier = null;
  if (!c.enabled) return;
  const slots = classifierSlots(state);
  if (slots.length < 2 || slots.length > c.maxEntries) return;
  state.classifier = trainFaqClassifier(index, classifierExamples(slots, c.negatives), c.seed);
}

/** Calibrated probability of each live entry the classifier knows, for one message. */
export function classifierProbabilities(cs: FaqClassifierState, text: string): Map<string, number> {
  const r = cs.classifier.classify(text);
  return new Map(r.ranking.map((x) => [x.name, x.confidence]));
}
