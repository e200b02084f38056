import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs the CLI from source through tsx, exactly as `kefu` would run after a build. */
function kefu(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu lint', () => {
  it('exits 0 on the bundled Chinese pack', () => {
    const r = kefu('lint', '--pack', 'fixtures/packs/ecommerce-zh');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 error(s)');
  });

  it('exits 2 and lists every problem with file:line:column on a broken pack', () => {
    const r = kefu('lint', '--pack', 'fixtures/pack/broken');
    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => l.includes(': error ['));
    expect(lines.length).toBe(20);
    expect(lines).toContainEqual(expect.stringMatching(/^fixtures\/pack\/broken\/entities\.yaml:8:\d+: error \[unsafe_regex\]/));
  });

  it('exits 1 on warnings only with --strict, and --json gives the same findings', () => {
    const dir = 'fixtures/pack/minimal';
    expect(kefu('lint', '--pack', dir).code).toBe(0);
    const strict = kefu('lint', '--pack', dir, '--strict', '--json');
    expect(strict.code).toBe(1);
    const report = JSON.parse(strict.stdout) as { ok: boolean; errors: number; warnings: number };
    expect(report).toMatchObject({ ok: true, errors: 0 });
    expect(report.warnings).toBeGreaterThan(0);
  });

  it('exits 2 for bad arguments and a missing pack', () => {
    expect(kefu('lint').code).toBe(2);
    expect(kefu('lint', '--pack', 'x', '--bogus').code).toBe(2);
    const missing = kefu('lint', '--pack', 'no/such/dir');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PACK_NOT_FOUND');
    expect(kefu('frobnicate').code).toBe(2);
  });

  it('prints the pack JSON Schema', () => {
    const r = kefu('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['intents', 'faq', 'entities', 'tests']));
  });
});

describe('kefu train and kefu parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
  const modelFile = join(dir, 'model.json');

  it('trains a model from a pack and parses with it (JSONL in input order)', () => {
    const t = kefu('train', '--pack', 'fixtures/packs/ecommerce-zh', '--out', modelFile);
    expect(t.code).toBe(0);
    const input = join(dir, 'messages.txt');
    writeFileSync(input, '我的快递到哪了\n帮我转人工\n明天北京天气怎么样\n\n');
    const r = kefu('parse', '--model', modelFile, '--json', '--input', input, '--now', '2026-11-21T10:00:00+08:00');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: { name: string | null; confidence: number }; ranking: { name: string; confidence: number }[]; decision: string; entities: unknown[] });
    expect(rows.map((x) => x.text)).toEqual(['我的快递到哪了', '帮我转人工', '明天北京天气怎么样', '']);
    expect(rows[0]).toMatchObject({ intent: { name: 'query_logistics' }, decision: 'accept', entities: [] });
    expect(rows[1]?.intent.name).toBe('transfer_human');
    expect(rows[2]).toMatchObject({ intent: { name: null }, decision: 'fallback' });
    expect(rows[3]).toMatchObject({ intent: { name: null, confidence: 0 }, decision: 'fallback', ranking: [] });
    expect(rows[0]?.ranking.length).toBe(26);
  });

  it('trains from JSONL where the label oos marks out-of-scope', () => {
    const train = join(dir, 'train.jsonl');
    const rows = ['where is my parcel', 'track my package', 'has my order shipped', 'where is my delivery', 'i want a refund', 'give me my money back', 'refund please', 'can i get a refund'];
    writeFileSync(train, rows.map((text, i) => JSON.stringify({ text, intent: i < 4 ? 'track' : 'refund' })).concat(JSON.stringify({ text: 'what is the weather', intent: 'oos' })).join('\n'));
    const out = join(dir, 'en.json');
    expect(kefu('train', '--train', train, '--lang', 'en', '--out', out).code).toBe(0);
    const r = kefu('parse', '--model', out, '--json', 'where is my parcel now');
    expect((JSON.parse(r.stdout) as { intent: { name: string } }).intent.name).toBe('track');
  });

  it('rejects bad arguments and bad models with exit 2', () => {
    expect(kefu('parse', '--model', modelFile, '--tz', 'Mars/Olympus', 'hi').code).toBe(2);
    expect(kefu('parse', '--model', modelFile, '--now', 'yesterday', 'hi').code).toBe(2);
    expect(kefu('parse', '--model', modelFile).code).toBe(2);
    expect(kefu('train', '--pack', 'fixtures/packs/ecommerce-zh').code).toBe(2);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'kefu/intent-model', formatVersion: 99 }));
    const r = kefu('parse', '--model', future, 'hi');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('FORMAT_VERSION_UNSUPPORTED');
  });
});
