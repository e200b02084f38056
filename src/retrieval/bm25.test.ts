import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bm25Add, bm25AccumulateAll, bm25Idf, docCoverage, bm25Remove, createBm25, createScratch, prepareQuery, resetScratch, type Bm25 } from './bm25.js';

/** Brute-force BM25 query coverage of one document, straight from the definition. */
function bruteForce(index: Bm25, docs: readonly (readonly string[] | null)[], query: readonly string[], d: number): number {
  const { k1, b } = index.params;
  const live = docs.filter((x) => x !== null) as (readonly string[])[];
  const avgdl = live.reduce((s, x) => s + x.length, 0) / live.length;
  const doc = docs[d] as readonly string[];
  let mass = 0;
  let score = 0;
  for (const term of new Set(query)) {
    const df = live.filter((x) => x.includes(term)).length;
    const idf = bm25Idf(index, df);
    mass += idf;
    const tf = doc.filter((t) => t === term).length;
    if (tf > 0 && df > 0) score += (idf * (k1 + 1) * tf) / (tf + k1 * (1 - b + (b * doc.length) / avgdl));
  }
  return mass > 0 ? score / mass : 0;
}

const vocabulary = 'abcdefghijklmnop'.split('');
const docArb = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 8 });

describe('bm25AccumulateAll', () => {
  it('scores every touched document exactly, whichever way a common term is added', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (texts, query, openLimit, removals) => {
          const index = createBm25({ k1: 1.2, b: 0.75 });
          const docs: (readonly string[] | null)[] = [...texts];
          texts.forEach((t, d) => bm25Add(index, d, t));
          for (const r of removals) {
            const d = r % texts.length;
            if (docs[d] !== null && docs.filter((x) => x !== null).length > 1) {
              bm25Remove(index, d);
              docs[d] = null;
            }
          }
          const scratch = createScratch(1, texts.length);
          bm25AccumulateAll([{ index, query: prepareQuery(index, query), family: 0 }], scratch, openLimit);
          const touched = new Set(Array.from(scratch.touched.subarray(0, scratch.nTouched)));
          const open = new Set(query.filter((term) => docs.filter((x) => x?.includes(term)).length <= openLimit));
          docs.forEach((doc, d) => {
            if (doc === null) {
              expect(touched.has(d)).toBe(false);
              return;
            }
            // Every live document holding a rare ("open") query term is touched.
            if (doc.some((t) => open.has(t))) expect(touched.has(d)).toBe(true);
            if (!touched.has(d)) return;
            expect(scratch.scores[0]?.[d]).toBeCloseTo(bruteForce(index, docs, query, d), 9);
            // The IDF of the query terms the document holds, and the document coverage built on it.
            const live = docs.filter((x) => x !== null) as (readonly string[])[];
            const idfOf = (term: string): number => bm25Idf(index, live.filter((x) => x.includes(term)).length);
            const hit = [...new Set(query)].filter((term) => doc.includes(term)).reduce((a, term) => a + idfOf(term), 0);
            expect(scratch.hits[0]?.[d]).toBeCloseTo(hit, 9);
            const mass = [...new Set(doc)].reduce((a, term) => a + idfOf(term), 0);
            expect(docCoverage(index, d, hit)).toBeCloseTo(mass > 0 ? Math.min(1, hit / mass) : 0, 9);
          });
          // Something is always touched when a live document shares a term with the query.
          if (docs.some((doc) => doc?.some((t) => query.includes(t)))) expect(scratch.nTouched).toBeGreaterThan(0);
          resetScratch(scratch);
          expect(scratch.scores[0]?.every((x) => x === 0)).toBe(true);
          expect(scratch.hits[0]?.every((x) => x === 0)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('reads the touched documents term by term when their terms are fewer than the common postings', () => {
    // 2,000 documents share the common terms x and y; only five hold the rare term r.
    const index = createBm25({ k1: 1.2, b: 0.75 });
    const docs: string[][] = [];
    for (let d = 0; d < 2000; d++) docs.push(d % 400 === 0 ? ['r', 'x', 'y', 'y'] : ['x', 'y', d % 2 === 0 ? 'z' : 'w']);
    docs.forEach((t, d) => bm25Add(index, d, t));
    const scratch = createScratch(1, docs.length);
    bm25AccumulateAll([{ index, query: prepareQuery(index, ['r', 'x', 'y']), family: 0 }], scratch, 10);
    expect(scratch.nTouched).toBe(5);
    for (let t = 0; t < scratch.nTouched; t++) {
      const d = scratch.touched[t] as number;
      expect(scratch.scores[0]?.[d]).toBeCloseTo(bruteForce(index, docs, ['r', 'x', 'y'], d), 12);
    }
  });

  it('opens the rarest term of any family when no term is rare enough', () => {
    const words = createBm25({ k1: 1.2, b: 0.75 });
    const chars = createBm25({ k1: 1.2, b: 0.75 });
    for (let d = 0; d < 100; d++) {
      bm25Add(words, d, ['common']);
      bm25Add(chars, d, d < 30 ? ['c', 'k'] : ['c']);
    }
    const scratch = createScratch(2, 100);
    bm25AccumulateAll(
      [
        { index: words, query: prepareQuery(words, ['common']), family: 0 },
        { index: chars, query: prepareQuery(chars, ['c', 'k']), family: 1 },
      ],
      scratch,
      5,
    );
    // 'k' (30 documents) is the rarest term of both families: its documents alone are scored.
    expect(scratch.nTouched).toBe(30);
    expect(scratch.scores[0]?.[0]).toBeGreaterThan(0);
    expect(scratch.scores[0]?.[50]).toBe(0);
  });
});
