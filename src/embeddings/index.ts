export type { Embedder } from './types.js';
export { createHashingEmbedder, DEFAULT_HASHING_EMBEDDER_OPTIONS, type HashingEmbedderOptions } from './hashing.js';
