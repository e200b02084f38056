import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { extractSystemEntities, isLuhnValid, isValidIdCard } from './index.js';

const NOW = '2026-11-20T10:00:00+08:00';

const pieces = fc.constantFrom(
  '订单号', '202611210001234567', '13812345678', '138-1234-5678', '+86 ', '010-62345678', 'SF1234567890123', '顺丰',
  '中通', '快递单号', '卡号', '6222021234567890128', '身份证', '110105199003071239', 'a@b.com', 'https://x.cn/a',
  '99.5元', '两百块', '¥1,299', '3块5', '5毛', '三千五', '1.5万', '$20', 'a dozen', '三件', '十二个', '三星', '明天',
  '下午三点', '下周一', '12月1号', '月底', '上个月', '双十一', '618', '大促', '下单后7天', 'tomorrow at 3pm',
  'next week', '½', '①', '㈱', '１２３', '０１０', '，', '。', ' ', '　', '\n', '\u0000', '\u200b', '\ud800', '\udc00',
  '😀', '👨‍👩‍👧', 'é', '\u0301', '萬', '兩', '後天', '號', '-', '.', ':', '/', '@', '#', 'x', 'X',
);
const chatText = fc.oneof(
  fc.array(pieces, { maxLength: 12 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'0123456789 -+.,元块毛万亿十百千两三号月日天点后前年周'), maxLength: 40 }),
);

describe('extractSystemEntities: invariants', () => {
  test.prop([chatText], { numRuns: 500 })('spans slice back to their text, are sorted and never overlap', (s) => {
    const entities = extractSystemEntities(s, { now: NOW });
    let lastEnd = 0;
    for (const e of entities) {
      expect(e.start).toBeGreaterThanOrEqual(lastEnd);
      expect(e.end).toBeGreaterThan(e.start);
      expect(s.slice(e.start, e.end)).toBe(e.text);
      expect(e.source).toBe('system');
      expect(e.confidence).toBe(1);
      expect(typeof e.value === 'number' ? Number.isFinite(e.value) : e.value.length > 0).toBe(true);
      lastEnd = e.end;
    }
  });

  test.prop([chatText, fc.subarray(['phone', 'order_id', 'money', 'number', 'quantity', 'date', 'datetime'] as const)], { numRuns: 200 })(
    'include returns exactly the matching subset of the full result',
    (s, include) => {
      const all = extractSystemEntities(s, { now: NOW });
      expect(extractSystemEntities(s, { now: NOW, include })).toEqual(all.filter((e) => (include as readonly string[]).includes(e.entity)));
    },
  );

  it('handles empty, whitespace, emoji, control characters and broken surrogates', () => {
    for (const s of ['', ' ', '\u0000\u0001', '\ud800\udc00\ud800', '😀👍🏻', '\u200b13812345678\u200b']) {
      expect(() => extractSystemEntities(s, { now: NOW })).not.toThrow();
    }
    const [phone] = extractSystemEntities('\u200b138\u200b1234\u200b5678', { now: NOW });
    expect(phone).toMatchObject({ entity: 'phone', value: '13812345678', start: 1 });
  });

  it('handles a 100 KB message', () => {
    const big = '我要退货，订单号202611210001234567，明天下午三点，两百块。'.repeat(3000).slice(0, 100_000);
    const entities = extractSystemEntities(big, { now: NOW });
    expect(entities.length).toBeGreaterThan(1000);
    for (const e of entities.slice(0, 50)) expect(big.slice(e.start, e.end)).toBe(e.text);
  });
});

describe('extractSystemEntities: priorities and options', () => {
  it('never reports the digits of a phone, order id or money as a number', () => {
    const entities = extractSystemEntities('订单202611210001234567电话13812345678退99元', { now: NOW });
    expect(entities.map((e) => e.entity)).toEqual(['order_id', 'phone', 'money']);
  });

  it('an order cue beats the phone shape when the order pattern allows 11 digits', () => {
    const [withCue] = extractSystemEntities('订单号13812345678', { orderIdPattern: '[0-9]{11,20}' });
    expect(withCue).toMatchObject({ entity: 'order_id', value: '13812345678' });
    const [withoutCue] = extractSystemEntities('13812345678', { orderIdPattern: '[0-9]{11,20}' });
    expect(withoutCue).toMatchObject({ entity: 'phone' });
  });

  it('include filters the results but excluded entities still claim their text', () => {
    const only = extractSystemEntities('电话13812345678，买三件', { include: ['number', 'quantity'] });
    expect(only).toEqual([expect.objectContaining({ entity: 'quantity', value: 3 })]);
  });

  it('reads a Date and an ISO string for now, and is independent of the machine time zone', () => {
    const a = extractSystemEntities('明天下午三点', { now: new Date('2026-11-20T02:00:00Z') });
    const b = extractSystemEntities('明天下午三点', { now: '2026-11-20T10:00:00+08:00' });
    expect(a).toEqual(b);
    expect(a[0]?.value).toBe('2026-11-21T15:00:00+08:00');
  });

  it('language zh skips English dates; en skips Chinese ones', () => {
    expect(extractSystemEntities('tomorrow 明天', { now: NOW, language: 'zh' }).map((e) => e.text)).toEqual(['明天']);
    expect(extractSystemEntities('tomorrow 明天', { now: NOW, language: 'en' }).map((e) => e.text)).toEqual(['tomorrow']);
  });

  it('rejects bad options with INVALID_OPTION and a non-string with INVALID_INPUT', () => {
    expect(() => extractSystemEntities('x', { timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', { now: 'not a date' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', { include: ['phone', 'fax' as 'phone'] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', { orderIdPattern: '([0-9]+)+' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', { orderIdPattern: '[0-9' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', { language: 'fr' as 'zh' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities('x', 'zh' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractSystemEntities(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('checksums', () => {
  it('verifies ID card check characters and birth dates', () => {
    expect(isValidIdCard('110105199003071239')).toBe(true);
    expect(isValidIdCard('11010519881013123X')).toBe(true);
    expect(isValidIdCard('110105199003071238')).toBe(false);
    expect(isValidIdCard('110105199002301230')).toBe(false); // 30 February
    expect(isValidIdCard('11010519881013123x')).toBe(false); // callers upper-case first
  });

  it('verifies Luhn digits', () => {
    expect(isLuhnValid('6222021234567890128')).toBe(true);
    expect(isLuhnValid('6222021234567890127')).toBe(false);
    expect(isLuhnValid('4532 0123')).toBe(false);
  });
});
