import { describe, expect, it } from 'vitest';
import { isLabelledSpan } from './span.js';

describe('isLabelledSpan', () => {
  it('accepts a named, non-empty, in-bounds half-open span and refuses every other shape', () => {
    expect(isLabelledSpan({ entity: 'city', start: 0, end: 2 }, 2)).toBe(true);
    expect(isLabelledSpan({ entity: 'city', start: 1, end: 2, value: 'x' }, 5)).toBe(true);
    for (const bad of [null, 'city', [], { entity: '', start: 0, end: 1 }, { entity: 'x', start: 1, end: 1 }, { entity: 'x', start: -1, end: 1 }, { entity: 'x', start: 0, end: 6 }, { entity: 'x', start: 0.5, end: 1 }, { entity: 'x', start: '0', end: 1 }, { start: 0, end: 1 }]) {
      expect(isLabelledSpan(bad, 5)).toBe(false);
    }
  });
});
