import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { extractSystemEntities } from './index.js';

// The machine's zone must not change any result: chrono computes in machine-local time, kefu converts around it.
const golden = parse(readFileSync(new URL('../../../fixtures/entities/golden.yaml', import.meta.url), 'utf8')) as {
  now: string;
  timeZone: string;
  cases: { text: string; now?: string; timeZone?: string; entities: { entity: string }[] }[];
};
const dated = golden.cases.filter((c) => c.entities.some((e) => e.entity === 'date' || e.entity === 'datetime'));
const run = (): unknown[] => dated.map((c) => extractSystemEntities(c.text, { now: c.now ?? golden.now, timeZone: c.timeZone ?? golden.timeZone }));

describe('results do not depend on the machine time zone', () => {
  const original = process.env['TZ'];
  afterAll(() => {
    if (original === undefined) delete process.env['TZ'];
    else process.env['TZ'] = original;
  });

  it('gives the same dates under UTC, New York, Kiritimati (+14) and Pago Pago (-11)', () => {
    process.env['TZ'] = 'UTC';
    const reference = run();
    expect(dated.length).toBeGreaterThan(60);
    for (const zone of ['America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Shanghai']) {
      process.env['TZ'] = zone;
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).not.toBe(0); // the switch took effect
      expect(run()).toEqual(reference);
    }
  });

  it('writes the offset of the requested zone, across a DST change', () => {
    const [winter] = extractSystemEntities('明天上午9点', { now: '2026-03-07T12:00:00-05:00', timeZone: 'America/New_York' });
    expect(winter?.value).toBe('2026-03-08T09:00:00-04:00');
    const [india] = extractSystemEntities('明天下午三点', { now: '2026-11-20T10:00:00+05:30', timeZone: 'Asia/Kolkata' });
    expect(india?.value).toBe('2026-11-21T15:00:00+05:30');
  });
});
