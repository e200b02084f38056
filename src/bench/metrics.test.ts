import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusions,
  ece,
  latencyPercentiles,
  macroF1,
  oos,
  overallAccuracy,
  perIntent,
  summarizeIntent,
  topAccuracy,
  type PredictionRow,
} from './metrics.js';

// Nine hand-labelled rows; every expected value below is worked out by hand in the comments.
const rows: PredictionRow[] = [
  { gold: 'a', predicted: 'a', confidence: 0.9 }, //   1 right
  { gold: 'a', predicted: 'b', confidence: 0.6 }, //   2 a→b
  { gold: 'b', predicted: 'b', confidence: 0.8 }, //   3 right
  { gold: 'b', predicted: null, confidence: 0.3, top: 'b' }, // 4 declined, but top-1 right
  { gold: null, predicted: null, confidence: 0.2, top: 'a' }, // 5 out of scope, declined
  { gold: null, predicted: 'a', confidence: 0.7 }, //  6 out of scope, accepted as a
  { gold: 'c', predicted: 'a', confidence: 0.55 }, //  7 c→a
  { gold: 'a', predicted: 'a', confidence: 0.95 }, //  8 right
  { gold: 'c', predicted: 'a', confidence: 0.45 }, //  9 c→a
];

describe('accuracy family', () => {
  it('accuracy is over in-scope rows and charges declines: 3 right of 7', () => {
    expect(accuracy(rows)).toBeCloseTo(3 / 7, 4);
  });
  it('topAccuracy ignores the decision: rows 1, 3, 4, 8 of 7 in-scope', () => {
    expect(topAccuracy(rows)).toBeCloseTo(4 / 7, 4);
  });
  it('overallAccuracy counts a correct decline: rows 1, 3, 5, 8 of 9', () => {
    expect(overallAccuracy(rows)).toBeCloseTo(4 / 9, 4);
  });
  it('is plain accuracy without out-of-scope rows, and 0 for no rows', () => {
    expect(accuracy(rows.filter((r) => r.gold !== null))).toBeCloseTo(3 / 7, 4);
    expect(accuracy([])).toBe(0);
  });
});

describe('perIntent and macroF1', () => {
  it('computes precision, recall, F1 and support per label', () => {
    const p = perIntent(rows);
    expect(Object.keys(p)).toEqual(['a', 'b', 'c']);
    // a: gold rows 1, 2, 8; predicted on 1, 6, 7, 8, 9; 2 true positives.
    expect(p.a?.support).toBe(3);
    expect(p.a?.precision).toBeCloseTo(2 / 5, 4);
    expect(p.a?.recall).toBeCloseTo(2 / 3, 4);
    expect(p.a?.f1).toBeCloseTo(1 / 2, 4); // 2·(2/5)(2/3) / (2/5 + 2/3) = (8/15)/(16/15)
    // b: gold rows 3, 4; predicted on 2, 3; 1 true positive.
    expect(p.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    // c: never predicted.
    expect(p.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
  });
  it('macroF1 averages over gold labels: (1/2 + 1/2 + 0) / 3', () => {
    expect(macroF1(rows)).toBeCloseTo(1 / 3, 4);
  });
  it('lists a predicted-only label with support 0 but leaves it out of the macro average', () => {
    const r: PredictionRow[] = [
      { gold: 'a', predicted: 'a', confidence: 1 },
      { gold: 'a', predicted: 'z', confidence: 1 },
    ];
    expect(perIntent(r).z).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // a: P 1, R 1/2 → F1 2/3; z is not averaged in.
    expect(macroF1(r)).toBeCloseTo(2 / 3, 4);
  });
});

describe('confusions', () => {
  it('ranks gold→predicted mistakes by count, then by label with null first', () => {
    expect(confusions(rows)).toEqual([
      { gold: 'c', predicted: 'a', count: 2 },
      { gold: null, predicted: 'a', count: 1 },
      { gold: 'a', predicted: 'b', count: 1 },
      { gold: 'b', predicted: null, count: 1 },
    ]);
    expect(confusions(rows, { top: 2 })).toHaveLength(2);
  });
  it('rejects a bad top', () => {
    expect(() => confusions(rows, { top: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('oos', () => {
  it('recall = out-of-scope rows declined (1 of rows 5, 6); precision = declines that were out of scope (1 of rows 4, 5)', () => {
    expect(oos(rows)).toEqual({ precision: 0.5, recall: 0.5 });
  });
  it('is null without out-of-scope gold rows', () => {
    expect(oos(rows.filter((r) => r.gold !== null))).toBeNull();
  });
});

describe('ece', () => {
  it('bins by floor(confidence × 10) and compares hits with confidence', () => {
    // bin 9: rows 1, 8 → |2 − 1.85| = 0.15; bin 8: row 3 → 0.2; bin 7: row 6 → 0.7; bin 6: row 2 → 0.6;
    // bin 5: row 7 → 0.55; bin 4: row 9 → 0.45; bin 3: row 4 (top b right) → 0.7; bin 2: row 5 (top a ≠ null) → 0.2.
    expect(ece(rows)).toBeCloseTo(3.55 / 9, 4);
  });
  it('is 0 for perfectly calibrated bins and puts confidence 1 in the last bin', () => {
    const calibrated: PredictionRow[] = [
      { gold: 'a', predicted: 'a', confidence: 1 },
      { gold: 'a', predicted: 'a', confidence: 0.55 },
      { gold: 'a', predicted: 'b', confidence: 0.55 },
    ];
    // bin 9: |1 − 1| = 0; bin 5: |1 − 1.1| = 0.1 → 0.1 / 3.
    expect(ece(calibrated)).toBeCloseTo(0.1 / 3, 4);
    expect(ece([])).toBe(0);
  });
  it('honours the bin count', () => {
    const two: PredictionRow[] = [
      { gold: 'a', predicted: 'a', confidence: 0.9 },
      { gold: 'a', predicted: 'b', confidence: 0.6 },
    ];
    // One bin: |1 − 1.5| / 2.
    expect(ece(two, { bins: 1 })).toBeCloseTo(0.25, 4);
  });
});

describe('latencyPercentiles', () => {
  it('uses nearest rank', () => {
    expect(latencyPercentiles([0.4, 0.1, 0.3, 0.2])).toEqual({ p50Ms: 0.2, p95Ms: 0.4, p99Ms: 0.4, samples: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencyPercentiles(hundred)).toEqual({ p50Ms: 50, p95Ms: 95, p99Ms: 99, samples: 100 });
    expect(latencyPercentiles([0.7])).toEqual({ p50Ms: 0.7, p95Ms: 0.7, p99Ms: 0.7, samples: 1 });
  });
  it('rejects no samples and non-finite samples', () => {
    expect(() => latencyPercentiles([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => latencyPercentiles([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('summarizeIntent', () => {
  it('collects every metric, with oos only when gold has nulls', () => {
    const s = summarizeIntent(rows, { top: 1 });
    expect(s.accuracy).toBeCloseTo(3 / 7, 4);
    expect(s.topAccuracy).toBeCloseTo(4 / 7, 4);
    expect(s.macroF1).toBeCloseTo(1 / 3, 4);
    expect(s.confusions).toEqual([{ gold: 'c', predicted: 'a', count: 2 }]);
    expect(s.oos).toEqual({ precision: 0.5, recall: 0.5 });
    expect(s.rows).toBe(9);
    expect(s.oosRows).toBe(2);
    expect('oos' in summarizeIntent(rows.filter((r) => r.gold !== null))).toBe(false);
  });
  it('reports every malformed row', () => {
    const bad = [{ gold: 1, predicted: 'a', confidence: 2 }, { gold: 'a', predicted: 'a', confidence: 0.5 }] as unknown as PredictionRow[];
    expect(() => summarizeIntent(bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { issues: [expect.stringContaining('[0].gold'), expect.stringContaining('[0].confidence')] } }),
    );
  });
});
