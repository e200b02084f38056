import { KefuError } from '../errors.js';
import { assertOptions, checkOption } from '../internal/assert.js';
import type { FaqTerms } from './analyze.js';
import { classifierExamples, classifierProbabilities, classifierSlots, trainFaqClassifier } from './classifier.js';
import { FAMILIES, setEntryDoc, stateOf, type FaqIndexState } from './faq-index.js';
import { decide, rankSmart } from './search.js';
import type { FaqIndex, FaqThresholds } from './types.js';

/**
 * What each outcome is worth when thresholds are tuned. The service standard: a wrong answer is worse than
 * "let me find a person for you", so it costs several correct answers; an irrelevant "猜你想问" list costs a little.
 */
export interface FaqTuneCosts {
  /** Utility of answering correctly. */
  readonly correctAnswer: number;
  /** Cost (subtracted) of answering wrongly, or answering an out-of-KB question. */
  readonly wrongAnswer: number;
  /** Utility of suggesting a list that holds the right entry. */
  readonly usefulSuggestion: number;
  /** Cost of suggesting a list without the right entry, or suggesting for an out-of-KB question. */
  readonly uselessSuggestion: number;
}

/** Options of {@link tuneFaqThresholds}. */
export interface TuneFaqThresholdsOptions {
  /** Messages that must come back `none` (e.g. the pack's `outOfScope` examples). Recommended. */
  readonly negatives?: readonly string[];
  /** Their embeddings, in order, when the index has vectors (leave-one-out queries use the stored vectors). */
  readonly negativeVectors?: readonly Float32Array[];
  /** At least this share of `negatives` must come back `none`. Default 0.9. */
  readonly minNoneRate?: number;
  readonly costs?: Partial<FaqTuneCosts>;
}

/** Defaults of {@link TuneFaqThresholdsOptions}. */
export const DEFAULT_TUNE_FAQ_OPTIONS: { readonly minNoneRate: number; readonly costs: FaqTuneCosts } = {
  minNoneRate: 0.9,
  costs: { correctAnswer: 1, wrongAnswer: 3, usefulSuggestion: 0.5, uselessSuggestion: 0.25 },
};

/** One scored query of the tuning set. */
export interface TuneRow {
  /** Gold entry id, or null for a negative. */
  readonly gold: string | null;
  /** Ranked ids and scores (best first, up to 3). */
  readonly ids: readonly string[];
  readonly scores: readonly number[];
}

/** The outcome of {@link tuneFaqThresholds}. */
export interface FaqTuning {
  readonly thresholds: FaqThresholds;
  /** Leave-one-out queries (similar questions) and negatives used. */
  readonly positives: number;
  readonly negatives: number;
  /** Leave-one-out figures at the chosen thresholds (optimistic: the tests are harder paraphrases). */
  readonly hit1: number;
  readonly hit3: number;
  /** Share of positives answered, and of those the share answered correctly. */
  readonly answerRate: number;
  readonly answerPrecision: number;
  /** Share of negatives that came back `none` (1 without negatives). */
  readonly noneRate: number;
}

/**
 * Leave-one-out scoring: every similar question of every live smart entry is searched against the index without
 * itself (its entry keeps its other questions), plus each negative. Synchronous.
 */
export function leaveOneOutRows(index: FaqIndex, options?: { readonly negatives?: readonly string[]; readonly negativeVectors?: readonly Float32Array[] }): TuneRow[] {
  const state = stateOf(index, 'leaveOneOutRows');
  const useVectors = index.embedder !== null && index.config.weights.vector > 0;
  const negatives = options?.negatives ?? [];
  const cv = state.classifier === null ? null : crossValidatedClassifiers(index, state, negatives);
  const rows: TuneRow[] = [];
  const toRow = (gold: string | null, ranked: ReturnType<typeof rankSmart>): TuneRow => ({
    gold,
    ids: ranked.slice(0, 3).map((r) => r.slot.record.id),
    scores: ranked.slice(0, 3).map((r) => r.score),
  });
  for (const [si, slot] of [...state.slots.values()].entries()) {
    if (!slot.record.enabled || slot.record.match !== 'smart') continue;
    const texts = [slot.record.question, ...slot.record.similar];
    const analyses = texts.map((t) => state.analyzer.analyze(t));
    const answer = index.config.indexAnswers ? [state.analyzer.analyze(slot.record.answer)] : [];
    texts.forEach((text, k) => {
      if (k === 0) return;
      const doc = slot.docs.find((d) => state.docText[d] === text) ?? -1;
      const vector = useVectors && doc >= 0 ? (state.vectors[doc] ?? null) : null;
      // The entry-level document must not know the left-out question either.
      setEntryDoc(state, slot, [...analyses.filter((_, j) => j !== k), ...answer]);
      const probs = cv === null ? null : cv.probs(foldOfSimilar(si, k - 1), text);
      rows.push(toRow(slot.record.id, rankSmart(index, state, analyses[k] as FaqTerms, { today: null, queryVector: vector, excludeDoc: doc, probs })));
    });
    setEntryDoc(state, slot, [...analyses, ...answer]);
  }
  negatives.forEach((text, i) => {
    const vector = useVectors ? options?.negativeVectors?.[i] ?? null : null;
    const probs = cv === null ? null : cv.probs(i % CV_FOLDS, text);
    rows.push(toRow(null, rankSmart(index, state, state.analyzer.analyze(text), { today: null, queryVector: vector, excludeDoc: -1, probs })));
  });
  return rows;
}

/** Cross-validation folds of the classifier during tuning. */
export const CV_FOLDS = 5;

/** The fold of the `j`-th similar question of the `entry`-th entry: dealt round-robin, shifted per entry. */
const foldOfSimilar = (entry: number, j: number): number => (entry + j) % CV_FOLDS;

/**
 * The classifier's probabilities for tuning queries must come from a model that never saw the query: one model per
 * fold is trained without that fold's similar questions and without the negatives of that fold (tuning negatives
 * that are also classifier negatives are held out the same way), with the index's settings and seed. Costs
 * {@link CV_FOLDS} trainings (about 0.5 s each for a 40-entry pack).
 */
function crossValidatedClassifiers(index: FaqIndex, state: FaqIndexState, negatives: readonly string[]): { probs: (fold: number, text: string) => Map<string, number> | null } {
  const c = index.config.classifier;
  const slots = [...state.slots.values()];
  const order = new Map(slots.map((s, i) => [s, i]));
  const live = classifierSlots(state);
  const models = Array.from({ length: CV_FOLDS }, (_, f) => {
    const heldNegatives = new Set(negatives.filter((_, i) => i % CV_FOLDS === f));
    const examples = classifierExamples(
      live,
      c.negatives.filter((t) => !heldNegatives.has(t)),
      (slot, j) => foldOfSimilar(order.get(slot) as number, j) === f,
    );
    return trainFaqClassifier(index, examples, c.seed);
  });
  return {
    probs: (fold, text) => {
      const m = models[fold];
      return m ? classifierProbabilities(m, text) : null;
    },
  };
}

/** Answer/suggest/none outcome counts of rows under thresholds. */
export function scoreRows(rows: readonly TuneRow[], t: FaqThresholds, costs: FaqTuneCosts): { utility: number; noneRate: number; answered: number; answeredRight: number; positives: number } {
  let utility = 0;
  let negatives = 0;
  let negNone = 0;
  let answered = 0;
  let answeredRight = 0;
  let positives = 0;
  for (const r of rows) {
    const { decision } = decide(r.scores[0], r.scores[1], t);
    if (r.gold === null) {
      negatives++;
      if (decision === 'none') negNone++;
      else utility -= decision === 'answer' ? costs.wrongAnswer : costs.uselessSuggestion;
      continue;
    }
    positives++;
    if (decision === 'answer') {
      answered++;
      if (r.ids[0] === r.gold) {
        answeredRight++;
        utility += costs.correctAnswer;
      } else utility -= costs.wrongAnswer;
    } else if (decision === 'suggest') {
      utility += r.ids.includes(r.gold) ? costs.usefulSuggestion : -costs.uselessSuggestion;
    }
  }
  return { utility, noneRate: negatives === 0 ? 1 : negNone / negatives, answered, answeredRight, positives };
}

const GRID_ANSWER = Array.from({ length: 71 }, (_, i) => 0.25 + i * 0.01);
const GRID_MARGIN = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15];
const GRID_SUGGEST = Array.from({ length: 81 }, (_, i) => 0.1 + i * 0.01);

/**
 * Tunes the answer / margin / suggest thresholds without touching held-out tests: leave-one-out over the entries'
 * similar questions (each searched against the index without itself) plus `negatives` that must come back `none`.
 * Picks the thresholds of highest utility (see {@link FaqTuneCosts}) among those that send at least `minNoneRate`
 * of the negatives to `none`. Returns them with the leave-one-out figures; apply them with `setFaqThresholds`.
 *
 * @example
 * ```ts
 * const tuning = tuneFaqThresholds(index, { negatives: pack.outOfScope.map((e) => e.text) });
 * setFaqThresholds(index, tuning.thresholds); // e.g. { answer: 0.52, margin: 0.04, suggest: 0.38 }
 * ```
 */
export function tuneFaqThresholds(index: FaqIndex, options?: TuneFaqThresholdsOptions): FaqTuning {
  const fn = 'tuneFaqThresholds';
  const state: FaqIndexState = stateOf(index, fn);
  assertOptions(options, fn);
  const o = options ?? {};
  const negatives = o.negatives ?? [];
  checkOption(Array.isArray(negatives) && negatives.every((x) => typeof x === 'string'), fn, 'negatives', negatives, 'an array of strings');
  const minNoneRate = o.minNoneRate ?? DEFAULT_TUNE_FAQ_OPTIONS.minNoneRate;
  checkOption(typeof minNoneRate === 'number' && minNoneRate >= 0 && minNoneRate <= 1, fn, 'minNoneRate', minNoneRate, 'a number in [0, 1]');
  const costs: FaqTuneCosts = { ...DEFAULT_TUNE_FAQ_OPTIONS.costs, ...(o.costs ?? {}) };
  for (const [k, v] of Object.entries(costs)) checkOption(typeof v === 'number' && Number.isFinite(v) && v >= 0, fn, `costs.${k}`, v, 'a finite number ≥ 0');
  if (index.embedder !== null && index.config.weights.vector > 0 && negatives.length > 0) {
    const nv = o.negativeVectors;
    checkOption(
      Array.isArray(nv) && nv.length === negatives.length && nv.every((v) => v instanceof Float32Array && v.length === index.embedder?.dim),
      fn,
      'negativeVectors',
      nv,
      `one ${index.embedder.dim}-dim Float32Array per negative (the index has vectors)`,
    );
  }
  const rows = leaveOneOutRows(index, { negatives, ...(o.negativeVectors ? { negativeVectors: o.negativeVectors } : {}) });
  const positives = rows.filter((r) => r.gold !== null);
  if (positives.length === 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `${fn}: no entry has a similar question to leave out, so there is nothing to tune on. Add similar questions (相似问) to the entries.`,
      { entries: state.slots.size, families: FAMILIES.length },
    );
  }
  let best: { t: FaqThresholds; utility: number } | null = null;
  let fallback: { t: FaqThresholds; noneRate: number; utility: number } | null = null;
  for (const answer of GRID_ANSWER) {
    for (const margin of GRID_MARGIN) {
      for (const suggest of GRID_SUGGEST) {
        if (suggest > answer) break;
        const t = { answer: round2(answer), margin, suggest: round2(suggest) };
        const s = scoreRows(rows, t, costs);
        if (s.noneRate >= minNoneRate) {
          if (!best || s.utility > best.utility + 1e-9) best = { t, utility: s.utility };
        } else if (!fallback || s.noneRate > fallback.noneRate + 1e-9 || (Math.abs(s.noneRate - fallback.noneRate) <= 1e-9 && s.utility > fallback.utility)) {
          fallback = { t, noneRate: s.noneRate, utility: s.utility };
        }
      }
    }
  }
  const thresholds = (best ?? fallback)?.t as FaqThresholds;
  const s = scoreRows(rows, thresholds, costs);
  const hit = (k: number): number => positives.filter((r) => r.ids.slice(0, k).includes(r.gold as string)).length / positives.length;
  return {
    thresholds,
    positives: positives.length,
    negatives: negatives.length,
    hit1: round4(hit(1)),
    hit3: round4(hit(3)),
    answerRate: round4(s.answered / positives.length),
    answerPrecision: round4(s.answered === 0 ? 1 : s.answeredRight / s.answered),
    noneRate: round4(s.noneRate),
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
