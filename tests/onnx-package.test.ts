import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupFixtureDirs, hasFixture, makeFixtureDir } from './onnx-fixture.js';

/**
 * Builds the package into a temporary copy (not dist/, which tests/package.test.ts builds at the same time) and loads
 * `kefu/onnx` through the exports map, as a user's ESM and CJS code would.
 */
describe('built package: kefu/onnx subpath', () => {
  const root = mkdtempSync(join(tmpdir(), 'kefu-pkg-'));
  const dist = join(root, 'dist');
  type OnnxModule = {
    createOnnxEmbedder: (o: object) => Promise<{ dim: number; embed(t: string[]): Promise<Float32Array[]>; dispose(): Promise<void> }>;
    parseModelManifest: (raw: unknown) => unknown;
  };

  beforeAll(() => {
    execFileSync('npx', ['tsup', '--silent', '--out-dir', dist], { stdio: 'pipe', timeout: 150_000 });
    copyFileSync('package.json', join(root, 'package.json'));
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
    mkdirSync(join(root, 'consumer'));
  }, 180_000);
  afterAll(() => {
    cleanupFixtureDirs();
    rmSync(root, { recursive: true, force: true });
  });

  it('exports map lists ./onnx with types first for both formats', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, Record<string, Record<string, string>>> };
    const onnx = pkg.exports['./onnx'];
    expect(onnx).toBeDefined();
    for (const cond of ['import', 'require']) expect(Object.keys(onnx?.[cond] ?? {})[0]).toBe('types');
    for (const file of Object.values(onnx ?? {}).flatMap((c) => Object.values(c))) expect(readdirSync(dist)).toContain(file.replace('./dist/', ''));
  });

  it('the main entry never references onnxruntime-node; only the subpath does', () => {
    const esm = readFileSync(join(dist, 'index.js'), 'utf8');
    const chunks = [...esm.matchAll(/from ["']\.\/([^"']+)["']/g)].map((m) => m[1] as string);
    // An import or require of the package, not a mention in an error message.
    const loadsOrt = /(?:import|require)\(\s*["']onnxruntime-node["']\s*\)|from\s*["']onnxruntime-node["']/;
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', ...chunks]) {
      expect(readFileSync(join(dist, file), 'utf8')).not.toMatch(loadsOrt);
    }
    expect(readFileSync(join(dist, 'onnx.js'), 'utf8')).toMatch(loadsOrt);
    expect(readFileSync(join(dist, 'onnx.cjs'), 'utf8')).toMatch(loadsOrt);
    expect(readFileSync(join(dist, 'onnx.d.ts'), 'utf8')).toContain('createOnnxEmbedder');
    expect(readFileSync(join(dist, 'onnx.d.ts'), 'utf8')).not.toMatch(loadsOrt);
  });

  it('loads through require (CJS) and import (ESM) with the same surface, and embeds with both', async () => {
    // Self-reference by package name from inside the copy resolves through the exports map.
    const require = createRequire(join(root, 'consumer', 'x.cjs'));
    const cjs = require('kefu/onnx') as OnnxModule & Record<string, unknown>;
    const esm = (await import(pathToFileURL(join(dist, 'onnx.js')).href)) as OnnxModule & Record<string, unknown>;
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(typeof cjs.createOnnxEmbedder).toBe('function');
    expect(require.resolve('kefu/onnx')).toBe(join(dist, 'onnx.cjs'));
    const main = require('kefu') as { isKefuError: (e: unknown) => boolean };
    // An error from the CJS subpath is recognised by the main entry's isKefuError (a separate copy of the class).
    let caught: unknown;
    try {
      cjs.parseModelManifest({});
    } catch (e) {
      caught = e;
    }
    expect(main.isKefuError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'MODEL_INVALID' });

    if (!hasFixture) return;
    const dir = makeFixtureDir();
    const a = await cjs.createOnnxEmbedder({ modelDir: dir });
    const b = await esm.createOnnxEmbedder({ modelDir: dir });
    const [va] = await a.embed(['我的快递到哪了']);
    const [vb] = await b.embed(['我的快递到哪了']);
    await a.dispose();
    await b.dispose();
    expect(Array.from(va as Float32Array)).toEqual(Array.from(vb as Float32Array));
  });
});
