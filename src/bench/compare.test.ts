import { describe, expect, it } from 'vitest';
import { compareWithBaseline, parseBaseline, type Baseline } from './compare.js';

const result = {
  intent: { accuracy: 0.94, macroF1: 0.9, ece: 0.05, oos: { recall: 0.6 } },
  latency: { p95Ms: 0.6, p50Ms: 0.1 },
  clinc150: { intent: { accuracy: 0.97 } },
};

describe('compareWithBaseline', () => {
  it('passes when every metric is within tolerance or budget, the limit itself included', () => {
    const baseline: Baseline = {
      metrics: {
        'intent.accuracy': { value: 0.95, tolerance: 0.01 },
        'latency.p50Ms': { budget: 0.5 },
        'clinc150.intent.accuracy': { value: 0.96, tolerance: 0.01 },
        'intent.ece': { value: 0.05, tolerance: 0, higherIsBetter: false },
      },
    };
    expect(compareWithBaseline(result, baseline)).toEqual([]);
  });

  it('lists drops, rises, budget overruns and missing metrics, sorted by metric', () => {
    const regressions = compareWithBaseline(result, {
      metrics: {
        'intent.oos.recall': { value: 0.62, tolerance: 0.01 },
        'intent.ece': { value: 0.03, tolerance: 0.01, higherIsBetter: false },
        'latency.p95Ms': { budget: 0.5 },
        'intent.perIntent.refund.f1': { value: 0.9, tolerance: 0.02 },
      },
    });
    expect(regressions.map((r) => [r.metric, r.kind, r.actual, r.limit])).toEqual([
      ['intent.ece', 'rose', 0.05, 0.04],
      ['intent.oos.recall', 'dropped', 0.6, expect.closeTo(0.61, 6)],
      ['intent.perIntent.refund.f1', 'missing', null, expect.closeTo(0.88, 6)],
      ['latency.p95Ms', 'over_budget', 0.6, 0.5],
    ]);
    expect(regressions[1]?.message).toBe('intent.oos.recall dropped to 0.6 (baseline 0.62, tolerance 0.01)');
  });

  it('treats a non-number at the path as missing', () => {
    const r = compareWithBaseline({ intent: { oos: null } }, { metrics: { 'intent.oos.recall': { value: 0.5, tolerance: 0.1 } } });
    expect(r[0]?.kind).toBe('missing');
  });
});

describe('parseBaseline', () => {
  it('reports every problem with INVALID_INPUT', () => {
    const bad = { metrics: { 'intent.accuracy': { value: 'x', tolerance: -1 }, 'a..b': { budget: 1 }, lat: { budget: 1, value: 2 } } };
    expect(() => parseBaseline(bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { issues: expect.arrayContaining([expect.stringContaining('.value')]) } }),
    );
    let issues: unknown;
    try {
      parseBaseline(bad);
    } catch (e) {
      issues = (e as { details?: { issues?: unknown } }).details?.issues;
    }
    expect(issues).toHaveLength(4);
    expect(() => parseBaseline([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  it('keeps extra top-level fields as documentation', () => {
    const b = { note: 'measured on CI', metrics: { 'intent.accuracy': { value: 0.9, tolerance: 0.01 } } };
    expect(parseBaseline(b)).toBe(b);
  });
});
