import { describe, expect, it } from 'vitest';
import { normalizeL2, poolHiddenStates } from './pool.js';

describe('poolHiddenStates', () => {
  // batch 2, seq 3, hidden 2; row 1 has 2 real tokens and one padding token.
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 999, 999]);

  it('cls takes the first token of each row', () => {
    expect(poolHiddenStates(data, 2, 3, 2, [3, 2], 'cls').map((v) => Array.from(v))).toEqual([
      [1, 2],
      [10, 20],
    ]);
  });

  it('mean averages only the real tokens', () => {
    expect(poolHiddenStates(data, 2, 3, 2, [3, 2], 'mean').map((v) => Array.from(v))).toEqual([
      [3, 4],
      [20, 30],
    ]);
  });
});

describe('normalizeL2', () => {
  it('scales to unit length and leaves a zero vector at zero', () => {
    expect(Array.from(normalizeL2(Float32Array.from([3, 4])))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from(normalizeL2(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
});
