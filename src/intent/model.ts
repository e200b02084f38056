import { KefuError } from '../errors.js';
import { parseArtifactJson } from '../internal/json.js';
import { describe } from '../internal/assert.js';
import type { DictionaryEntry, NormalizeOptions } from '../text/index.js';
import type { Lang } from '../types.js';
import type { FeatureConfig } from './features.js';

/** The `format` tag of a saved intent model. */
export const INTENT_MODEL_FORMAT = 'kefu/intent-model';
/** The only `formatVersion` this release reads and writes. */
export const INTENT_MODEL_FORMAT_VERSION = 1;

/** Decision thresholds on calibrated probabilities; tuned at training time, overridable per call. */
export interface IntentThresholds {
  /** The top intent is accepted when its calibrated probability is at least this. */
  readonly accept: number;
  /** Ask the user to choose when the top two probabilities differ by less than this … */
  readonly clarifyMargin: number;
  /** … and both are at least this. */
  readonly clarifyFloor: number;
}

/**
 * The embedding features of a model trained with sentence vectors: which embedder (its `id` and `dim` must match at
 * classification time), the factor the unit vector is scaled by next to the sparse features, and one weight row of
 * `dim` numbers per class (labels, then the out-of-scope class).
 */
export interface IntentModelEmbedder {
  readonly id: string;
  readonly dim: number;
  readonly scale: number;
  readonly weights: readonly (readonly number[])[];
}

/** Cross-validated figures measured while training, so users can judge a model without a test set. */
export interface IntentModelStats {
  readonly examples: number;
  readonly outOfScopeExamples: number;
  readonly intents: number;
  readonly features: number;
  readonly seed: number;
  readonly epochs: number;
  readonly l2: number;
  /** Initial SGD step size (absent in models saved before it was recorded, which trained with 1). */
  readonly learningRate?: number;
  /** Class-balancing exponent of in-scope example weights (absent in models saved before it existed: 0). */
  readonly classBalance?: number;
  readonly minCount: number;
  readonly folds: number;
  /** How `thresholds.accept` was chosen: a target in-scope accept rate, or the best in-scope accuracy + OOS recall. */
  readonly thresholdMethod: 'accept-rate' | 'oos-balance' | 'oos-recall';
  readonly acceptRate: number;
  /** The out-of-scope operating point the threshold was tuned to (when the data had out-of-scope examples). */
  readonly oosRecall?: number | 'balanced';
  readonly cv: {
    /** Accuracy of the top in-scope intent on in-scope examples (no threshold). */
    readonly accuracy: number;
    /** Expected calibration error (10 bins) of the calibrated arg-max probability (intents and out-of-scope class). */
    readonly ece: number;
    /** Share of in-scope examples accepted by the tuned threshold (`decision !== 'fallback'`). */
    readonly inScopeAcceptRate: number;
    /** Share of out-of-scope examples rejected; null without out-of-scope examples. */
    readonly oosRecall: number | null;
    /** Share of in-scope examples that would get `clarify`. */
    readonly clarifyRate: number;
  } | null;
}

/** The text pipeline a model was trained with; a classifier rebuilds it from this when none is passed. */
export interface IntentModelText {
  readonly language: Lang;
  readonly normalize: Readonly<Required<NormalizeOptions>>;
  /** The jieba user dictionary, or null when training used a caller-supplied pipeline. */
  readonly dictionary: readonly DictionaryEntry[] | null;
}

/** One sparse weight row: strictly increasing feature indices and their weights. */
export interface SparseRow {
  readonly index: readonly number[];
  readonly value: readonly number[];
}

/**
 * A trained intent classifier as plain JSON. Rows of `weights`/`bias` are the `labels` in order, then, when
 * `outOfScopeClass` is true, one internal out-of-scope class (never reported as an intent).
 */
export interface IntentModel {
  readonly format: typeof INTENT_MODEL_FORMAT;
  readonly formatVersion: typeof INTENT_MODEL_FORMAT_VERSION;
  readonly tokenizer: string;
  /** `null` for a text-only model; otherwise the embedder it was trained with and the embedding weights. */
  readonly embedder: IntentModelEmbedder | null;
  readonly text: IntentModelText;
  readonly features: FeatureConfig;
  readonly labels: readonly string[];
  readonly outOfScopeClass: boolean;
  readonly vocab: readonly string[];
  /** Inverse document frequency of each `vocab` feature. */
  readonly idf: readonly number[];
  /** The IDF given to features missing from `vocab` (they still count in a message's vector norm). */
  readonly unknownIdf: number;
  readonly weights: readonly SparseRow[];
  readonly bias: readonly number[];
  readonly temperature: number;
  readonly thresholds: IntentThresholds;
  readonly stats: IntentModelStats;
}

/**
 * Serialises a model to JSON text. The output is deterministic: the same model always gives the same bytes.
 *
 * @example
 * ```ts
 * await writeFile('intent-model.json', serializeIntentModel(trainIntents(pack)));
 * ```
 */
export function serializeIntentModel(model: IntentModel): string {
  validateIntentModel(model);
  return JSON.stringify(model);
}

/**
 * Parses and validates a saved model. Throws `FORMAT_VERSION_UNSUPPORTED` for another format or version and
 * `MODEL_INVALID` for malformed content.
 *
 * @example
 * ```ts
 * const model = parseIntentModel(await readFile('intent-model.json', 'utf8'));
 * ```
 */
export function parseIntentModel(json: string): IntentModel {
  const value = parseArtifactJson(json, 'parseIntentModel', 'The intent model', 'serializeIntentModel');
  validateIntentModel(value);
  return value;
}

/** Throws unless `value` is a well-formed {@link IntentModel}; lists every problem found in `details.issues`. */
export function validateIntentModel(value: unknown): asserts value is IntentModel {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KefuError('MODEL_INVALID', `An intent model must be an object, got ${describe(value)}. Load it with parseIntentModel().`, {});
  }
  const m = value as Record<string, unknown>;
  if (m.format !== INTENT_MODEL_FORMAT || m.formatVersion !== INTENT_MODEL_FORMAT_VERSION) {
    throw new KefuError(
      'FORMAT_VERSION_UNSUPPORTED',
      `Unsupported model format ${describe(m.format)} version ${describe(m.formatVersion)}; this kefu reads ` +
        `"${INTENT_MODEL_FORMAT}" version ${INTENT_MODEL_FORMAT_VERSION}. Retrain the model with this kefu version.`,
      { format: m.format, formatVersion: m.formatVersion, supported: [INTENT_MODEL_FORMAT_VERSION] },
    );
  }
  const issues: string[] = [];
  const need = (ok: boolean, what: string): boolean => {
    if (!ok) issues.push(what);
    return ok;
  };
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const isStrArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  need(typeof m.tokenizer === 'string' && m.tokenizer !== '', 'tokenizer must be a non-empty string');
  const e = m.embedder as Record<string, unknown> | null | undefined;
  if (need(e === null || (typeof e === 'object' && e !== undefined && !Array.isArray(e)), 'embedder must be null or { id, dim, scale, weights }') && e !== null && e !== undefined) {
    need(typeof e.id === 'string' && e.id !== '', 'embedder.id must be a non-empty string');
    const dimOk = need(Number.isInteger(e.dim) && (e.dim as number) > 0, 'embedder.dim must be a positive integer');
    need(isNum(e.scale) && e.scale > 0, 'embedder.scale must be a positive number');
    const classes = isStrArray(m.labels) ? m.labels.length + (m.outOfScopeClass === true ? 1 : 0) : -1;
    need(
      Array.isArray(e.weights) &&
        (classes < 0 || e.weights.length === classes) &&
        e.weights.every((r) => Array.isArray(r) && (!dimOk || r.length === e.dim) && r.every(isNum)),
      `embedder.weights must be ${classes} rows of embedder.dim finite numbers`,
    );
  }
  const text = m.text as Record<string, unknown> | null | undefined;
  if (need(typeof text === 'object' && text !== null, 'text must be an object')) {
    need(text?.language === 'zh' || text?.language === 'en', 'text.language must be "zh" or "en"');
    need(typeof text?.normalize === 'object' && text.normalize !== null, 'text.normalize must be an object');
    need(text?.dictionary === null || Array.isArray(text?.dictionary), 'text.dictionary must be an array or null');
  }
  const f = m.features as Record<string, unknown> | null | undefined;
  if (need(typeof f === 'object' && f !== null, 'features must be an object')) {
    const r = f?.charNgrams;
    need(r === null || (Array.isArray(r) && r.length === 2 && r.every(isNum)), 'features.charNgrams must be null or [min, max]');
    for (const k of ['words', 'stems', 'pinyin']) need(typeof f?.[k] === 'boolean', `features.${k} must be a boolean`);
    need(f?.wordBigrams === undefined || typeof f.wordBigrams === 'boolean', 'features.wordBigrams must be a boolean when present');
    need(Array.isArray(f?.synonyms) && (f.synonyms as unknown[]).every(isStrArray), 'features.synonyms must be string arrays');
  }
  const labelsOk = need(isStrArray(m.labels) && m.labels.length > 0, 'labels must be a non-empty array of strings');
  need(typeof m.outOfScopeClass === 'boolean', 'outOfScopeClass must be a boolean');
  const vocabOk = need(isStrArray(m.vocab), 'vocab must be an array of strings');
  need(
    Array.isArray(m.idf) && m.idf.every(isNum) && (!vocabOk || m.idf.length === (m.vocab as string[]).length),
    'idf must be finite numbers, one per vocab entry',
  );
  need(isNum(m.unknownIdf) && m.unknownIdf > 0, 'unknownIdf must be a positive number');
  const rows = labelsOk ? (m.labels as string[]).length + (m.outOfScopeClass === true ? 1 : 0) : -1;
  const vocabSize = vocabOk ? (m.vocab as string[]).length : 0;
  if (need(Array.isArray(m.weights), 'weights must be an array')) {
    const w = m.weights as unknown[];
    if (rows >= 0) need(w.length === rows, `weights must have ${rows} rows (labels + out-of-scope class), got ${w.length}`);
    w.forEach((row, k) => {
      const r = row as Record<string, unknown> | null;
      if (!need(typeof r === 'object' && r !== null && Array.isArray(r.index) && Array.isArray(r.value), `weights[${k}] must be { index, value }`)) return;
      const index = r?.index as unknown[];
      const val = r?.value as unknown[];
      need(index.length === val.length, `weights[${k}].index and .value must have the same length`);
      let prev = -1;
      let ok = true;
      for (const i of index) {
        if (!Number.isInteger(i) || (i as number) <= prev || (i as number) >= vocabSize) ok = false;
        prev = i as number;
      }
      need(ok, `weights[${k}].index must be increasing integers below vocab.length (${vocabSize})`);
      need(val.every(isNum), `weights[${k}].value must be finite numbers`);
    });
  }
  need(Array.isArray(m.bias) && m.bias.every(isNum) && (rows < 0 || m.bias.length === rows), `bias must be ${rows} finite numbers`);
  need(isNum(m.temperature) && m.temperature > 0, 'temperature must be a positive number');
  const t = m.thresholds as Record<string, unknown> | null | undefined;
  need(
    typeof t === 'object' && t !== null && isNum(t.accept) && isNum(t.clarifyMargin) && isNum(t.clarifyFloor),
    'thresholds must be { accept, clarifyMargin, clarifyFloor } numbers',
  );
  if (need(typeof m.stats === 'object' && m.stats !== null && !Array.isArray(m.stats), 'stats must be an object')) {
    const st = m.stats as Record<string, unknown>;
    need(st.learningRate === undefined || (isNum(st.learningRate) && st.learningRate > 0), 'stats.learningRate must be a positive number when present');
    need(
      st.classBalance === undefined || (isNum(st.classBalance) && st.classBalance >= 0 && st.classBalance <= 1),
      'stats.classBalance must be a number in [0, 1] when present',
    );
  }
  if (issues.length > 0) {
    throw new KefuError(
      'MODEL_INVALID',
      `The intent model is malformed: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}. Retrain it or load the file written by serializeIntentModel().`,
      { issues },
    );
  }
}
