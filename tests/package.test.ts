import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Builds the package as it is published and checks both module formats and the bin.
describe('built package', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsup', '--silent'], { stdio: 'pipe', timeout: 120_000 });
  }, 150_000);

  it('exports map lists types first for both formats', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, Record<string, Record<string, string>>>; sideEffects: boolean; engines: { node: string } };
    for (const cond of ['import', 'require']) expect(Object.keys(pkg.exports['.']?.[cond] ?? {})[0]).toBe('types');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.engines.node).toBe('>=20');
  });

  it('loads through require (CJS) and import (ESM) with the same surface', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('../dist/index.cjs') as Record<string, unknown>;
    // Through a URL, so the type-check does not need dist/ to exist before the build.
    const esm = (await import(pathToFileURL(resolve('dist/index.js')).href)) as Record<string, unknown>;
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(typeof cjs.loadPack).toBe('function');
    const tok = (cjs.createTextPipeline as (o: object) => { analyze(t: string): { tokens: { text: string }[] } })({ dictionary: ['花呗'] });
    expect(tok.analyze('花呗').tokens.map((t) => t.text)).toEqual(['花呗']);
  });

  it('the bin runs', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
