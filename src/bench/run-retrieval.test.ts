import { describe, expect, it } from 'vitest';
import { createFaqIndex } from '../retrieval/index.js';
import { createTextPipeline } from '../text/index.js';
import { benchRetrieval, summarizeRetrieval } from './run-retrieval.js';

describe('summarizeRetrieval', () => {
  it('computes hit@1, hit@3, MRR, none precision/recall and answer figures', () => {
    const m = summarizeRetrieval([
      { gold: 'a', ranked: ['a', 'b'], decision: 'answer', answered: 'a' },
      { gold: 'b', ranked: ['a', 'c', 'b'], decision: 'suggest', answered: null },
      { gold: 'c', ranked: ['a'], decision: 'none', answered: null },
      { gold: null, ranked: ['a'], decision: 'none', answered: null },
      { gold: null, ranked: ['b'], decision: 'answer', answered: 'b' },
    ]);
    expect(m.hit1).toBeCloseTo(1 / 3, 4);
    expect(m.hit3).toBeCloseTo(2 / 3, 4);
    expect(m.mrr).toBeCloseTo((1 + 1 / 3) / 3, 4);
    expect(m.none).toEqual({ precision: 0.5, recall: 0.5 });
    expect(m.answer.rate).toBeCloseTo(1 / 3, 4);
    expect(m.answer.precision).toBe(0.5);
    expect(m.decisions).toEqual({ answer: 2, suggest: 1, none: 2 });
    expect(m.noneRows).toBe(2);
  });

  it('rejects an empty list', () => {
    expect(() => summarizeRetrieval([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('benchRetrieval', () => {
  it('measures an index on held-out rows', async () => {
    const index = createFaqIndex(
      [
        { id: 'fee', question: '运费怎么算', similar: ['包邮吗'], answer: '满99包邮' },
        { id: 'time', question: '多久发货', similar: ['什么时候发货'], answer: '48小时' },
      ],
      { pipeline: createTextPipeline() },
    );
    const r = await benchRetrieval({
      index,
      test: [
        { text: '运费多少', faq: 'fee' },
        { text: '几时发货', faq: 'time' },
        { text: '今天天气怎么样', faq: null },
      ],
      warmup: 2,
      minLatencySamples: 20,
    });
    expect(r.retrieval.hit1).toBe(1);
    expect(r.retrieval.none.recall).toBe(1);
    expect(r.latency.samples).toBe(20);
    expect(r.entries).toBe(2);
    await expect(benchRetrieval({ index, test: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(benchRetrieval({ index, test: [{ text: 1 }] as never })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
