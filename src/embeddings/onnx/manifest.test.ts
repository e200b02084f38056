import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModelManifest, readModelManifest, sha256File, verifyModelFiles } from './manifest.js';

const MODELS = fileURLToPath(new URL('../../../models/', import.meta.url));
const base = {
  format: 'kefu/model-manifest',
  formatVersion: 1,
  name: 'tiny',
  license: 'MIT',
  dim: 4,
  pooling: 'mean',
  normalize: true,
  lowercase: false,
  maxTokens: 16,
  onnx: 'model.onnx',
  files: [{ path: 'model.onnx', size: 5, sha256: null }],
};

describe('model manifests', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each(readdirSync(MODELS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name))('models/%s/manifest.json is valid and pinned to a commit', async (name) => {
    const m = await readModelManifest(join(MODELS, name, 'manifest.json'));
    expect(m.name).toBe(name);
    expect(m.source?.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(m.files.map((f) => f.path)).toContain(m.onnx);
    // Every file but possibly the weights has a published sha256.
    for (const f of m.files) if (f.path !== m.onnx) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports every problem at once with MODEL_INVALID', () => {
    const bad = { ...base, formatVersion: 2, pooling: 'max', dim: 0, onnx: 'other.onnx', files: [{ path: '../escape', sha256: 'XYZ' }, { path: '../escape', sha256: null }] };
    try {
      parseModelManifest(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'MODEL_INVALID' });
      const paths = (e as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['formatVersion', 'pooling', 'dim', 'files.0.path', 'files.0.sha256']));
    }
    expect(() => parseModelManifest({ ...base, onnx: 'x.onnx' })).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseModelManifest({ ...base, files: [base.files[0], base.files[0]] })).toThrow(/listed twice/);
    expect(() => parseModelManifest({ ...base, extra: 1 })).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(parseModelManifest(base).name).toBe('tiny');
  });

  it('reads files with clear codes and verifies sizes and sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-manifest-'));
    dirs.push(dir);
    await expect(readModelManifest(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
    writeFileSync(join(dir, 'broken.json'), '{');
    await expect(readModelManifest(join(dir, 'broken.json'))).rejects.toMatchObject({ code: 'MODEL_INVALID' });

    writeFileSync(join(dir, 'model.onnx'), 'hello');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.txt'), 'a');
    const hello = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
    expect(await sha256File(join(dir, 'model.onnx'))).toBe(hello);
    const m = parseModelManifest({ ...base, files: [{ path: 'model.onnx', size: 5, sha256: hello }, { path: 'sub/a.txt', sha256: null }] });
    expect(await verifyModelFiles(dir, m)).toBe(1);
    await expect(verifyModelFiles(dir, { ...m, files: [{ path: 'model.onnx', sha256: '0'.repeat(64) }] })).rejects.toMatchObject({
      code: 'MODEL_CHECKSUM_MISMATCH',
      details: { expected: '0'.repeat(64), actual: hello },
    });
    await expect(verifyModelFiles(dir, { ...m, files: [{ path: 'model.onnx', size: 4, sha256: null }] })).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    await expect(verifyModelFiles(dir, { ...m, files: [{ path: 'sub', sha256: null }] })).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
    expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toBe('hello');
  });
});
