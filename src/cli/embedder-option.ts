import { createOnnxEmbedder, type OnnxEmbedder } from '../embeddings/onnx/index.js';

/**
 * The `--model-dir DIR` option of `kefu parse` and `kefu ask`: an ONNX embedder over DIR (verified against its
 * kefu-model.json when there is one), or undefined without the option, where kefu runs on lexical features alone.
 * Errors are KefuErrors with codes (MODEL_FILE_MISSING names `kefu model pull`, ONNX_RUNTIME_MISSING the install
 * command) for the CLI to print. The caller disposes the embedder when done.
 */
export async function loadEmbedderOption(dir: string | undefined): Promise<OnnxEmbedder | undefined> {
  if (dir === undefined) return undefined;
  return createOnnxEmbedder({ modelDir: dir });
}
