import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseAnnotated } from './annotate.js';

describe('parseAnnotated', () => {
  it('extracts spans with and without canonical values', () => {
    const r = parseAnnotated('我要退[202611210001234567](order_id)的货，用[顺丰](courier:SF)寄');
    expect(r.text).toBe('我要退202611210001234567的货，用顺丰寄');
    expect(r.spans).toEqual([
      { entity: 'order_id', start: 3, end: 21, text: '202611210001234567' },
      { entity: 'courier', value: 'SF', start: 25, end: 27, text: '顺丰' },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('keeps [..] that is not an annotation and honours escapes', () => {
    expect(parseAnnotated('[图片] 这个能退吗').text).toBe('[图片] 这个能退吗');
    expect(parseAnnotated('a \\[b\\](c)').text).toBe('a [b](c)');
    expect(parseAnnotated('a \\[b\\](c)').spans).toEqual([]);
  });

  it('reports problems instead of throwing', () => {
    expect(parseAnnotated('查[123](order_id').problems[0]?.message).toMatch(/closing "\)"/);
    expect(parseAnnotated('查[123](Order-ID)').problems[0]?.message).toMatch(/not a valid entity name/);
    expect(parseAnnotated('查[](order_id)').problems[0]?.message).toMatch(/no text/);
    expect(parseAnnotated('查[1](order_id:)').problems[0]?.message).toMatch(/empty value/);
  });

  test.prop([fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('[', ']', '(', ')', '\\', ':', '[a](b)', '[x](y:z)')), { maxLength: 12 })])(
    'never throws and spans slice back to their text',
    (parts) => {
      const r = parseAnnotated(parts.join(''));
      for (const s of r.spans) expect(r.text.slice(s.start, s.end)).toBe(s.text);
    },
  );
});
