import { KefuError } from '../errors.js';
import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import { pipelineForModel, type TextPipeline } from '../text/index.js';
import { softmaxInto } from './calibrate.js';
import { createIntentFeaturizer, type IntentFeaturizer } from './features.js';
import { validateIntentModel, type IntentModel } from './model.js';
import type { Embedder } from '../embeddings/index.js';

/** Per-call overrides of the model's thresholds. */
export interface ClassifyOptions {
  /** Accept the top intent at or above this calibrated probability. Default: `model.thresholds.accept`. */
  readonly threshold?: number;
  /** Clarify when the top two differ by less than this. Default: `model.thresholds.clarifyMargin`. */
  readonly clarifyMargin?: number;
  /** … and both are at least this. Default: `model.thresholds.clarifyFloor`. */
  readonly clarifyFloor?: number;
  /** Keep only the best `topK` intents in `ranking`. Default: all. */
  readonly topK?: number;
  /**
   * The message's sentence vector, for a model trained with embeddings (`model.embedder` not null): computed by the
   * same embedder (`classifyAsync` does it for you). Required by such models, refused by text-only ones.
   */
  readonly vector?: ArrayLike<number>;
}

/** One ranked intent with its calibrated probability. */
export interface IntentScore {
  readonly name: string;
  readonly confidence: number;
}

/** What the bot should do with the message. */
export type IntentDecision = 'accept' | 'clarify' | 'fallback';

/** Why: `matched` (accept), `ambiguous` (clarify), or why nothing was accepted (fallback). */
export type IntentReason = 'matched' | 'ambiguous' | 'below_threshold' | 'out_of_scope' | 'empty_input';

/**
 * The classification of one message. `intent` is the top intent for `accept` and `clarify` (ask between
 * `ranking[0]` and `ranking[1]`) and `null` for `fallback`. `confidence` is always the calibrated probability of the
 * top-ranked intent, 0 for empty input.
 */
export interface IntentResult {
  readonly intent: string | null;
  readonly confidence: number;
  readonly ranking: readonly IntentScore[];
  readonly decision: IntentDecision;
  readonly reason: IntentReason;
}

/** A model bound to its text pipeline with precomputed lookup tables; create once, classify many times. */
export interface IntentClassifier {
  readonly model: IntentModel;
  readonly pipeline: TextPipeline;
  /** Classifies one message; synchronous and safe on any string (empty, emoji only, very long, broken surrogates). */
  classify(text: string, options?: ClassifyOptions): IntentResult;
  /**
   * Embeds the message with the classifier's embedder when the model uses embeddings, then classifies it; for a
   * text-only model it is `classify` wrapped in a promise.
   */
  classifyAsync(text: string, options?: Omit<ClassifyOptions, 'vector'>): Promise<IntentResult>;
}

/** Options of {@link createIntentClassifier}. */
export interface CreateIntentClassifierOptions {
  /** The pipeline the model was trained with. Default: rebuilt from `model.text` (language, dictionary, normalisation). */
  readonly pipeline?: TextPipeline;
  /**
   * The embedder the model was trained with (same `id` and `dim`, else `EMBEDDER_MISMATCH` /
   * `EMBEDDING_DIM_MISMATCH`), used by `classifyAsync`. Needed only for models trained with embeddings.
   */
  readonly embedder?: Embedder;
}

/**
 * Prepares a trained model for fast classification: validates it, builds (or checks) the text pipeline, and turns
 * the weights into a feature → (class, weight) table so a message costs one lookup per feature.
 *
 * @example
 * ```ts
 * const classifier = createIntentClassifier(model);
 * classifier.classify('我的快递到哪了');
 * // → { intent: 'query_logistics', confidence: 0.93, ranking: [...], decision: 'accept', reason: 'matched' }
 * ```
 */
export function createIntentClassifier(model: IntentModel, options?: CreateIntentClassifierOptions): IntentClassifier {
  assertOptions(options, 'createIntentClassifier');
  validateIntentModel(model);
  const pipeline = pipelineForModel(model, options?.pipeline, 'The intent model', 'createIntentClassifier');
  const featurizer: IntentFeaturizer = createIntentFeaturizer({ pipeline, features: model.features });
  const embedder = options?.embedder;
  checkEmbedder(model, embedder);
  const denseRows = model.embedder === null ? null : model.embedder.weights.map((r) => Float64Array.from(r));
  const denseScale = model.embedder === null ? 0 : model.embedder.scale;

  const K = model.labels.length;
  const C = K + (model.outOfScopeClass ? 1 : 0);
  const V = model.vocab.length;
  const vocabIndex = new Map<string, number>(model.vocab.map((f, i) => [f, i]));
  // Feature-major CSR: offsets[f]..offsets[f + 1] are the (class, weight) pairs of feature f.
  const offsets = new Int32Array(V + 1);
  for (const row of model.weights) for (const f of row.index) offsets[f + 1] = (offsets[f + 1] as number) + 1;
  for (let f = 0; f < V; f++) offsets[f + 1] = (offsets[f + 1] as number) + (offsets[f] as number);
  const fill = offsets.slice(0, V);
  const cls = new Int32Array(offsets[V] as number);
  const val = new Float64Array(offsets[V] as number);
  model.weights.forEach((row, k) => {
    row.index.forEach((f, j) => {
      const at = fill[f] as number;
      cls[at] = k;
      val[at] = row.value[j] as number;
      fill[f] = at + 1;
    });
  });
  const bias = Float64Array.from(model.bias);
  const idf = Float64Array.from(model.idf);
  const unknownIdf = model.unknownIdf;
  const acc = new Float64Array(C);
  const prob = new Float64Array(C);
  const order = Array.from({ length: K }, (_, k) => k);
  const defaults = model.thresholds;

  const classifyOne = (text: string, opts?: ClassifyOptions): IntentResult => {
    assertText(text, 'classify(text)');
    assertOptions(opts, 'classify');
    const threshold = opts?.threshold ?? defaults.accept;
    const margin = opts?.clarifyMargin ?? defaults.clarifyMargin;
    const floor = opts?.clarifyFloor ?? defaults.clarifyFloor;
    const topK = opts?.topK ?? K;
    checkOption(typeof threshold === 'number' && threshold >= 0 && threshold <= 1, 'classify', 'threshold', threshold, 'a number in [0, 1]');
    checkOption(typeof margin === 'number' && margin >= 0 && margin <= 1, 'classify', 'clarifyMargin', margin, 'a number in [0, 1]');
    checkOption(typeof floor === 'number' && floor >= 0 && floor <= 1, 'classify', 'clarifyFloor', floor, 'a number in [0, 1]');
    checkOption(Number.isInteger(topK) && topK >= 0, 'classify', 'topK', topK, 'a non-negative integer');

    const vector = checkVector(model, opts?.vector);
    const counts = featurizer.count(text);
    if (counts.size === 0) {
      return { intent: null, confidence: 0, ranking: [], decision: 'fallback', reason: 'empty_input' };
    }
    acc.fill(0);
    let norm2 = 0;
    for (const [key, c] of counts) {
      const f = vocabIndex.get(key);
      const w = (1 + Math.log(c)) * (f === undefined ? unknownIdf : (idf[f] as number));
      norm2 += w * w;
      if (f === undefined) continue;
      const end = offsets[f + 1] as number;
      for (let r = offsets[f] as number; r < end; r++) acc[cls[r] as number] = (acc[cls[r] as number] as number) + w * (val[r] as number);
    }
    const inv = 1 / Math.sqrt(norm2);
    for (let k = 0; k < C; k++) prob[k] = (bias[k] as number) + (acc[k] as number) * inv;
    if (denseRows !== null && vector !== null) {
      for (let k = 0; k < C; k++) {
        const row = denseRows[k] as Float64Array;
        let dot = 0;
        for (let j = 0; j < row.length; j++) dot += (vector[j] as number) * (row[j] as number);
        prob[k] = (prob[k] as number) + denseScale * dot;
      }
    }
    softmaxInto(prob, model.temperature, prob);

    order.sort((a, b) => (prob[b] as number) - (prob[a] as number) || a - b);
    const top = order[0] as number;
    const topProb = prob[top] as number;
    const secondProb = K > 1 ? (prob[order[1] as number] as number) : 0;
    const ranking = order.slice(0, topK).map((k) => ({ name: model.labels[k] as string, confidence: prob[k] as number }));
    const name = model.labels[top] as string;
    if (model.outOfScopeClass && (prob[K] as number) > topProb) {
      return { intent: null, confidence: topProb, ranking, decision: 'fallback', reason: 'out_of_scope' };
    }
    if (K > 1 && secondProb >= floor && topProb - secondProb < margin) {
      return { intent: name, confidence: topProb, ranking, decision: 'clarify', reason: 'ambiguous' };
    }
    if (topProb >= threshold) return { intent: name, confidence: topProb, ranking, decision: 'accept', reason: 'matched' };
    return { intent: null, confidence: topProb, ranking, decision: 'fallback', reason: 'below_threshold' };
  };
  const classifyAsync = async (text: string, opts?: Omit<ClassifyOptions, 'vector'>): Promise<IntentResult> => {
    assertText(text, 'classifyAsync(text)');
    if (model.embedder === null) return classifyOne(text, opts);
    if (embedder === undefined) {
      throw new KefuError(
        'INVALID_OPTION',
        `The model was trained with embedder "${model.embedder.id}": pass it as createIntentClassifier(model, { embedder }) to use classifyAsync.`,
        { option: 'embedder' },
      );
    }
    const [v] = await embedder.embed([text]);
    return classifyOne(text, { ...opts, ...(v === undefined ? {} : { vector: v }) });
  };
  return { model, pipeline, classify: classifyOne, classifyAsync };
}

function checkEmbedder(model: IntentModel, embedder: Embedder | undefined): void {
  if (embedder === undefined) return;
  checkOption(
    typeof embedder === 'object' && embedder !== null && typeof embedder.embed === 'function',
    'createIntentClassifier',
    'embedder',
    embedder,
    'an Embedder { id, dim, embed(texts) }',
  );
  if (model.embedder === null) {
    throw new KefuError('EMBEDDER_MISMATCH', `The model was trained without embeddings; embedder "${embedder.id}" cannot be used with it. Retrain with trainIntentsWithEmbedder, or leave the embedder out.`, {
      expected: null,
      actual: embedder.id,
    });
  }
  if (embedder.dim !== model.embedder.dim) {
    throw new KefuError('EMBEDDING_DIM_MISMATCH', `The model expects ${model.embedder.dim}-dimensional vectors (embedder "${model.embedder.id}"), the embedder gives ${embedder.dim}.`, {
      expected: model.embedder.dim,
      actual: embedder.dim,
    });
  }
  if (embedder.id !== model.embedder.id) {
    throw new KefuError('EMBEDDER_MISMATCH', `The model was trained with embedder "${model.embedder.id}", not "${embedder.id}". Use the same model files and settings, or retrain.`, {
      expected: model.embedder.id,
      actual: embedder.id,
    });
  }
}

/** The unit-length message vector for an embedding model; `null` for a text-only model. */
function checkVector(model: IntentModel, vector: ArrayLike<number> | undefined): Float64Array | null {
  if (model.embedder === null) {
    if (vector !== undefined) {
      throw new KefuError('EMBEDDER_MISMATCH', 'classify: a vector was passed but the model was trained without embeddings.', { option: 'vector' });
    }
    return null;
  }
  if (vector === undefined) {
    throw new KefuError(
      'INVALID_OPTION',
      `classify: the model was trained with embedder "${model.embedder.id}"; pass the message's vector ({ vector }) or use classifyAsync.`,
      { option: 'vector' },
    );
  }
  const dim = model.embedder.dim;
  checkOption(typeof vector === 'object' && vector !== null && typeof vector.length === 'number', 'classify', 'vector', vector, `an array of ${dim} numbers`);
  if (vector.length !== dim) {
    throw new KefuError('EMBEDDING_DIM_MISMATCH', `classify: the vector has ${vector.length} dimensions, the model expects ${dim}.`, { expected: dim, actual: vector.length });
  }
  const out = new Float64Array(dim);
  let norm2 = 0;
  for (let j = 0; j < dim; j++) {
    const x = Number(vector[j]);
    checkOption(Number.isFinite(x), 'classify', 'vector', vector, 'finite numbers');
    out[j] = x;
    norm2 += x * x;
  }
  const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
  for (let j = 0; j < dim; j++) out[j] = (out[j] as number) * inv;
  return out;
}

/**
 * Classifies one message with a prepared classifier (the same as `classifier.classify(text, options)`).
 *
 * @example
 * ```ts
 * const result = classify(createIntentClassifier(model), '帮我转人工', { threshold: 0.5 });
 * if (result.decision === 'clarify') askWhichOf(result.ranking.slice(0, 2));
 * ```
 */
export function classify(classifier: IntentClassifier, text: string, options?: ClassifyOptions): IntentResult {
  checkOption(
    typeof classifier === 'object' && classifier !== null && typeof classifier.classify === 'function',
    'classify',
    'classifier',
    classifier,
    'an IntentClassifier from createIntentClassifier(model)',
  );
  return classifier.classify(text, options);
}

