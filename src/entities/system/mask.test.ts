import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { maskPii } from './index.js';

describe('maskPii', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPii('手机13812345678')).toBe('手机138****5678');
    expect(maskPii('电话138-1234-5678')).toBe('电话138-****-5678');
    expect(maskPii('+86 138 1234 5678')).toBe('+86 138 **** 5678');
    expect(maskPii('１３８１２３４５６７８')).toBe('１３８****５６７８');
  });

  it('keeps a landline area code, the last four characters of ID and bank cards, the first letter of an email', () => {
    expect(maskPii('座机010-62345678')).toBe('座机010-****5678');
    expect(maskPii('身份证11010519881013123X')).toBe('身份证**************123X');
    expect(maskPii('卡号6222 0212 3456 7890 128')).toBe('卡号**** **** **** ***0 128');
    expect(maskPii('邮箱zhang.wei@example.com')).toBe('邮箱z********@example.com');
  });

  it('leaves order ids, money and dates alone, and honours include, maskChar and keepLast', () => {
    const text = '订单202611210001234567，退99元，明天到，手机13812345678';
    expect(maskPii(text)).toBe('订单202611210001234567，退99元，明天到，手机138****5678');
    expect(maskPii('手机13812345678 a@b.com', { include: ['email'] })).toBe('手机13812345678 a@b.com');
    expect(maskPii('手机13812345678', { maskChar: '#' })).toBe('手机138####5678');
    expect(maskPii('卡号6217001234567893', { keepLast: 0 })).toBe('卡号****************');
  });

  it('rejects bad options', () => {
    expect(() => maskPii('x', { maskChar: '**' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => maskPii('x', { keepLast: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => maskPii('x', { include: ['money' as 'phone'] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => maskPii(null as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  const chatText = fc
    .array(fc.constantFrom('手机', '13812345678', '138-1234-5678', '邮箱', 'ab.c@example.com', '11010519881013123X', '6217001234567893', '，', ' ', '\ud800', '😀', 'x', '7'), { maxLength: 10 })
    .map((a) => a.join(''));
  test.prop([fc.oneof(chatText, fc.string({ unit: 'binary', maxLength: 40 }))], { numRuns: 300 })(
    'keeps the length and changes only digits and letters, into the mask character',
    (s) => {
      const masked = maskPii(s);
      expect(masked.length).toBe(s.length);
      for (let i = 0; i < s.length; i++) if (masked[i] !== s[i]) expect(masked[i]).toBe('*');
      expect(maskPii(masked)).toBe(masked);
    },
  );
});
