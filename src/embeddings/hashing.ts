import { assertOptions, checkOption } from '../internal/assert.js';
import { checkTexts, disposedError } from './shared.js';
import type { Embedder } from './types.js';

/** Options of {@link createHashingEmbedder}. */
export interface HashingEmbedderOptions {
  /** Vector length (number of hash buckets), 8 to 65536. */
  readonly dim?: number;
  /** Seed mixed into every hash: two embedders with different seeds give unrelated vectors. Unsigned 32-bit integer. */
  readonly seed?: number;
}

/** Defaults of {@link createHashingEmbedder}. */
export const DEFAULT_HASHING_EMBEDDER_OPTIONS: Readonly<Required<HashingEmbedderOptions>> = {
  dim: 256,
  seed: 0,
};

const FN = 'createHashingEmbedder';

/**
 * A deterministic, dependency-free embedder: character unigrams and bigrams of the NFKC-normalised, lower-cased text
 * are hashed (seeded FNV-1a) into `dim` signed buckets and the vector is L2-normalised. Texts that share characters
 * get a positive cosine, so it behaves like a weak lexical encoder: useful in tests and as a stand-in where no ONNX
 * model is available, never as a substitute for a trained one. Same text, dim and seed → the same vector on every
 * platform. A text with no characters (empty or whitespace only) gets the zero vector.
 *
 * @example
 * ```ts
 * const embedder = createHashingEmbedder({ dim: 64, seed: 1 });
 * const [a, b] = await embedder.embed(['我的快递到哪了', '快递到哪里了']);
 * console.log(embedder.id, a.length); // 'hashing:v1:dim=64:seed=1' 64
 * ```
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  assertOptions(options, FN);
  const { dim, seed } = { ...DEFAULT_HASHING_EMBEDDER_OPTIONS, ...options };
  checkOption(Number.isInteger(dim) && dim >= 8 && dim <= 65536, FN, 'dim', dim, 'an integer from 8 to 65536');
  checkOption(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, FN, 'seed', seed, 'an integer from 0 to 4294967295');
  let disposed = false;
  return {
    id: `hashing:v1:dim=${dim}:seed=${seed}`,
    dim,
    embed(texts: readonly string[]): Promise<Float32Array[]> {
      if (disposed) return Promise.reject(disposedError('hashing embedder'));
      const bad = checkTexts(texts);
      if (bad) return Promise.reject(bad);
      return Promise.resolve(texts.map((text) => hashText(text, dim, seed)));
    },
    dispose(): Promise<void> {
      disposed = true;
      return Promise.resolve();
    },
  };
}

function hashText(text: string, dim: number, seed: number): Float32Array {
  const v = new Float32Array(dim);
  // Code points (a lone surrogate is one unit of its own); whitespace separates but never becomes a feature.
  const chars = Array.from(text.normalize('NFKC').toLowerCase());
  let prev: string | null = null;
  for (const c of chars) {
    if (/\s/u.test(c)) {
      prev = null;
      continue;
    }
    add(v, `1${c}`, seed);
    if (prev !== null) add(v, `2${prev}${c}`, seed);
    prev = c;
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += (v[i] as number) * (v[i] as number);
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) v[i] = (v[i] as number) * inv;
  }
  return v;
}

/** Feature hashing with a sign bit, so collisions cancel out on average instead of piling up. */
function add(v: Float32Array, feature: string, seed: number): void {
  const h = fnv1a(feature, seed);
  const bucket = (h >>> 1) % v.length;
  v[bucket] = (v[bucket] as number) + ((h & 1) === 0 ? 1 : -1);
}

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32) so nearby features spread over all buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
