import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { extractSystemEntities } from './index.js';

interface Expected {
  entity: string;
  value: string | number;
  text: string;
  courier?: string;
  currency?: string;
  unit?: string;
  kind?: string;
}
interface Case {
  text: string;
  now?: string;
  timeZone?: string;
  orderIdPattern?: string;
  entities: Expected[];
}
const golden = parse(readFileSync(new URL('../../../fixtures/entities/golden.yaml', import.meta.url), 'utf8')) as {
  now: string;
  timeZone: string;
  cases: Case[];
};

describe('system entities golden file', () => {
  it('has at least 200 cases, Chinese and English, with negatives', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(200);
    expect(golden.cases.filter((c) => /[a-z]{3}/i.test(c.text) && !/\p{Script=Han}/u.test(c.text)).length).toBeGreaterThanOrEqual(40);
    expect(golden.cases.filter((c) => c.entities.length === 0).length).toBeGreaterThanOrEqual(20);
  });

  // One test per case: the extracted list must equal the expected one (type, text, value, stated extra fields).
  golden.cases.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.text)}`, () => {
      const got = extractSystemEntities(c.text, {
        now: c.now ?? golden.now,
        timeZone: c.timeZone ?? golden.timeZone,
        ...(c.orderIdPattern === undefined ? {} : { orderIdPattern: c.orderIdPattern }),
      });
      const shaped = got.map((e, k) => {
        const want = c.entities[k];
        const extra = Object.fromEntries((['courier', 'currency', 'unit', 'kind'] as const).filter((f) => want?.[f] !== undefined).map((f) => [f, e[f]]));
        return { entity: e.entity, value: e.value, text: e.text, ...extra };
      });
      expect(shaped).toEqual(c.entities);
      for (const e of got) expect(c.text.slice(e.start, e.end)).toBe(e.text);
    });
  });
});
