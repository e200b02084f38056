import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { createNormalizer, toOriginalSpan } from './normalize.js';

const normalizer = createNormalizer();
const dropEmoji = createNormalizer({ emoji: 'drop' });

/** Text that looks like real chat input: Chinese (simplified and traditional), ASCII, full width, emoji, junk. */
const chatChar = fc.oneof(
  fc.constantFrom(...'我要退货訂單號碼發票謝謝客服快递到哪了，。！？!?  　\t\nＡＢＣ１２３abcXYZ'),
  fc.constantFrom('😀', '👍🏻', '👨‍👩‍👧', '🇨🇳', '❤️', '1️⃣', '\u0000', '\u200b', '\ufeff', '\u0301', 'é', 'İ', '①', '㈱', '\ud800', '\udc00'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const chatText = fc.array(chatChar, { maxLength: 40 }).map((a) => a.join(''));

describe('createNormalizer', () => {
  it.each([
    ['我要退貨！！！ ＯＫ', '我要退货! ok'],
    ['  我 要 退货  ', '我要退货'],
    ['订单号：２０２６ １１２１', '订单号:2026 1121'],
    ['Hello\u0000World', 'helloworld'],
    ['\ud800abc\udc00', 'abc'],
    ['發票怎麼開', '发票怎么开'],
    ['好的～～～', '好的~'],
    ['a\u200bb', 'ab'],
    ['', ''],
    ['   ', ''],
    ['\ufc5e', ''],
    ['a\ufc5eb', 'a b'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizer.normalize(input).text).toBe(expected);
  });

  it.each(['\ufc5e', '我\u03aa\u0301', '\u1fbc\u0345', '\u85b4a', 'x\u03d4\u0301'])('is idempotent on the edge case %j', (s) => {
    const once = normalizer.normalize(s).text;
    expect(normalizer.normalize(once).text).toBe(once);
  });

  it('keeps emoji by default and drops them on request', () => {
    expect(normalizer.normalize('好评👍🏻👨‍👩‍👧').text).toBe('好评👍🏻👨‍👩‍👧');
    expect(dropEmoji.normalize('好评👍🏻👨‍👩‍👧').text).toBe('好评');
  });

  it('respects options that turn steps off', () => {
    const raw = createNormalizer({ simplified: false, lowercase: false, foldPunctuation: false, dropSpacesBetweenHan: false });
    expect(raw.normalize('退貨 OK！！').text).toBe('退貨 OK!!');
  });

  it('maps normalised spans back to the original text', () => {
    const n = normalizer.normalize('ＡＢＣ訂單！！！');
    expect(n.text).toBe('abc订单!');
    expect(toOriginalSpan(n, 3, 5)).toEqual({ start: 3, end: 5, text: '訂單' });
    expect(toOriginalSpan(n, 5, 6)).toEqual({ start: 5, end: 8, text: '！！！' });
    expect(toOriginalSpan(n, 0, 0)).toEqual({ start: 0, end: 0, text: '' });
  });

  it('handles a 100 KB message in linear time', () => {
    const big = '我要退货，订单号是202611210001234567。'.repeat(4000);
    const n = normalizer.normalize(big);
    expect(n.text.length).toBeGreaterThan(100_000);
    expect(n.starts.length).toBe(n.text.length);
  });

  it('rejects wrong types with stable codes', () => {
    expect(() => normalizer.normalize(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createNormalizer({ emoji: 'maybe' as 'keep' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createNormalizer('zh' as unknown as object)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createNormalizer({ lowercase: 1 as unknown as boolean })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('normalisation properties', () => {
  test.prop([chatText], { numRuns: 400 })('is idempotent', (s) => {
    const once = normalizer.normalize(s).text;
    expect(normalizer.normalize(once).text).toBe(once);
    const onceDrop = dropEmoji.normalize(s).text;
    expect(dropEmoji.normalize(onceDrop).text).toBe(onceDrop);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 60 })], { numRuns: 400 })('never throws on any string and is idempotent', (s) => {
    const once = normalizer.normalize(s).text;
    expect(normalizer.normalize(once).text).toBe(once);
  });

  test.prop([chatText], { numRuns: 400 })('offset map is monotonic and inside the original', (s) => {
    const n = normalizer.normalize(s);
    let prevStart = 0;
    for (let i = 0; i < n.text.length; i++) {
      const a = n.starts[i] as number;
      const b = n.ends[i] as number;
      expect(a).toBeGreaterThanOrEqual(prevStart);
      expect(b).toBeGreaterThan(a);
      expect(b).toBeLessThanOrEqual(s.length);
      prevStart = a;
    }
  });

  test.prop([chatText, fc.nat(), fc.nat()], { numRuns: 400 })('every span slices back to its original text', (s, x, y) => {
    const n = normalizer.normalize(s);
    const len = n.text.length;
    const a = len === 0 ? 0 : x % (len + 1);
    const b = len === 0 ? 0 : a + (y % (len - a + 1));
    const span = toOriginalSpan(n, a, b);
    expect(s.slice(span.start, span.end)).toBe(span.text);
    expect(span.start).toBeLessThanOrEqual(span.end);
  });
});
