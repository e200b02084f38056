import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findJsonStateIssues, serializeSessionState } from './json-state.js';

describe('session state JSON check', () => {
  test.prop([fc.jsonValue()])('accepts every JSON value, and what it writes parses back to the same JSON', (value) => {
    expect(findJsonStateIssues(value)).toEqual([]);
    const text = serializeSessionState(value);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });

  it('names each value JSON would drop or change, with its path', () => {
    class Slot {
      value = 1;
    }
    const shared = { x: 1 };
    const state = {
      at: new Date(0),
      nested: { 'odd key': undefined, list: [1, undefined, Number.NEGATIVE_INFINITY] },
      set: new Set([1]),
      slot: new Slot(),
      twice: [shared, shared], // the same object twice is not a cycle
      [Symbol('s')]: 1,
      big: 10n,
    };
    expect(findJsonStateIssues(state).map((i) => i.path)).toEqual([
      'state',
      'state.at',
      'state.nested["odd key"]',
      'state.nested.list[1]',
      'state.nested.list[2]',
      'state.set',
      'state.slot',
      'state.big',
    ]);
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(findJsonStateIssues(sparse)).toEqual([{ path: 'state', problem: 'a hole at index 1 (JSON writes null)' }]);
  });

  it('finds cycles and stops after 50 issues', () => {
    const a: Record<string, unknown> = {};
    a.b = { a };
    expect(findJsonStateIssues(a)).toEqual([{ path: 'state.b.a', problem: 'a circular reference (JSON cannot write it)' }]);
    expect(findJsonStateIssues(Array.from({ length: 500 }, () => Number.NaN))).toHaveLength(50);
  });

  it('throws STATE_NOT_JSON with every issue in details and the first few in the message', () => {
    const state = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, Number.NaN]));
    expect(() => serializeSessionState(state)).toThrow(
      expect.objectContaining({ code: 'STATE_NOT_JSON', message: expect.stringMatching(/7 values do not survive JSON: state\.k0: NaN.*\(and 2 more\)/) }),
    );
    expect(() => serializeSessionState(state)).toThrow(expect.objectContaining({ details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'state.k6' })]) } }));
  });
});
