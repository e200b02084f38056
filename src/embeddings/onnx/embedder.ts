import { basename, join, resolve } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { KefuError } from '../../errors.js';
import { assertOptions, checkOption } from '../../internal/assert.js';
import type { Embedder } from '../index.js';
import { LruCache } from '../lru.js';
import { checkTexts, disposedError } from '../shared.js';
import { parseModelManifest, readModelManifest, verifyModelFiles, type ModelManifest } from './manifest.js';
import { readModelDir, type ModelDirInfo } from './model-dir.js';
import { normalizeL2, poolHiddenStates, type Pooling } from './pool.js';
import { loadOnnxRuntime, type OnnxRuntime } from './runtime.js';

/** Options of {@link createOnnxEmbedder}. Unset options come from the manifest, then the model's own files. */
export interface OnnxEmbedderOptions {
  /** Directory holding the model's files (tokenizer.json or vocab.txt, config.json, the ONNX weights…). */
  readonly modelDir: string;
  /** Sentence vector from the first token (`cls`, bge) or the masked token mean (`mean`, text2vec, m3e, MiniLM). */
  readonly pooling?: Pooling;
  /** L2-normalise every vector (cosine = dot product). Default true. */
  readonly normalize?: boolean;
  /** Token limit, special tokens included; longer texts are cut. Default: the model's `max_seq_length`, else 512. */
  readonly maxTokens?: number;
  /** ONNX Runtime intra-op threads for this session. Default 1: predictable latency next to other work. */
  readonly threads?: number;
  /** Texts per `session.run`. Default 32. */
  readonly batchSize?: number;
  /** Prepended to texts given to `embedQueries` (never to `embed`). Default: the manifest's, else none. */
  readonly queryPrefix?: string;
  /** Lower-case texts before tokenising. Default: the manifest's, else `sentence_bert_config.json`'s, else false. */
  readonly lowercase?: boolean;
  /** Vectors kept in an LRU cache keyed by the text as the model sees it. 0 turns the cache off. Default 1000. */
  readonly cacheSize?: number;
  /** A manifest (path or parsed) to check the directory against. Default: `<modelDir>/kefu-model.json` if present. */
  readonly manifest?: string | ModelManifest;
  /** Check the manifest's sizes and sha256 on load. Default true (about 0.1 s per 25 MB). */
  readonly verify?: boolean;
  /** Relative path of the weights to load, overriding the manifest and the usual locations. */
  readonly onnxFile?: string;
}

/** Defaults of {@link createOnnxEmbedder} that do not depend on the model. */
export const DEFAULT_ONNX_EMBEDDER_OPTIONS = {
  normalize: true,
  threads: 1,
  batchSize: 32,
  cacheSize: 1000,
  verify: true,
} as const;

/** What an ONNX embedder resolved from its options, manifest and model files. */
export interface OnnxEmbedderInfo {
  readonly name: string;
  readonly modelDir: string;
  readonly onnxFile: string;
  readonly tokenizer: 'tokenizer.json' | 'vocab.txt';
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly lowercase: boolean;
  readonly maxTokens: number;
  readonly queryPrefix: string;
  readonly threads: number;
  readonly batchSize: number;
  /** Model inputs fed, e.g. `['input_ids', 'attention_mask', 'token_type_ids']`. */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Number of files whose sha256 was checked on load (0 without a manifest or with `verify: false`). */
  readonly verifiedFiles: number;
}

/** Counters of one embedder since creation. */
export interface OnnxEmbedderStats {
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cached: number;
  /** `session.run` calls (batches), the load-time probe excluded. */
  readonly runs: number;
}

/** A sentence encoder running a local ONNX model. */
export interface OnnxEmbedder extends Embedder {
  /** Like `embed`, with the model's query prefix prepended (asymmetric retrieval models such as bge). */
  embedQueries(texts: readonly string[]): Promise<Float32Array[]>;
  readonly info: OnnxEmbedderInfo;
  stats(): OnnxEmbedderStats;
}

const FN = 'createOnnxEmbedder';
const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
const OUTPUT_PREFERENCE = ['last_hidden_state', 'token_embeddings', 'sentence_embedding'];

/**
 * Loads a BERT-family sentence encoder (bge-small-zh-v1.5, text2vec, m3e, multilingual MiniLM…) exported to ONNX and
 * runs it locally with onnxruntime-node. Nothing is downloaded: the directory must hold the files (see
 * docs/embeddings.md, or `kefu model pull`). Texts are tokenised, cut at `maxTokens`, padded per batch to the longest,
 * pooled and L2-normalised; results come back in input order, equal (to float rounding) whatever the batching.
 *
 * @example
 * ```ts
 * import { createOnnxEmbedder } from 'kefu/onnx';
 * const embedder = await createOnnxEmbedder({ modelDir: 'models/bge-small-zh-v1.5' });
 * const [a, b] = await embedder.embed(['我的快递到哪了', '包裹什么时候到']);
 * console.log(embedder.dim, a.reduce((s, x, i) => s + x * b[i], 0)); // 512, cosine similarity
 * await embedder.dispose();
 * ```
 */
export async function createOnnxEmbedder(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
  assertOptions(options, FN);
  checkOption(options !== undefined && typeof options.modelDir === 'string' && options.modelDir !== '', FN, 'modelDir', options?.modelDir, 'the path of a model directory');
  const o = options;
  const optional = <T>(name: keyof OnnxEmbedderOptions, ok: (v: T) => boolean, expected: string): void => {
    const v = o[name] as T | undefined;
    if (v !== undefined) checkOption(ok(v), FN, name, v, expected);
  };
  const isInt = (lo: number, hi: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
  optional('pooling', (v) => v === 'cls' || v === 'mean', '"cls" or "mean"');
  optional('normalize', (v) => typeof v === 'boolean', 'a boolean');
  optional('lowercase', (v) => typeof v === 'boolean', 'a boolean');
  optional('verify', (v) => typeof v === 'boolean', 'a boolean');
  optional('maxTokens', isInt(3, 65536), 'an integer from 3 to 65536');
  optional('threads', isInt(1, 256), 'an integer from 1 to 256');
  optional('batchSize', isInt(1, 4096), 'an integer from 1 to 4096');
  optional('cacheSize', isInt(0, 10_000_000), 'an integer from 0 to 10000000 (0 = no cache)');
  optional('queryPrefix', (v) => typeof v === 'string', 'a string');
  optional('onnxFile', (v) => typeof v === 'string' && v !== '', 'a relative path such as "onnx/model.onnx"');
  optional('manifest', (v) => typeof v === 'string' || (typeof v === 'object' && v !== null), 'a manifest file path or a parsed manifest');

  const modelDir = resolve(o.modelDir);
  let manifest: ModelManifest | undefined;
  if (typeof o.manifest === 'string') manifest = await readModelManifest(o.manifest);
  else if (o.manifest !== undefined) manifest = parseModelManifest(o.manifest, 'options.manifest');
  const dir = await readModelDir(modelDir, { manifest, onnxFile: o.onnxFile });
  manifest = dir.manifest;
  const verify = o.verify ?? DEFAULT_ONNX_EMBEDDER_OPTIONS.verify;
  const verifiedFiles = manifest !== undefined && verify ? await verifyModelFiles(modelDir, manifest) : 0;

  const settings = resolveSettings(o, dir, manifest);
  const ort = await loadOnnxRuntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(join(modelDir, dir.onnxFile), {
      intraOpNumThreads: settings.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `onnxruntime-node cannot load ${join(modelDir, dir.onnxFile)}: ${(cause as Error).message}`, { path: join(modelDir, dir.onnxFile) }, { cause });
  }
  try {
    return await finish(ort, session, dir, manifest, settings, verifiedFiles);
  } catch (e) {
    await session.release();
    throw e;
  }
}

interface Settings {
  readonly name: string;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly lowercase: boolean;
  readonly maxTokens: number;
  readonly queryPrefix: string;
  readonly threads: number;
  readonly batchSize: number;
  readonly cacheSize: number;
}

function resolveSettings(o: OnnxEmbedderOptions, dir: ModelDirInfo, manifest: ModelManifest | undefined): Settings {
  let pooling = o.pooling ?? manifest?.pooling ?? dir.pooling;
  if (pooling === undefined) {
    if (dir.poolingIssue !== undefined) throw new KefuError('MODEL_INVALID', dir.poolingIssue, { modelDir: dir.dir });
    pooling = 'mean';
  }
  const capacity = dir.maxPositions;
  const wanted = o.maxTokens ?? manifest?.maxTokens ?? dir.maxSeqLength ?? 512;
  if (capacity !== undefined && o.maxTokens !== undefined) {
    checkOption(o.maxTokens <= capacity, FN, 'maxTokens', o.maxTokens, `at most ${capacity}, the longest input this model's position embeddings allow`);
  }
  return {
    name: manifest?.name ?? basename(dir.dir),
    pooling,
    normalize: o.normalize ?? manifest?.normalize ?? DEFAULT_ONNX_EMBEDDER_OPTIONS.normalize,
    lowercase: o.lowercase ?? manifest?.lowercase ?? dir.lowercase ?? false,
    maxTokens: capacity === undefined ? wanted : Math.min(wanted, capacity),
    queryPrefix: o.queryPrefix ?? manifest?.queryPrefix ?? '',
    threads: o.threads ?? DEFAULT_ONNX_EMBEDDER_OPTIONS.threads,
    batchSize: o.batchSize ?? DEFAULT_ONNX_EMBEDDER_OPTIONS.batchSize,
    cacheSize: o.cacheSize ?? DEFAULT_ONNX_EMBEDDER_OPTIONS.cacheSize,
  };
}

async function finish(
  ort: OnnxRuntime,
  session: InferenceSession,
  dir: ModelDirInfo,
  manifest: ModelManifest | undefined,
  s: Settings,
  verifiedFiles: number,
): Promise<OnnxEmbedder> {
  const unknown = session.inputNames.filter((n) => !(INPUTS as readonly string[]).includes(n));
  if (unknown.length > 0 || !session.inputNames.includes('input_ids')) {
    throw new KefuError(
      'MODEL_INVALID',
      `${dir.onnxFile} takes inputs ${session.inputNames.join(', ')}; kefu/onnx feeds BERT-style encoders with input_ids and optionally attention_mask and token_type_ids.`,
      { inputs: session.inputNames },
    );
  }
  const inputs = INPUTS.filter((n) => session.inputNames.includes(n));
  const int32 = new Set(
    session.inputMetadata.filter((m) => m.isTensor && m.type === 'int32').map((m) => m.name),
  );
  const output = OUTPUT_PREFERENCE.find((n) => session.outputNames.includes(n)) ?? session.outputNames[0];
  if (output === undefined) throw new KefuError('MODEL_INVALID', `${dir.onnxFile} has no outputs.`, {});
  const { tokenizer } = dir;

  const tensor = (name: string, rows: readonly (readonly number[])[], seq: number, fill: (row: readonly number[], t: number) => number): Tensor => {
    const size = rows.length * seq;
    if (int32.has(name)) {
      const data = new Int32Array(size);
      rows.forEach((r, b) => {
        for (let t = 0; t < r.length; t++) data[b * seq + t] = fill(r, t);
      });
      return new ort.Tensor('int32', data, [rows.length, seq]);
    }
    const data = new BigInt64Array(size);
    rows.forEach((r, b) => {
      for (let t = 0; t < r.length; t++) data[b * seq + t] = BigInt(fill(r, t));
    });
    return new ort.Tensor('int64', data, [rows.length, seq]);
  };

  /** One `session.run` over a batch of token id rows → one vector per row (pooled, normalised if asked). */
  const runBatch = async (rows: readonly (readonly number[])[]): Promise<Float32Array[]> => {
    const seq = Math.max(...rows.map((r) => r.length));
    const feeds: Record<string, Tensor> = {};
    for (const name of inputs) {
      if (name === 'input_ids') {
        const padded = rows.map((r) => (r.length === seq ? r : [...r, ...new Array<number>(seq - r.length).fill(dir.padId)]));
        feeds[name] = tensor(name, padded, seq, (r, t) => r[t] as number);
      } else if (name === 'attention_mask') feeds[name] = tensor(name, rows, seq, () => 1);
      else feeds[name] = tensor(name, rows.map(() => []), seq, () => 0); // token_type_ids: one segment, all 0
    }
    const result = await session.run(feeds, [output]);
    const out = result[output];
    if (out === undefined || !(out.data instanceof Float32Array)) {
      throw new KefuError('MODEL_INVALID', `${dir.onnxFile} output "${output}" is not a float32 tensor.`, { output, type: out?.type });
    }
    const dims = out.dims;
    let vectors: Float32Array[];
    if (dims.length === 3) vectors = poolHiddenStates(out.data, dims[0] as number, dims[1] as number, dims[2] as number, rows.map((r) => r.length), s.pooling);
    else if (dims.length === 2) {
      const h = dims[1] as number;
      vectors = rows.map((_, b) => (out.data as Float32Array).slice(b * h, (b + 1) * h));
    } else throw new KefuError('MODEL_INVALID', `${dir.onnxFile} output "${output}" has shape [${dims.join(', ')}]; expected [batch, tokens, hidden] or [batch, hidden].`, { dims });
    return s.normalize ? vectors.map(normalizeL2) : vectors;
  };

  // A probe run: the real output dimension (the config's hidden_size may belong to another export) and a warm-up.
  const [probe] = await runBatch([tokenizer.encode('a', s.maxTokens)]);
  const dim = (probe as Float32Array).length;
  if (manifest !== undefined && manifest.dim !== dim) {
    throw new KefuError(
      'EMBEDDING_DIM_MISMATCH',
      `${dir.onnxFile} produces ${dim}-dim vectors but the manifest of "${manifest.name}" says ${manifest.dim}. The weights belong to another model: fetch the right files or fix the manifest.`,
      { expected: manifest.dim, actual: dim, model: manifest.name },
    );
  }

  const cache = new LruCache<string, Float32Array>(s.cacheSize);
  let hits = 0;
  let misses = 0;
  let runs = 0;
  let disposed = false;
  const inflight = new Set<Promise<unknown>>();
  const weightsTag = manifest?.files.find((f) => f.path === dir.onnxFile)?.sha256?.slice(0, 12) ?? `${dir.onnxFile}:${dir.onnxSize}`;
  const id = `onnx:${s.name}:${weightsTag}:${s.pooling}${s.normalize ? '' : ':raw'}:${s.maxTokens}${s.lowercase ? ':lc' : ''}`;

  /** The text as the model sees it, and its cache key (a shorter string with the same token ids). */
  const prepare = (text: string, prefix: string): { text: string; key: string } => {
    const t = s.lowercase ? (prefix + text).toLowerCase() : prefix + text;
    return { text: t, key: tokenizer.cacheKey(t) };
  };

  const embedWith = async (texts: readonly string[], prefix: string): Promise<Float32Array[]> => {
    if (disposed) throw disposedError(`ONNX embedder ${id}`);
    const bad = checkTexts(texts);
    if (bad) throw bad;
    const prepared = texts.map((t) => prepare(t, prefix));
    const found = new Map<string, Float32Array>();
    const todo = new Map<string, string>();
    for (const p of prepared) {
      if (found.has(p.key) || todo.has(p.key)) continue;
      const hit = cache.get(p.key);
      if (hit !== undefined) {
        hits++;
        found.set(p.key, hit);
      } else {
        misses++;
        todo.set(p.key, p.text);
      }
    }
    if (todo.size > 0) {
      // Longest first, then batches of similar lengths: less padding, and no batch is dominated by one long text.
      const items = [...todo].map(([key, text]) => ({ key, ids: tokenizer.encode(text, s.maxTokens) }));
      items.sort((a, b) => b.ids.length - a.ids.length);
      for (let i = 0; i < items.length; i += s.batchSize) {
        // dispose() waits for the batch in flight, not for the rest of a long call.
        if (disposed) throw disposedError(`ONNX embedder ${id}`);
        const chunk = items.slice(i, i + s.batchSize);
        const job = runBatch(chunk.map((c) => c.ids));
        inflight.add(job);
        let vectors: Float32Array[];
        try {
          vectors = await job;
        } finally {
          inflight.delete(job);
        }
        runs++;
        chunk.forEach((c, j) => {
          const v = vectors[j] as Float32Array;
          found.set(c.key, v);
          cache.set(c.key, v);
        });
      }
    }
    // Copies: a caller who scales a vector in place must not corrupt the cache or a duplicate in the same call.
    return prepared.map((p) => (found.get(p.key) as Float32Array).slice());
  };

  const info: OnnxEmbedderInfo = {
    name: s.name,
    modelDir: dir.dir,
    onnxFile: dir.onnxFile,
    tokenizer: dir.tokenizerSource,
    pooling: s.pooling,
    normalize: s.normalize,
    lowercase: s.lowercase,
    maxTokens: s.maxTokens,
    queryPrefix: s.queryPrefix,
    threads: s.threads,
    batchSize: s.batchSize,
    inputs,
    output,
    verifiedFiles,
  };

  return {
    id,
    dim,
    info,
    embed: (texts) => embedWith(texts, ''),
    embedQueries: (texts) => embedWith(texts, s.queryPrefix),
    stats: () => ({ cacheHits: hits, cacheMisses: misses, cached: cache.size, runs }),
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await Promise.allSettled([...inflight]);
      cache.clear();
      await session.release();
    },
  };
}
