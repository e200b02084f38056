import { readFile, writeFile } from 'node:fs/promises';
import { KefuError } from '../errors.js';
import { assertOptions, assertText, checkOption, describe } from '../internal/assert.js';
import { createIntentClassifier, parseIntentModel, serializeIntentModel, type IntentModel } from '../intent/index.js';
import type { TextPipeline } from '../text/index.js';
import { DEFAULT_FAQ_CLASSIFIER_CONFIG } from './classifier.js';
import { createFaqIndex, mutable, stateOf } from './faq-index.js';
import type { FaqEmbedderInfo, FaqIndex, FaqIndexConfig, FaqRecord, FaqThresholds } from './types.js';
import { checkSameEmbedder } from './vectors.js';

/** The `format` of a saved FAQ index. */
export const FAQ_INDEX_FORMAT = 'kefu/faq-index';
/**
 * The `formatVersion` this kefu writes. Version 2 added the classifier (`config.classifier` and `classifierModel`);
 * version 1 files still load, lexical-only as they were saved (their thresholds are on the lexical score).
 */
export const FAQ_INDEX_FORMAT_VERSION = 2;
/** Versions {@link parseFaqIndex} reads. */
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** The JSON half of a saved index. Lexical postings are not stored: loading rebuilds them from `entries`. */
export interface FaqIndexJson {
  readonly format: typeof FAQ_INDEX_FORMAT;
  readonly formatVersion: typeof FAQ_INDEX_FORMAT_VERSION;
  /** Id of the tokenizer the index was built with; a different one on load is PIPELINE_MISMATCH. */
  readonly tokenizer: string;
  readonly config: FaqIndexConfig;
  readonly thresholds: FaqThresholds;
  readonly embedder: FaqEmbedderInfo | null;
  readonly entries: readonly FaqRecord[];
  /** Per entry, per indexed question: its row in the vector file, or -1. Present when `embedder` is. */
  readonly vectorRows: readonly (readonly number[])[] | null;
  /** Rows in the vector file (each `embedder.dim` float32 values, little-endian). */
  readonly vectorCount: number;
  /** The trained classifier (an intent model whose labels are entry ids), or null when the index has none. */
  readonly classifierModel: IntentModel | null;
}

/** A serialised index: JSON text and the vectors (null without an embedder), for the `.f32` sidecar file. */
export interface SerializedFaqIndex {
  readonly json: string;
  readonly vectors: Float32Array | null;
}

/**
 * Serialises an index: entries, settings, thresholds, the tokenizer id, the embedder's id and dimension, and the
 * vectors as one Float32Array. Synchronous; `saveFaqIndex` writes both to disk.
 *
 * @example
 * ```ts
 * const { json, vectors } = serializeFaqIndex(index);
 * const copy = parseFaqIndex(json, { vectors });
 * ```
 */
export function serializeFaqIndex(index: FaqIndex): SerializedFaqIndex {
  const state = stateOf(index, 'serializeFaqIndex');
  const entries: FaqRecord[] = [];
  const rows: number[][] = [];
  const chunks: Float32Array[] = [];
  for (const slot of state.slots.values()) {
    entries.push(slot.record);
    if (index.embedder !== null) {
      rows.push(
        slot.docs.map((d) => {
          const v = state.vectors[d];
          if (!v) return -1;
          chunks.push(v);
          return chunks.length - 1;
        }),
      );
    }
  }
  const dim = index.embedder?.dim ?? 0;
  let vectors: Float32Array | null = null;
  if (index.embedder !== null) {
    vectors = new Float32Array(chunks.length * dim);
    chunks.forEach((v, i) => (vectors as Float32Array).set(v, i * dim));
  }
  const out: FaqIndexJson = {
    format: FAQ_INDEX_FORMAT,
    formatVersion: FAQ_INDEX_FORMAT_VERSION,
    tokenizer: index.pipeline.tokenizer.id,
    config: index.config,
    thresholds: index.thresholds,
    embedder: index.embedder,
    entries,
    vectorRows: index.embedder === null ? null : rows,
    vectorCount: chunks.length,
    classifierModel: state.classifier === null ? null : (JSON.parse(serializeIntentModel(state.classifier.model)) as IntentModel),
  };
  return { json: JSON.stringify(out), vectors };
}

/** Options of {@link parseFaqIndex} and {@link loadFaqIndex}. */
export interface ParseFaqIndexOptions {
  /** The vectors written beside the JSON; required when the index has an embedder. */
  readonly vectors?: Float32Array | null;
  /** The embedder that will embed queries: its id and dimension must be the index's. */
  readonly embedder?: FaqEmbedderInfo;
  /** A pipeline to reuse; its tokenizer id must be the saved one. */
  readonly pipeline?: TextPipeline;
}

function invalid(message: string, details: Record<string, unknown> = {}): KefuError {
  return new KefuError('INDEX_INVALID', `${message} Save the index again with saveFaqIndex.`, details);
}

/**
 * Rebuilds an index from `serializeFaqIndex` output. Checks the format and version (FORMAT_VERSION_UNSUPPORTED),
 * the shape (INDEX_INVALID), the tokenizer (PIPELINE_MISMATCH) and, when `embedder` is given, its id
 * (EMBEDDER_MISMATCH) and dimension (EMBEDDING_DIM_MISMATCH). Lexical postings are rebuilt, so this costs about
 * as much as `createFaqIndex`.
 *
 * @example
 * ```ts
 * const index = parseFaqIndex(json, { vectors, embedder });
 * ```
 */
export function parseFaqIndex(json: string, options?: ParseFaqIndexOptions): FaqIndex {
  const fn = 'parseFaqIndex';
  assertText(json, 'parseFaqIndex(json)');
  assertOptions(options, fn);
  return fromJsonValue(parseJson(json, fn), options ?? {}, fn);
}

function parseJson(json: string, fn: string): unknown {
  try {
    return JSON.parse(json);
  } catch (cause) {
    throw new KefuError('INDEX_INVALID', `${fn}: not valid JSON (${(cause as Error).message}). Pass the text saveFaqIndex wrote.`, {}, { cause });
  }
}

function fromJsonValue(raw: unknown, options: ParseFaqIndexOptions, fn: string): FaqIndex {
  const o = raw as Partial<FaqIndexJson> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw invalid(`${fn}: expected a JSON object, got ${describe(raw)}.`);
  if (o.format !== FAQ_INDEX_FORMAT || !READABLE_VERSIONS.includes(o.formatVersion as number)) {
    throw new KefuError(
      'FORMAT_VERSION_UNSUPPORTED',
      `${fn}: this is ${describe(o.format)} version ${describe(o.formatVersion)}; this kefu reads ${FAQ_INDEX_FORMAT} versions ${READABLE_VERSIONS.join(', ')}. Rebuild the index, or upgrade kefu.`,
      { format: o.format, formatVersion: o.formatVersion },
    );
  }
  if (typeof o.tokenizer !== 'string') throw invalid(`${fn}: "tokenizer" must be a string.`);
  if (typeof o.config !== 'object' || o.config === null) throw invalid(`${fn}: "config" is missing.`);
  if (typeof o.thresholds !== 'object' || o.thresholds === null) throw invalid(`${fn}: "thresholds" is missing.`);
  if (!Array.isArray(o.entries)) throw invalid(`${fn}: "entries" must be an array.`);
  const emb = o.embedder ?? null;
  if (emb !== null && (typeof emb !== 'object' || typeof emb.id !== 'string' || !Number.isInteger(emb.dim) || emb.dim <= 0)) {
    throw invalid(`${fn}: "embedder" must be null or { id, dim }.`);
  }
  const c = o.config;
  // Version 1 predates the classifier: such an index stays lexical-only, as it was tuned.
  const classifierConfig = (o.formatVersion as number) === 1 ? { ...DEFAULT_FAQ_CLASSIFIER_CONFIG, enabled: false } : c.classifier;
  if (typeof classifierConfig !== 'object' || classifierConfig === null) throw invalid(`${fn}: "config.classifier" is missing.`);
  const savedModel = (o.formatVersion as number) === 1 ? null : (o.classifierModel ?? null);
  let index: FaqIndex;
  try {
    index = createFaqIndex(o.entries, {
      language: c.language,
      dictionary: c.dictionary,
      synonyms: c.synonyms,
      normalize: c.normalize,
      weights: c.weights,
      fusion: c.fusion,
      k1: c.k1,
      b: c.b,
      alpha: c.alpha,
      entryWeight: c.entryWeight,
      indexAnswers: c.indexAnswers,
      // The saved model is installed below instead of retraining.
      classifier: { ...classifierConfig, enabled: false },
      thresholds: o.thresholds,
      ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    });
  } catch (cause) {
    throw new KefuError('INDEX_INVALID', `${fn}: the saved index does not rebuild (${(cause as Error).message}). Save it again with saveFaqIndex.`, {}, { cause });
  }
  if (index.pipeline.tokenizer.id !== o.tokenizer) {
    throw new KefuError(
      'PIPELINE_MISMATCH',
      `${fn}: the index was built with tokenizer "${o.tokenizer}" but the pipeline uses "${index.pipeline.tokenizer.id}". Pass a matching pipeline or rebuild the index.`,
      { expected: o.tokenizer, got: index.pipeline.tokenizer.id },
    );
  }
  mutable(index).config = { ...index.config, classifier: { ...index.config.classifier, enabled: classifierConfig.enabled } };
  if (savedModel !== null) {
    const state = stateOf(index, fn);
    try {
      const model = parseIntentModel(JSON.stringify(savedModel));
      state.classifier = { model, classifier: createIntentClassifier(model, { pipeline: index.pipeline }) };
    } catch (cause) {
      throw new KefuError('INDEX_INVALID', `${fn}: the saved classifier is invalid (${(cause as Error).message}). Save the index again with saveFaqIndex.`, {}, { cause });
    }
    const known = new Set(listIds(index));
    const unknown = state.classifier.model.labels.filter((l) => !known.has(l));
    if (unknown.length > 0) throw invalid(`${fn}: the saved classifier knows entries the index lacks (${unknown.slice(0, 3).join(', ')}).`);
    mutable(index).hasClassifier = true;
  }
  if (options.embedder !== undefined) {
    const e = options.embedder;
    checkOption(typeof e === 'object' && e !== null && typeof e.id === 'string' && Number.isInteger(e.dim), fn, 'embedder', e, 'an embedder or { id, dim }');
    if (emb === null) {
      throw new KefuError('EMBEDDER_MISMATCH', `${fn}: an embedder "${e.id}" was given but the saved index has no vectors. Load it without an embedder, or add vectors with addFaqVectors.`, { got: { id: e.id, dim: e.dim } });
    }
    checkSameEmbedder(emb, { id: e.id, dim: e.dim }, fn);
  }
  if (emb !== null) {
    const vectors = options.vectors ?? null;
    const count = o.vectorCount;
    const rows = o.vectorRows;
    if (!Number.isInteger(count) || (count as number) < 0 || !Array.isArray(rows) || rows.length !== o.entries.length) {
      throw invalid(`${fn}: "vectorCount" and "vectorRows" (one list per entry) are required with an embedder.`);
    }
    if (!(vectors instanceof Float32Array) || vectors.length !== (count as number) * emb.dim) {
      throw invalid(`${fn}: expected ${count as number} vectors of ${emb.dim} floats (${(count as number) * emb.dim} values), got ${vectors instanceof Float32Array ? vectors.length : describe(vectors)}.`, {
        expected: (count as number) * emb.dim,
      });
    }
    const state = stateOf(index, fn);
    let k = 0;
    for (const slot of state.slots.values()) {
      const r = rows[k++];
      if (!Array.isArray(r) || r.length !== slot.docs.length) throw invalid(`${fn}: vectorRows[${k - 1}] does not match the entry's questions.`);
      slot.docs.forEach((d, j) => {
        const row = r[j] as number;
        if (!Number.isInteger(row) || row < -1 || row >= (count as number)) throw invalid(`${fn}: vectorRows[${k - 1}][${j}] is out of range.`);
        state.vectors[d] = row < 0 ? null : vectors.slice(row * emb.dim, (row + 1) * emb.dim);
      });
    }
    mutable(index).embedder = { id: emb.id, dim: emb.dim };
  }
  return index;
}

/**
 * Writes an index to `path` (JSON) and, when it has vectors, `path + '.f32'` (raw little-endian float32).
 *
 * @example
 * ```ts
 * await saveFaqIndex(index, 'faq-index.json'); // also faq-index.json.f32 with vectors
 * ```
 */
export async function saveFaqIndex(index: FaqIndex, path: string): Promise<void> {
  checkOption(typeof path === 'string' && path !== '', 'saveFaqIndex', 'path', path, 'a file path');
  const { json, vectors } = serializeFaqIndex(index);
  await writeFile(path, json, 'utf8');
  if (vectors !== null) await writeFile(`${path}.f32`, toLittleEndian(vectors));
}

/**
 * Reads an index written by {@link saveFaqIndex}, with the same checks as {@link parseFaqIndex}. A missing file
 * is INDEX_INVALID naming the path.
 *
 * @example
 * ```ts
 * const index = await loadFaqIndex('faq-index.json', { embedder });
 * ```
 */
export async function loadFaqIndex(path: string, options?: Omit<ParseFaqIndexOptions, 'vectors'>): Promise<FaqIndex> {
  checkOption(typeof path === 'string' && path !== '', 'loadFaqIndex', 'path', path, 'a file path');
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (cause) {
    throw new KefuError('INDEX_INVALID', `loadFaqIndex: cannot read "${path}" (${(cause as Error).message}). Save an index there with saveFaqIndex.`, { path }, { cause });
  }
  const fn = 'loadFaqIndex';
  const raw = parseJson(json, fn);
  let vectors: Float32Array | null = null;
  if (typeof raw === 'object' && raw !== null && (raw as { embedder?: unknown }).embedder) {
    try {
      vectors = fromLittleEndian(await readFile(`${path}.f32`));
    } catch (cause) {
      throw new KefuError('INDEX_INVALID', `loadFaqIndex: the index has vectors but "${path}.f32" cannot be read (${(cause as Error).message}). Keep the .f32 file beside the JSON.`, { path: `${path}.f32` }, { cause });
    }
  }
  assertOptions(options, fn);
  return fromJsonValue(raw, { ...(options ?? {}), vectors }, fn);
}

function listIds(index: FaqIndex): string[] {
  return [...stateOf(index, 'parseFaqIndex').slots.keys()];
}

function toLittleEndian(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return out;
}

function fromLittleEndian(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw invalid(`loadFaqIndex: the vector file has ${bytes.length} bytes, not a multiple of 4.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
