import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchEntities, benchSlotTagger, loadPackEntityDataset, summarizeEntities } from './run-entities.js';
import { loadSharedSlotDataset, readSlotJsonl, type EntityRow } from './slot-datasets.js';

describe('summarizeEntities', () => {
  it('counts exact type + span matches, micro and per type', () => {
    const m = summarizeEntities([
      {
        gold: [
          { entity: 'city', start: 0, end: 2 },
          { entity: 'date', start: 3, end: 5 },
        ],
        predicted: [
          { entity: 'city', start: 0, end: 2 },
          { entity: 'date', start: 3, end: 6 },
        ],
      },
      { gold: [], predicted: [{ entity: 'city', start: 1, end: 2 }] },
      { gold: [{ entity: 'city', start: 4, end: 6 }], predicted: [{ entity: 'date', start: 4, end: 6 }] },
    ]);
    expect(m.micro).toEqual({ precision: 0.25, recall: 1 / 3, f1: expect.closeTo(2 / 7, 10), correct: 1, predicted: 4, gold: 3 });
    expect(m.perEntity.city).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.perEntity.date).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.valueAccuracy).toBeNull();
    expect(m.rows).toBe(3);
  });

  it('matches each gold entity once and scores values where gold carries them', () => {
    const m = summarizeEntities([
      {
        gold: [
          { entity: 'courier', start: 0, end: 2, value: 'SF' },
          { entity: 'money', start: 3, end: 6, value: 299 },
          { entity: 'courier', start: 8, end: 10, value: 'YTO' },
        ],
        predicted: [
          { entity: 'courier', start: 0, end: 2, value: 'SF' },
          { entity: 'courier', start: 0, end: 2, value: 'SF' },
          { entity: 'money', start: 3, end: 6, value: 300 },
        ],
      },
    ]);
    expect(m.micro.correct).toBe(2);
    expect(m.micro.predicted).toBe(3);
    // SF right, 299 ≠ 300, YTO missed: 1 of 3.
    expect(m.valueAccuracy).toBeCloseTo(1 / 3, 10);
    expect(m.valueRows).toBe(3);
  });

  it('gives zeros, not NaN, with nothing to score', () => {
    expect(summarizeEntities([]).micro).toEqual({ precision: 0, recall: 0, f1: 0, correct: 0, predicted: 0, gold: 0 });
  });
});

const ROWS: EntityRow[] = [
  { text: '寄到上海', entities: [{ entity: 'city', start: 2, end: 4 }] },
  { text: '北京的天气', entities: [{ entity: 'city', start: 0, end: 2 }] },
];

describe('benchEntities', () => {
  it('scores an extract function, filters types and measures latency (and the share of a full parse)', () => {
    const extract = (t: string) => {
      const i = t.indexOf('上海');
      return i < 0 ? [{ entity: 'other', start: 0, end: 1 }] : [{ entity: 'city', start: i, end: i + 2 }];
    };
    const r = benchEntities({ test: ROWS, extract, warmup: 2, minLatencySamples: 10, parse: (t) => extract(t) });
    expect(r.entities.micro).toMatchObject({ correct: 1, predicted: 2, gold: 2 });
    expect(r.latency.samples).toBe(10);
    expect(r.parseLatency?.samples).toBe(10);
    expect(r.latencyShare).toBeGreaterThanOrEqual(0);
    expect(r.latencyShare).toBeLessThanOrEqual(1);
    const onlyCity = benchEntities({ test: ROWS, extract, entities: ['city'], warmup: 0, minLatencySamples: 1 });
    expect(onlyCity.entities.micro).toMatchObject({ precision: 1, recall: 0.5 });
  });

  it('rejects an empty test set and bad options', () => {
    expect(() => benchEntities({ test: [], extract: () => [] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => benchEntities({ test: ROWS, extract: 'x' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => benchEntities({ test: ROWS, extract: () => [], warmup: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('benchSlotTagger', () => {
  it('trains on rows and scores held-out rows', () => {
    const cities = ['上海', '北京', '杭州', '成都', '武汉', '南京', '苏州', '广州'];
    const make = (c: string, k: number): EntityRow => {
      const pre = ['寄到', '我在', '发往'][k % 3] as string;
      return { text: `${pre}${c}吧`, entities: [{ entity: 'city', start: pre.length, end: pre.length + c.length }] };
    };
    const train = cities.slice(0, 6).flatMap((c, i) => [make(c, i), make(c, i + 1)]);
    const test = cities.slice(6).map((c, i) => make(c, i));
    const r = benchSlotTagger({ train, test, warmup: 0, minLatencySamples: 5, trainOptions: { seed: 3 } });
    expect(r.entities.micro.f1).toBe(1);
    expect(r.trainExamples).toBe(12);
    expect(r.modelBytes).toBeGreaterThan(100);
    expect(r.unalignedSpans).toBe(0);
  });
});

describe('slot dataset readers', () => {
  it('reads {text, entities} JSONL and reports every malformed line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kefu-slots-'));
    const good = join(dir, 'good.jsonl');
    await writeFile(good, '{"text":"我要听吴雨霏的歌","entities":[{"start":3,"end":6,"entity":"singer_name","value":"吴雨霏"}]}\n\n{"text":"你好"}\n');
    expect(await readSlotJsonl(good)).toEqual([
      { text: '我要听吴雨霏的歌', entities: [{ entity: 'singer_name', start: 3, end: 6 }] },
      { text: '你好', entities: [] },
    ]);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, 'nope\n{"text":"ab","entities":[{"start":1,"end":5,"entity":"x"}]}\n');
    await expect(readSlotJsonl(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { issues: [expect.stringContaining(':1'), expect.stringContaining(':2')] } });
    await expect(readSlotJsonl(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('skips a shared dataset whose folder is absent and rejects unknown ids', async () => {
    const r = await loadSharedSlotDataset('cais', { datasetsDir: join(tmpdir(), 'kefu-no-such-dir') });
    expect(r.status).toBe('skipped');
    await expect(loadSharedSlotDataset('atis' as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('turns pack tests with markup into rows with gold values', async () => {
    const { test } = await loadPackEntityDataset('fixtures/packs/ecommerce-zh');
    expect(test.length).toBeGreaterThan(0);
    for (const row of test) for (const e of row.entities) expect(e.end).toBeLessThanOrEqual(row.text.length);
  });
});
