export {
  createOnnxEmbedder,
  DEFAULT_ONNX_EMBEDDER_OPTIONS,
  type OnnxEmbedder,
  type OnnxEmbedderInfo,
  type OnnxEmbedderOptions,
  type OnnxEmbedderStats,
} from './embedder.js';
export {
  parseModelManifest,
  readModelManifest,
  verifyModelFiles,
  sha256File,
  MODEL_MANIFEST_FILE,
  MODEL_MANIFEST_FORMAT,
  MODEL_MANIFEST_FORMAT_VERSION,
  type ModelManifest,
  type ModelManifestFile,
  type ModelManifestSource,
} from './manifest.js';
export { ONNX_FILE_CANDIDATES } from './model-dir.js';
export type { Pooling } from './pool.js';
export type { Embedder } from '../index.js';
