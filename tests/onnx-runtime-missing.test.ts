import { describe, expect, it, vi } from 'vitest';
import { isKefuError } from '../src/errors.js';
import { createOnnxEmbedder } from '../src/embeddings/onnx/index.js';
import { cleanupFixtureDirs, hasFixture, makeFixtureDir } from './onnx-fixture.js';

// Simulates an install without the optional peer dependency: importing it fails as a missing package does.
vi.mock('onnxruntime-node', () => {
  throw Object.assign(new Error("Cannot find package 'onnxruntime-node' imported from kefu/dist/onnx.js"), { code: 'ERR_MODULE_NOT_FOUND' });
});

describe.skipIf(!hasFixture)('without onnxruntime-node', () => {
  it('createOnnxEmbedder fails with ONNX_RUNTIME_MISSING and says how to install it', async () => {
    const err: unknown = await createOnnxEmbedder({ modelDir: makeFixtureDir() }).catch((e: unknown) => e);
    cleanupFixtureDirs();
    expect(isKefuError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'ONNX_RUNTIME_MISSING' });
    expect((err as Error).message).toContain('npm install onnxruntime-node');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});

describe('the main entry', () => {
  it('loads and embeds with the hashing embedder when onnxruntime-node is missing', async () => {
    const kefu = await import('../src/index.js');
    const [v] = await kefu.createHashingEmbedder({ dim: 16 }).embed(['在吗']);
    expect(v).toHaveLength(16);
  });
});
