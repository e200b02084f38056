import { KefuError } from '../errors.js';
import { assertOptions, checkOption, describe } from '../internal/assert.js';
import type { Pack } from '../pack/index.js';
import { createTextPipeline, type DictionaryEntry, type TextPipeline } from '../text/index.js';
import type { Lang, Logger } from '../types.js';
import { expectedCalibrationError, fitTemperature, softmaxInto } from './calibrate.js';
import {
  buildVocabulary,
  createIntentFeaturizer,
  inverseDocumentFrequency,
  toSparseVector,
  type FeatureOptions,
  type SparseVector,
} from './features.js';
import {
  INTENT_MODEL_FORMAT,
  INTENT_MODEL_FORMAT_VERSION,
  type IntentModel,
  type IntentModelStats,
  type IntentThresholds,
  type SparseRow,
} from './model.js';
import { createRandom, shuffleInPlace } from '../internal/random.js';
import type { Embedder } from '../embeddings/index.js';

/** One labelled message; `intent: null` marks an out-of-scope example. */
export interface IntentExample {
  readonly text: string;
  readonly intent: string | null;
}

/** What {@link trainIntents} learns from: a loaded pack (its `intents[].examples` and `outOfScope`) or examples. */
export type IntentTrainingData = Pack | readonly IntentExample[];

/**
 * Sentence vectors of the training texts, for a model that uses embedding features next to its sparse text
 * features: the embedder's `id` and `dim`, and a vector per training text (keyed by the exact example text).
 * {@link trainIntentsWithEmbedder} builds this for you.
 */
export interface IntentEmbeddings {
  readonly id: string;
  readonly dim: number;
  readonly vectors: ReadonlyMap<string, ArrayLike<number>>;
}

/** Options of {@link trainIntents}; unset fields take {@link DEFAULT_TRAIN_INTENTS_OPTIONS} or an automatic value. */
export interface TrainIntentsOptions {
  /** Text pipeline. Default: `createTextPipeline` with `language` and the pack's dictionary. */
  readonly pipeline?: TextPipeline;
  /**
   * Language of the default pipeline when no `pipeline` is given: the pack's language, else `zh`. A model trained
   * with the default pipeline records it, so `createIntentClassifier(model)` rebuilds it without being passed one.
   */
  readonly language?: Lang;
  /** Feature families. Synonyms default to the pack's `synonyms`; English pipelines default to character n-grams [2, 3]. */
  readonly features?: FeatureOptions;
  /** Seed of every shuffle; the same data, options and seed give a byte-identical model. Default 42. */
  readonly seed?: number;
  /** Passes of SGD over the data. Default: automatic, from 4 (15,000+ examples) to 10 (small packs). */
  readonly epochs?: number;
  /** L2 penalty per example and step. Default 1e-5. */
  readonly l2?: number;
  /**
   * Initial SGD step size (it decays linearly to zero). Default 4: with unit-length inputs the old default 1 left
   * large label sets under-fitted in the few epochs big data sets get (CLINC150 dev +1.1 points at 4).
   */
  readonly learningRate?: number;
  /** Features must appear in at least this many examples. Default 1 below 5,000 examples, else 2. */
  readonly minCount?: number;
  /** Cross-validation folds used for calibration and threshold tuning (2–10). Default 5 (2 above 5,000 examples). */
  readonly folds?: number;
  /** Without out-of-scope examples: the share of in-scope examples the accept threshold keeps. Default 0.99. */
  readonly acceptRate?: number;
  /**
   * With out-of-scope examples, the operating point the accept threshold is tuned to on cross-validated predictions:
   * a number is the out-of-scope recall to reach (the lowest threshold that declines at least that share of them, so
   * the most in-scope messages are kept); `'balanced'` maximises in-scope accuracy + out-of-scope recall.
   * Default 0.8.
   */
  readonly oosRecall?: number | 'balanced';
  /** Default clarify margin stored in the model. */
  readonly clarifyMargin?: number;
  /** Default clarify floor stored in the model. */
  readonly clarifyFloor?: number;
  /**
   * Class balancing of in-scope examples: each example of an intent with `n` examples weighs
   * `(mean examples per intent / n) ^ classBalance` in the loss, so small intents are not drowned by large ones.
   * 0 = every example weighs 1, 1 = every intent weighs the same in total. Default 0.5 (on the imbalanced SMP2017-ECDT
   * and CAIS dev splits, +0.5 and +0.1 point accuracy, +0.3 and +1.1 macro-F1; no change on balanced sets).
   */
  readonly classBalance?: number;
  /**
   * Weight of each out-of-scope example in the loss, relative to in-scope ones. Default: automatic, so the
   * out-of-scope class weighs as much as an average intent (`min(1, mean examples per intent / out-of-scope examples)`).
   */
  readonly outOfScopeWeight?: number;
  /** Sentence vectors of every training text: the model then also learns from them (see {@link IntentEmbeddings}). */
  readonly embeddings?: IntentEmbeddings;
  /** The factor an (L2-normalised) embedding is scaled by next to the unit-length sparse features. Default 1. */
  readonly embeddingScale?: number;
  /** Diagnostics sink (e.g. intents with a single example). */
  readonly logger?: Logger;
}

/** Fixed defaults of {@link TrainIntentsOptions}. */
export const DEFAULT_TRAIN_INTENTS_OPTIONS = {
  seed: 42,
  learningRate: 4,
  l2: 1e-5,
  classBalance: 0.5,
  acceptRate: 0.99,
  oosRecall: 0.8,
  clarifyMargin: 0.1,
  clarifyFloor: 0.3,
} as const;

/** Weights smaller than this are dropped from the saved model; they move no decision but would bloat the file. */
const PRUNE_BELOW = 1e-2;
const SKIP_GRADIENT_BELOW = 1e-4;
const DECIMALS = 1e4;

interface Prepared {
  readonly labels: string[];
  /** Class index per example: label index, or `labels.length` for out-of-scope / background. */
  readonly y: number[];
  readonly texts: string[];
  /** True for real (not synthetic background) examples. */
  readonly real: boolean[];
  readonly oosExamples: number;
  readonly hasOosClass: boolean;
}

/**
 * Trains a calibrated, out-of-scope-aware intent classifier: multinomial logistic regression with L2 on sparse text
 * features, temperature scaling and thresholds fitted on k-fold cross-validated predictions. Pack `tests` are never
 * used. Deterministic for a given seed.
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * const model = trainIntents(pack, { seed: 7 });
 * model.thresholds; // { accept: 0.41, clarifyMargin: 0.1, clarifyFloor: 0.3 }
 * ```
 */
export function trainIntents(data: IntentTrainingData, options?: TrainIntentsOptions): IntentModel {
  assertOptions(options, 'trainIntents');
  const o = options ?? {};
  const pack = Array.isArray(data) ? null : (data as Pack);
  const prepared = prepare(data);
  const n = prepared.y.length;
  const realCount = prepared.real.filter(Boolean).length;

  const seed = o.seed ?? DEFAULT_TRAIN_INTENTS_OPTIONS.seed;
  checkOption(Number.isInteger(seed), 'trainIntents', 'seed', seed, 'an integer');
  const epochs = o.epochs ?? Math.min(10, Math.max(4, Math.ceil(15_000 / Math.max(1, realCount))));
  checkOption(Number.isInteger(epochs) && epochs >= 1 && epochs <= 1000, 'trainIntents', 'epochs', epochs, 'an integer from 1 to 1000');
  const l2 = o.l2 ?? DEFAULT_TRAIN_INTENTS_OPTIONS.l2;
  checkOption(typeof l2 === 'number' && l2 >= 0 && l2 < 1, 'trainIntents', 'l2', l2, 'a number in [0, 1)');
  const learningRate = o.learningRate ?? DEFAULT_TRAIN_INTENTS_OPTIONS.learningRate;
  checkOption(typeof learningRate === 'number' && learningRate > 0 && learningRate <= 10, 'trainIntents', 'learningRate', learningRate, 'a number in (0, 10]');
  const minCount = o.minCount ?? (realCount > 5000 ? 2 : 1);
  checkOption(Number.isInteger(minCount) && minCount >= 1, 'trainIntents', 'minCount', minCount, 'a positive integer');
  const folds = o.folds ?? (realCount > 5000 ? 2 : 5);
  checkOption(Number.isInteger(folds) && folds >= 2 && folds <= 10, 'trainIntents', 'folds', folds, 'an integer from 2 to 10');
  const acceptRate = o.acceptRate ?? DEFAULT_TRAIN_INTENTS_OPTIONS.acceptRate;
  checkOption(typeof acceptRate === 'number' && acceptRate > 0 && acceptRate <= 1, 'trainIntents', 'acceptRate', acceptRate, 'a number in (0, 1]');
  const oosRecall = o.oosRecall ?? DEFAULT_TRAIN_INTENTS_OPTIONS.oosRecall;
  checkOption(oosRecall === 'balanced' || (typeof oosRecall === 'number' && oosRecall > 0 && oosRecall <= 1), 'trainIntents', 'oosRecall', oosRecall, "a number in (0, 1] or 'balanced'");
  const clarifyMargin = o.clarifyMargin ?? DEFAULT_TRAIN_INTENTS_OPTIONS.clarifyMargin;
  checkOption(typeof clarifyMargin === 'number' && clarifyMargin >= 0 && clarifyMargin <= 1, 'trainIntents', 'clarifyMargin', clarifyMargin, 'a number in [0, 1]');
  const clarifyFloor = o.clarifyFloor ?? DEFAULT_TRAIN_INTENTS_OPTIONS.clarifyFloor;
  checkOption(typeof clarifyFloor === 'number' && clarifyFloor >= 0 && clarifyFloor <= 1, 'trainIntents', 'clarifyFloor', clarifyFloor, 'a number in [0, 1]');

  let dictionary: readonly DictionaryEntry[] | null = null;
  let pipeline: TextPipeline;
  if (o.pipeline !== undefined) {
    checkOption(typeof o.pipeline === 'object' && o.pipeline !== null && typeof o.pipeline.analyze === 'function', 'trainIntents', 'pipeline', o.pipeline, 'a TextPipeline');
    pipeline = o.pipeline;
  } else {
    const language = o.language ?? pack?.language ?? 'zh';
    checkOption(language === 'zh' || language === 'en', 'trainIntents', 'language', language, '"zh" or "en"');
    dictionary = pack ? pack.dictionary : [];
    pipeline = createTextPipeline({ language, dictionary });
  }
  // English letters say little alone: character bigrams and trigrams are as accurate on SNIPS and CLINC150 (+0.1 to
  // +0.3 points) and train about 40 % faster than [1, 3]. Chinese keeps unigrams: one Han character is a word.
  const languageDefaults: FeatureOptions = pipeline.language === 'en' ? { charNgrams: [2, 3] } : {};
  const featureOptions: FeatureOptions = { ...languageDefaults, ...(pack ? { synonyms: pack.synonyms } : {}), ...(o.features ?? {}) };
  const featurizer = createIntentFeaturizer({ pipeline, features: featureOptions });

  for (const label of prepared.labels) {
    const count = prepared.y.filter((y, i) => prepared.real[i] && prepared.labels[y] === label).length;
    if (count < 2) {
      o.logger?.('warn', `Intent "${label}" has ${count} example; add at least 5 for reliable classification.`, 'few_examples');
    }
  }

  const counts = prepared.texts.map((t) => featurizer.count(t));
  const { vocab, df } = buildVocabulary(
    counts.filter((_, i) => prepared.real[i]),
    minCount,
  );
  const vocabIndex = new Map(vocab.map((f, i) => [f, i]));
  // IDF values are rounded before use so training sees exactly the numbers saved in the model.
  const idf = df.map((d) => round(inverseDocumentFrequency(d, realCount)));
  const unknownIdf = round(inverseDocumentFrequency(0, realCount));
  const sparse = counts.map((c) => toSparseVector(c, vocabIndex, idf, unknownIdf));
  const embeddingScale = o.embeddingScale ?? 1;
  checkOption(typeof embeddingScale === 'number' && embeddingScale > 0 && embeddingScale <= 100, 'trainIntents', 'embeddingScale', embeddingScale, 'a number in (0, 100]');
  const dense = o.embeddings === undefined ? null : denseFeatures(o.embeddings, prepared);
  const xs = dense === null ? sparse : sparse.map((x, i) => appendDense(x, dense.vectors[i] as Float64Array, vocab.length, embeddingScale));
  const featureCount = vocab.length + (dense === null ? 0 : dense.dim);
  const classes = prepared.labels.length + (prepared.hasOosClass ? 1 : 0);
  const inScopeCount = realCount - prepared.oosExamples;
  const outOfScopeWeight =
    o.outOfScopeWeight ??
    (prepared.oosExamples > 0 ? Math.min(1, inScopeCount / prepared.labels.length / prepared.oosExamples) : 1);
  checkOption(typeof outOfScopeWeight === 'number' && outOfScopeWeight > 0 && outOfScopeWeight <= 100, 'trainIntents', 'outOfScopeWeight', outOfScopeWeight, 'a number in (0, 100]');
  const classBalance = o.classBalance ?? DEFAULT_TRAIN_INTENTS_OPTIONS.classBalance;
  checkOption(typeof classBalance === 'number' && classBalance >= 0 && classBalance <= 1, 'trainIntents', 'classBalance', classBalance, 'a number in [0, 1]');
  const perIntent = new Array<number>(prepared.labels.length).fill(0);
  prepared.y.forEach((c, i) => {
    if (c < prepared.labels.length && prepared.real[i]) perIntent[c] = (perIntent[c] as number) + 1;
  });
  const meanPerIntent = inScopeCount / prepared.labels.length;
  const intentWeight = perIntent.map((count) => (classBalance === 0 || count === 0 ? 1 : round(Math.pow(meanPerIntent / count, classBalance))));
  const sampleWeight = prepared.y.map((c, i) =>
    c === prepared.labels.length ? (prepared.real[i] ? outOfScopeWeight : 1) : (intentWeight[c] as number),
  );
  const sgd = { epochs, l2, learningRate, vocabSize: featureCount, classes, sampleWeight };

  // k-fold cross-validation: held-out logits of every example, for temperature scaling and thresholds.
  const foldOf = assignFolds(prepared.y, classes, folds, seed);
  const cvLogits: Float64Array[] = new Array<Float64Array>(n);
  let cv: IntentModelStats['cv'] = null;
  let temperature = 1;
  let accept = 0;
  let thresholdMethod: IntentModelStats['thresholdMethod'] = prepared.oosExamples === 0 ? 'accept-rate' : oosRecall === 'balanced' ? 'oos-balance' : 'oos-recall';
  const canCrossValidate = realCount >= folds && prepared.labels.length >= 1;
  if (canCrossValidate) {
    for (let f = 0; f < folds; f++) {
      const trainRows: number[] = [];
      const testRows: number[] = [];
      for (let i = 0; i < n; i++) (foldOf[i] === f ? testRows : trainRows).push(i);
      if (testRows.length === 0) continue;
      const fitted = fitSoftmax(xs, prepared.y, trainRows, sgd, seed + 1 + f);
      for (const i of testRows) cvLogits[i] = scoreRaw(fitted.w, fitted.b, classes, xs[i] as SparseVector);
    }
    const realRows = [...Array(n).keys()].filter((i) => prepared.real[i] && cvLogits[i] !== undefined);
    temperature = fitTemperature(
      realRows.map((i) => cvLogits[i] as Float64Array),
      realRows.map((i) => prepared.y[i] as number),
    );
    const tuned = tuneThresholds(prepared, realRows, cvLogits, temperature, acceptRate, oosRecall, clarifyMargin, clarifyFloor);
    accept = tuned.accept;
    cv = tuned.cv;
  } else {
    thresholdMethod = 'accept-rate';
    o.logger?.('warn', `Only ${realCount} examples: too few for ${folds}-fold cross-validation; using temperature 1 and threshold 0.`, 'few_examples');
  }

  const finalFit = fitSoftmax(xs, prepared.y, [...Array(n).keys()], sgd, seed);
  const { weights, bias, vocab: keptVocab, idf: keptIdf } = exportWeights(finalFit.w, finalFit.b, classes, vocab, idf);

  const thresholds: IntentThresholds = { accept: round(accept), clarifyMargin, clarifyFloor };
  const normalize = { ...pipeline.normalizer.options };
  return {
    format: INTENT_MODEL_FORMAT,
    formatVersion: INTENT_MODEL_FORMAT_VERSION,
    tokenizer: pipeline.tokenizer.id,
    embedder: dense === null ? null : { id: dense.id, dim: dense.dim, scale: embeddingScale, weights: denseWeights(finalFit.w, classes, vocab.length, dense.dim) },
    text: { language: pipeline.language, normalize, dictionary: dictionary === null ? null : dictionary.map((d) => ({ ...d })) },
    features: featurizer.config,
    labels: prepared.labels,
    outOfScopeClass: prepared.hasOosClass,
    vocab: keptVocab,
    idf: keptIdf,
    unknownIdf,
    weights,
    bias,
    temperature: Number(temperature.toPrecision(6)),
    thresholds,
    stats: {
      examples: realCount,
      outOfScopeExamples: prepared.oosExamples,
      intents: prepared.labels.length,
      features: keptVocab.length,
      seed,
      epochs,
      l2,
      learningRate,
      classBalance,
      minCount,
      folds,
      thresholdMethod,
      acceptRate,
      oosRecall,
      cv,
    },
  };
}

/**
 * Embeds every training text with `embedder` (in batches) and trains with those vectors as extra features: the async
 * counterpart of {@link trainIntents}, for embedders that run a model. Classify with
 * `createIntentClassifier(model, { embedder })` and `classifyAsync`, or pass each message's vector to `classify`.
 *
 * @example
 * ```ts
 * const embedder = await createOnnxEmbedder({ modelDir: 'models/bge-small-zh-v1.5' });
 * const model = await trainIntentsWithEmbedder(pack, { embedder });
 * const result = await createIntentClassifier(model, { embedder }).classifyAsync('快递到哪了');
 * ```
 */
export async function trainIntentsWithEmbedder(
  data: IntentTrainingData,
  options: Omit<TrainIntentsOptions, 'embeddings'> & { readonly embedder: Embedder; readonly batchSize?: number },
): Promise<IntentModel> {
  assertOptions(options, 'trainIntentsWithEmbedder');
  const { embedder, batchSize = 64, ...rest } = options;
  checkOption(
    typeof embedder === 'object' && embedder !== null && typeof embedder.embed === 'function' && Number.isInteger(embedder.dim) && embedder.dim > 0,
    'trainIntentsWithEmbedder',
    'embedder',
    embedder,
    'an Embedder { id, dim, embed(texts) }',
  );
  checkOption(Number.isInteger(batchSize) && batchSize >= 1, 'trainIntentsWithEmbedder', 'batchSize', batchSize, 'a positive integer');
  const texts = [...new Set(prepare(data).texts.filter((t) => t !== ''))];
  const vectors = new Map<string, ArrayLike<number>>();
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const out = await embedder.embed(batch);
    batch.forEach((t, j) => {
      const v = out[j];
      if (v !== undefined) vectors.set(t, v);
    });
  }
  return trainIntents(data, { ...rest, embeddings: { id: embedder.id, dim: embedder.dim, vectors } });
}

/** Checks the supplied vectors and returns one unit-length vector per prepared example (zeros for background rows). */
function denseFeatures(e: IntentEmbeddings, p: Prepared): { id: string; dim: number; vectors: Float64Array[] } {
  const ok = typeof e === 'object' && e !== null && typeof e.id === 'string' && e.id !== '' && Number.isInteger(e.dim) && e.dim > 0 && e.vectors instanceof Map;
  checkOption(ok, 'trainIntents', 'embeddings', e, '{ id, dim, vectors: Map<text, vector> }');
  const issues: string[] = [];
  const vectors = p.texts.map((text, i) => {
    const out = new Float64Array(e.dim);
    if (!p.real[i]) return out;
    const v = e.vectors.get(text);
    if (v === undefined) {
      issues.push(`no vector for ${JSON.stringify(text.slice(0, 40))}`);
      return out;
    }
    if (v.length !== e.dim) {
      issues.push(`the vector of ${JSON.stringify(text.slice(0, 40))} has ${v.length} dimensions, expected ${e.dim}`);
      return out;
    }
    let norm2 = 0;
    for (let j = 0; j < e.dim; j++) {
      const x = Number(v[j]);
      if (!Number.isFinite(x)) {
        issues.push(`the vector of ${JSON.stringify(text.slice(0, 40))} has a non-finite value`);
        return out;
      }
      out[j] = x;
      norm2 += x * x;
    }
    const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
    for (let j = 0; j < e.dim; j++) out[j] = (out[j] as number) * inv;
    return out;
  });
  if (issues.length > 0) {
    const code = issues.some((m) => m.includes('dimensions')) ? 'EMBEDDING_DIM_MISMATCH' : 'TRAINING_DATA_INVALID';
    throw new KefuError(
      code,
      `trainIntents: ${issues.length} problem(s) with the embeddings: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. Embed every training text with the same embedder.`,
      { issues },
    );
  }
  return { id: e.id, dim: e.dim, vectors };
}

/** The sparse vector with the scaled dense vector appended at feature indices `offset…offset + dim − 1`. */
function appendDense(x: SparseVector, v: Float64Array, offset: number, scale: number): SparseVector {
  const n = x.index.length;
  const index = new Int32Array(n + v.length);
  const value = new Float64Array(n + v.length);
  index.set(x.index);
  value.set(x.value);
  for (let j = 0; j < v.length; j++) {
    index[n + j] = offset + j;
    value[n + j] = (v[j] as number) * scale;
  }
  return { index, value };
}

/** The dense part of the feature-major weights, as one rounded row of `dim` weights per class. */
function denseWeights(w: Float32Array, C: number, offset: number, dim: number): number[][] {
  return Array.from({ length: C }, (_, k) => Array.from({ length: dim }, (_, j) => round(w[(offset + j) * C + k] as number)));
}

/** Collects texts and labels, checking every example; reports all problems at once. */
function prepare(data: IntentTrainingData): Prepared {
  const issues: string[] = [];
  const items: { text: string; intent: string | null }[] = [];
  if (Array.isArray(data)) {
    (data as readonly unknown[]).forEach((raw, i) => {
      const e = raw as Record<string, unknown> | null;
      if (typeof e !== 'object' || e === null) {
        issues.push(`[${i}] must be an object { text, intent }, got ${describe(raw)}`);
        return;
      }
      const okText = typeof e.text === 'string';
      const okIntent = e.intent === null || (typeof e.intent === 'string' && e.intent.trim() !== '');
      if (!okText) issues.push(`[${i}].text must be a string, got ${describe(e.text)}`);
      if (!okIntent) issues.push(`[${i}].intent must be a non-empty string or null (out of scope), got ${describe(e.intent)}`);
      if (okText && okIntent) items.push({ text: e.text as string, intent: e.intent as string | null });
    });
  } else if (typeof data === 'object' && data !== null && Array.isArray((data as Pack).intents)) {
    const pack = data as Pack;
    // Only intents[].examples and outOfScope: pack tests are held out by construction and never read here.
    for (const intent of pack.intents) for (const ex of intent.examples) items.push({ text: ex.text, intent: intent.name });
    for (const ex of pack.outOfScope ?? []) items.push({ text: ex.text, intent: null });
  } else {
    throw new KefuError(
      'TRAINING_DATA_INVALID',
      `trainIntents: data must be a Pack from loadPack() or an array of { text, intent }, got ${describe(data)}.`,
      { issues: ['data has the wrong type'] },
    );
  }
  if (issues.length > 0) {
    throw new KefuError(
      'TRAINING_DATA_INVALID',
      `trainIntents: ${issues.length} malformed example(s): ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. Fix them and train again.`,
      { issues },
    );
  }
  const labels = [...new Set(items.flatMap((e) => (e.intent === null ? [] : [e.intent])))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length === 0) {
    throw new KefuError(
      'TRAINING_DATA_INVALID',
      `trainIntents: no in-scope examples (${items.length} example(s), all out of scope or none). Add at least one intent with examples.`,
      { issues: ['no in-scope examples'] },
    );
  }
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const oosExamples = items.filter((e) => e.intent === null).length;
  const y = items.map((e) => (e.intent === null ? labels.length : (labelIndex.get(e.intent) as number)));
  const texts = items.map((e) => e.text);
  const real = items.map(() => true);
  // One intent and no out-of-scope data: softmax over one class is constant, so add a bias-only background class
  // (empty feature vectors). Messages sharing the intent's features then score high and unrelated ones low.
  const background = labels.length === 1 && oosExamples === 0;
  if (background) {
    const k = items.length;
    for (let i = 0; i < k; i++) {
      y.push(labels.length);
      texts.push('');
      real.push(false);
    }
  }
  return { labels, y, texts, real, oosExamples, hasOosClass: oosExamples > 0 || background };
}

/** Stratified, seeded fold assignment: each class is shuffled and dealt round-robin, continuing where the last ended. */
function assignFolds(y: readonly number[], classes: number, folds: number, seed: number): Int32Array {
  const out = new Int32Array(y.length);
  const random = createRandom(seed ^ 0x5bd1e995);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  y.forEach((c, i) => (byClass[c] as number[]).push(i));
  let next = 0;
  for (const rows of byClass) {
    shuffleInPlace(rows, random);
    for (const i of rows) {
      out[i] = next;
      next = (next + 1) % folds;
    }
  }
  return out;
}

interface SgdSettings {
  readonly epochs: number;
  readonly l2: number;
  readonly learningRate: number;
  readonly vocabSize: number;
  readonly classes: number;
  readonly sampleWeight: readonly number[];
}

/**
 * Multinomial logistic regression by SGD on L2-normalised sparse vectors. Weights are feature-major (`w[f * C + k]`)
 * so one feature's class weights are contiguous: the forward pass and the update are both `nnz × C` contiguous loops.
 * The L2 shrinkage of all weights is kept as one scalar `scale` (true weight = scale × w), so each step costs only the
 * example's features (Bottou's trick). The step size decays linearly to zero.
 */
function fitSoftmax(
  xs: readonly SparseVector[],
  y: readonly number[],
  rows: readonly number[],
  s: SgdSettings,
  seed: number,
): { w: Float32Array; b: Float64Array } {
  const C = s.classes;
  // Float32 halves the memory traffic of the nnz × C inner loops; the scale trick keeps values well inside its range.
  const w = new Float32Array(s.vocabSize * C);
  const b = new Float64Array(C);
  const z = new Float64Array(C);
  const active = new Int32Array(C);
  const order = [...rows];
  const random = createRandom(seed);
  const total = s.epochs * order.length;
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = xs[i] as SparseVector;
      const label = y[i] as number;
      const eta = s.learningRate * (1 - t / total) * (s.sampleWeight[i] as number);
      t++;
      // Forward.
      z.set(b);
      accumulateLogits(w, C, x, scale, z);
      const xi = x.index;
      const xv = x.value;
      const nnz = xi.length;
      softmaxInto(z, 1, z);
      z[label] = (z[label] as number) - 1;
      // Classes with a negligible gradient (probability ≈ 0) are skipped: once the model fits, that is almost all
      // of them, which makes the update cost nnz × (few classes) instead of nnz × C.
      let na = 0;
      for (let k = 0; k < C; k++) if (Math.abs(z[k] as number) > SKIP_GRADIENT_BELOW) active[na++] = k;
      // Shrink, then step.
      scale *= 1 - eta * s.l2;
      if (scale < 1e-6) {
        for (let q = 0; q < w.length; q++) w[q] = (w[q] as number) * scale;
        scale = 1;
      }
      for (let j = 0; j < nnz; j++) {
        const row = (xi[j] as number) * C;
        const coef = (eta * (xv[j] as number)) / scale;
        for (let a = 0; a < na; a++) {
          const k = active[a] as number;
          w[row + k] = (w[row + k] as number) - coef * (z[k] as number);
        }
      }
      for (let a = 0; a < na; a++) {
        const k = active[a] as number;
        b[k] = (b[k] as number) - eta * (z[k] as number);
      }
    }
  }
  if (scale !== 1) for (let q = 0; q < w.length; q++) w[q] = (w[q] as number) * scale;
  return { w, b };
}

/**
 * Adds `scale × (x · W)` to `z`: the hot loop of training (nnz × C per example). Four features are taken per pass
 * over the classes, which cuts the loads and stores of `z` by four and runs about twice as fast in V8 as one
 * feature at a time (the summation order is fixed, so results stay deterministic).
 */
function accumulateLogits(w: Float32Array, C: number, x: SparseVector, scale: number, z: Float64Array): void {
  const xi = x.index;
  const xv = x.value;
  const nnz = xi.length;
  let j = 0;
  for (; j + 3 < nnz; j += 4) {
    const v0 = (xv[j] as number) * scale;
    const v1 = (xv[j + 1] as number) * scale;
    const v2 = (xv[j + 2] as number) * scale;
    const v3 = (xv[j + 3] as number) * scale;
    const r0 = (xi[j] as number) * C;
    const r1 = (xi[j + 1] as number) * C;
    const r2 = (xi[j + 2] as number) * C;
    const r3 = (xi[j + 3] as number) * C;
    for (let k = 0; k < C; k++) {
      z[k] =
        (z[k] as number) +
        v0 * (w[r0 + k] as number) +
        v1 * (w[r1 + k] as number) +
        v2 * (w[r2 + k] as number) +
        v3 * (w[r3 + k] as number);
    }
  }
  for (; j < nnz; j++) {
    const v = (xv[j] as number) * scale;
    const r = (xi[j] as number) * C;
    for (let k = 0; k < C; k++) z[k] = (z[k] as number) + v * (w[r + k] as number);
  }
}

function scoreRaw(w: Float32Array, b: Float64Array, C: number, x: SparseVector): Float64Array {
  const z = Float64Array.from(b);
  accumulateLogits(w, C, x, 1, z);
  return z;
}

/** The accept threshold and cross-validated figures, from calibrated held-out probabilities. */
function tuneThresholds(
  p: Prepared,
  rows: readonly number[],
  cvLogits: readonly (Float64Array | undefined)[],
  temperature: number,
  acceptRate: number,
  oosRecall: number | 'balanced',
  clarifyMargin: number,
  clarifyFloor: number,
): { accept: number; cv: NonNullable<IntentModelStats['cv']> } {
  const K = p.labels.length;
  interface Row {
    readonly top: number;
    readonly topProb: number;
    readonly second: number;
    readonly oosArgmax: boolean;
    readonly oosProb: number;
    readonly inScope: boolean;
    readonly correct: boolean;
  }
  const data: Row[] = rows.map((i) => {
    const z = cvLogits[i] as Float64Array;
    const prob = softmaxInto(z, temperature, new Float64Array(z.length));
    let top = 0;
    let second = -1;
    for (let k = 1; k < K; k++) {
      if ((prob[k] as number) > (prob[top] as number)) {
        second = top;
        top = k;
      } else if (second < 0 || (prob[k] as number) > (prob[second] as number)) second = k;
    }
    const topProb = prob[top] as number;
    const label = p.y[i] as number;
    return {
      top,
      topProb,
      second: second < 0 ? 0 : (prob[second] as number),
      oosArgmax: p.hasOosClass && (prob[K] as number) > topProb,
      oosProb: p.hasOosClass ? (prob[K] as number) : 0,
      inScope: label < K,
      correct: label === top,
    };
  });
  const inScope = data.filter((r) => r.inScope);
  const oos = data.filter((r) => !r.inScope);
  let accept: number;
  if (p.oosExamples === 0) {
    // Accept the stated share of in-scope examples: the (1 − rate) quantile of their top probabilities.
    const sorted = inScope.filter((r) => !r.oosArgmax).map((r) => r.topProb).sort((a, b) => a - b);
    const at = Math.floor((1 - acceptRate) * inScope.length) - (inScope.length - sorted.length);
    accept = at <= 0 || sorted.length === 0 ? 0 : (sorted[Math.min(at, sorted.length - 1)] as number);
  } else if (oosRecall !== 'balanced') {
    // The lowest threshold that declines the target share of out-of-scope examples: raising it past the k-th
    // smallest out-of-scope top probability declines k more of them. Out-of-scope arg-max rows are declined anyway;
    // rows in the clarify zone are asked about whatever the threshold, so no threshold can decline them.
    const clarifies = (r: Row): boolean => r.second >= clarifyFloor && r.topProb - r.second < clarifyMargin;
    const candidates = oos.filter((r) => !r.oosArgmax && !clarifies(r)).map((r) => r.topProb).sort((a, b) => a - b);
    const alreadyDeclined = oos.filter((r) => r.oosArgmax).length;
    const need = Math.ceil(oosRecall * oos.length - 1e-9) - alreadyDeclined;
    if (need <= 0 || candidates.length === 0) accept = 0;
    else {
      const k = Math.min(need, candidates.length) - 1;
      const t = candidates[k] as number;
      const next = candidates.find((c) => c > t);
      // Just above the k-th value (midway to the next distinct one), so that example is declined.
      accept = next === undefined ? Math.min(1, t + 1e-6) : (t + next) / 2;
    }
  } else {
    // Maximise in-scope accuracy (correct and accepted) + out-of-scope recall (rejected), sweeping every candidate.
    const events = data
      .filter((r) => !r.oosArgmax)
      .map((r) => ({ t: r.topProb, inCorrect: r.inScope && r.correct ? 1 : 0, oos: r.inScope ? 0 : 1 }))
      .sort((a, b) => a.t - b.t);
    const nIn = Math.max(1, inScope.length);
    const nOos = Math.max(1, oos.length);
    let accepted = events.reduce((s, e) => s + e.inCorrect, 0);
    let oosRejected = oos.length - events.reduce((s, e) => s + e.oos, 0);
    let best = accepted / nIn + oosRejected / nOos;
    accept = 0;
    for (let j = 0; j < events.length; j++) {
      const e = events[j] as (typeof events)[number];
      accepted -= e.inCorrect;
      oosRejected += e.oos;
      const next = events[j + 1];
      if (next !== undefined && next.t === e.t) continue;
      const score = accepted / nIn + oosRejected / nOos;
      if (score > best + 1e-12) {
        best = score;
        // Midway to the next candidate, so the threshold does not sit exactly on a training value.
        accept = next === undefined ? e.t : (e.t + next.t) / 2;
      }
    }
  }
  const isAccepted = (r: Row): boolean =>
    !r.oosArgmax && (r.topProb >= accept || (r.second >= clarifyFloor && r.topProb - r.second < clarifyMargin));
  const isClarify = (r: Row): boolean => !r.oosArgmax && r.second >= clarifyFloor && r.topProb - r.second < clarifyMargin;
  // Calibration of the full prediction: the arg-max over intents and the out-of-scope class.
  const ece = expectedCalibrationError({
    confidences: data.map((r) => (r.oosArgmax ? r.oosProb : r.topProb)),
    correct: data.map((r) => (r.oosArgmax ? !r.inScope : r.inScope && r.correct)),
  });
  return {
    accept,
    cv: {
      accuracy: round(inScope.filter((r) => r.correct).length / Math.max(1, inScope.length)),
      ece: round(ece),
      inScopeAcceptRate: round(inScope.filter(isAccepted).length / Math.max(1, inScope.length)),
      oosRecall: p.oosExamples > 0 ? round(oos.filter((r) => !isAccepted(r)).length / Math.max(1, oos.length)) : null,
      clarifyRate: round(inScope.filter(isClarify).length / Math.max(1, inScope.length)),
    },
  };
}

/** Rounds and prunes the weights into sparse rows per class; features left with no weight are dropped. */
function exportWeights(
  w: Float32Array,
  b: Float64Array,
  C: number,
  vocab: readonly string[],
  idf: readonly number[],
): { weights: SparseRow[]; bias: number[]; vocab: string[]; idf: number[] } {
  const V = vocab.length;
  // Adding the same value to all of a feature's class weights adds the same amount to every logit, which softmax
  // ignores. Centring each row on its median therefore changes no probability, and leaves most weights near zero
  // (the classes a feature says nothing about), so pruning them keeps the file small.
  const sorted = new Float64Array(C);
  for (let f = 0; f < V; f++) {
    for (let k = 0; k < C; k++) sorted[k] = w[f * C + k] as number;
    sorted.sort();
    const median = C % 2 === 1 ? (sorted[(C - 1) / 2] as number) : ((sorted[C / 2 - 1] as number) + (sorted[C / 2] as number)) / 2;
    for (let k = 0; k < C; k++) w[f * C + k] = (w[f * C + k] as number) - median;
  }
  const keep = new Int32Array(V).fill(-1);
  const kept: string[] = [];
  const keptIdf: number[] = [];
  for (let f = 0; f < V; f++) {
    for (let k = 0; k < C; k++) {
      if (Math.abs(w[f * C + k] as number) >= PRUNE_BELOW) {
        keep[f] = kept.length;
        kept.push(vocab[f] as string);
        keptIdf.push(idf[f] as number);
        break;
      }
    }
  }
  const weights: SparseRow[] = [];
  for (let k = 0; k < C; k++) {
    const index: number[] = [];
    const value: number[] = [];
    for (let f = 0; f < V; f++) {
      const v = w[f * C + k] as number;
      const nf = keep[f] as number;
      if (nf >= 0 && Math.abs(v) >= PRUNE_BELOW) {
        index.push(nf);
        value.push(round(v));
      }
    }
    weights.push({ index, value });
  }
  return { weights, bias: Array.from(b, (v) => round(v)), vocab: kept, idf: keptIdf };
}

function round(v: number): number {
  const r = Math.round(v * DECIMALS) / DECIMALS;
  return r === 0 ? 0 : r;
}
