import { describe, expect, it } from 'vitest';
import { subsample } from './sample.js';

describe('subsample', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  it('is seeded, keeps the original order and has no duplicates', () => {
    const a = subsample(items, { size: 10, seed: 7 });
    expect(a).toEqual(subsample(items, { size: 10, seed: 7 }));
    expect(a).not.toEqual(subsample(items, { size: 10, seed: 8 }));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(new Set(a).size).toBe(10);
  });
  it('returns a copy of everything when size ≥ length', () => {
    const all = subsample(items, { size: 1000, seed: 1 });
    expect(all).toEqual(items);
    expect(all).not.toBe(items);
  });
  it('rejects a bad size or seed', () => {
    expect(() => subsample(items, { size: -1, seed: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => subsample(items, { size: 1, seed: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
