import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function kefu(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu report', () => {
  it('prints the JSON report, writes the HTML page, lists skipped lines and exits 1 for them', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kefu-report-')), 'report.html');
    const r = kefu('report', '--logs', 'fixtures/analytics/known.jsonl', '--json', '--html', out);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { totals: { conversations: number }; rates: { botOnlyResolution: number } };
    expect(report.totals.conversations).toBe(5);
    expect(report.rates.botOnlyResolution).toBeCloseTo(0.4, 10);
    expect(r.stderr).toContain('known.jsonl:3: skipped: not valid JSON');
    expect(readFileSync(out, 'utf8')).toContain('独立解决率');
  });

  it('exits 2 for missing arguments, a bad zone and an unreadable log', () => {
    expect(kefu('report').code).toBe(2);
    expect(kefu('report', '--logs', 'fixtures/analytics/known.jsonl', '--tz', 'Nowhere/Else').code).toBe(2);
    const missing = kefu('report', '--logs', 'no/such/file.jsonl');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('LOG_READ_FAILED');
  });
});
