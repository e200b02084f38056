import type * as Ort from 'onnxruntime-node';
import { KefuError } from '../../errors.js';

/** The onnxruntime-node module, as kefu/onnx uses it. */
export type OnnxRuntime = typeof Ort;

/**
 * Loads the optional peer dependency onnxruntime-node. It is imported lazily, here and nowhere else, so `kefu` and
 * every feature that needs no ONNX model work without it installed.
 *
 * @example
 * ```ts
 * const ort = await loadOnnxRuntime(); // throws KefuError ONNX_RUNTIME_MISSING when not installed
 * ```
 */
export async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    const mod = (await import('onnxruntime-node')) as Partial<OnnxRuntime> & { default?: OnnxRuntime };
    // Through a CJS build the namespace may arrive wrapped in `default`.
    const ort = typeof mod.InferenceSession === 'function' ? (mod as OnnxRuntime) : mod.default;
    if (ort === undefined || typeof ort.InferenceSession !== 'function') throw new Error('onnxruntime-node has no InferenceSession export');
    return ort;
  } catch (cause) {
    throw new KefuError(
      'ONNX_RUNTIME_MISSING',
      `kefu/onnx could not load "onnxruntime-node" (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}). ` +
        'Install the optional peer dependency next to kefu: npm install onnxruntime-node',
      {},
      { cause },
    );
  }
}
