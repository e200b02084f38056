import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchSystemEntityGolden, parseSystemEntityGolden } from './run-system-golden.js';

const GOLDEN = new URL('../../fixtures/entities/golden.yaml', import.meta.url).pathname;

describe('benchSystemEntityGolden', () => {
  it('scores the checked-in golden file at 98 % or better, with per-entity counts and latency', async () => {
    const r = await benchSystemEntityGolden({ file: GOLDEN, repeat: 1 });
    expect(r.cases).toBeGreaterThanOrEqual(200);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.correct).toBe(r.cases - r.failures.length);
    for (const name of ['phone', 'email', 'url', 'order_id', 'tracking_number', 'id_card', 'bank_card', 'money', 'number', 'quantity', 'date', 'datetime']) {
      expect(r.perEntity[name]?.cases ?? 0).toBeGreaterThan(0);
    }
    expect(r.latency.samples).toBe(r.cases);
    expect(r.latency.p50Ms).toBeLessThanOrEqual(r.latency.p95Ms);
  });

  it('reports a wrong expectation as a failure with what was extracted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-golden-'));
    const file = join(dir, 'g.yaml');
    writeFileSync(
      file,
      [
        "now: '2026-11-20T10:00:00+08:00'",
        'cases:',
        "  - { text: 电话13812345678, entities: [{ entity: phone, value: '13812345678', text: '13812345678' }] }",
        "  - { text: 电话13812345678, entities: [{ entity: phone, value: '13800000000', text: '13812345678' }] }",
        '  - { text: 三星手机, entities: [] }',
        "  - { text: 退99元, entities: [{ entity: money, value: 99, text: 99元, currency: USD }] }",
      ].join('\n'),
    );
    const r = await benchSystemEntityGolden({ file, repeat: 2 });
    expect(r).toMatchObject({ cases: 4, correct: 2, accuracy: 0.5 });
    expect(r.perEntity['phone']).toEqual({ cases: 2, correct: 1 });
    expect(r.perEntity['money']).toEqual({ cases: 1, correct: 0 });
    expect(r.failures.map((f) => f.text)).toEqual(['电话13812345678', '退99元']);
    expect(r.failures[1]?.actual[0]).toMatchObject({ entity: 'money', value: 99, currency: 'CNY' });
    expect(r.latency.samples).toBe(8);
  });

  it('rejects bad options and malformed golden files with every problem listed', async () => {
    await expect(benchSystemEntityGolden({ file: '' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(benchSystemEntityGolden({ file: GOLDEN, repeat: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(() => parseSystemEntityGolden('cases: [{ text: 1, entities: [] }, { text: a, entities: [{ entity: x, value: 1, text: b }] }]')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ issues: expect.arrayContaining([expect.stringContaining('cases[0].text'), expect.stringContaining('does not occur')]) }) }),
    );
    expect(() => parseSystemEntityGolden('cases: [')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
