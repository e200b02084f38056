import { spawnSync } from 'node:child_process';
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
