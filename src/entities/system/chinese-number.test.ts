import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseChineseInteger, parseEnglishNumber, parseMixedNumber } from './index.js';

describe('parseChineseInteger', () => {
  it.each([
    ['十二', 12], ['两百', 200], ['三千五百', 3500], ['壹佰', 100], ['壹仟贰佰叁拾肆', 1234], ['一万零五百', 10500],
    ['三千五', 3500], ['两万五', 25000], ['一百二', 120], ['一千零十', 1010], ['十', 10], ['二十', 20], ['一亿三千万', 130000000],
    ['三十五万', 350000], ['零', 0], ['一百零三', 103],
  ])('%s → %d', (s, n) => expect(parseChineseInteger(s)).toBe(n));

  it.each(['七八', '一一', '千万', '万一', '百', '三百五千', '', '十十', '万万'])('%s is not one numeral', (s) => {
    expect(parseChineseInteger(s)).toBeNull();
  });

  const DIGITS = '零一二三四五六七八九';
  const toChinese = (n: number): string => {
    // Reference writer for 1..99999999 in the standard (non-colloquial) form.
    const units = ['', '十', '百', '千'];
    const section = (x: number): string => {
      let out = '';
      let zero = false;
      for (let i = 3; i >= 0; i--) {
        const d = Math.floor(x / 10 ** i) % 10;
        if (d === 0) {
          if (out !== '') zero = true;
          continue;
        }
        if (zero) out += '零';
        zero = false;
        out += DIGITS[d] + (units[i] as string);
      }
      return out;
    };
    const high = Math.floor(n / 10000);
    const low = n % 10000;
    if (high === 0) return section(low);
    return section(high) + '万' + (low === 0 ? '' : (low < 1000 ? '零' : '') + section(low));
  };
  test.prop([fc.integer({ min: 1, max: 99_999_999 })], { numRuns: 500 })('reads every standard numeral back', (n) => {
    expect(parseChineseInteger(toChinese(n))).toBe(n);
  });
  test.prop([fc.string({ unit: fc.constantFrom(...'零一二两三四五六七八九十百千万亿壹佰x'), maxLength: 12 })], { numRuns: 500 })(
    'never throws and returns a safe non-negative integer or null',
    (s) => {
      const n = parseChineseInteger(s);
      if (n !== null) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
    },
  );
});

describe('parseMixedNumber and parseEnglishNumber', () => {
  it('multiplies Arabic numbers by Chinese units', () => {
    expect(parseMixedNumber(1.5, '万')).toBe(15000);
    expect(parseMixedNumber(2, '百万')).toBe(2_000_000);
    expect(parseMixedNumber(3, '万千')).toBeNull();
  });
  it('reads English number words', () => {
    expect(parseEnglishNumber('twenty-five')).toBe(25);
    expect(parseEnglishNumber('one hundred and five')).toBe(105);
    expect(parseEnglishNumber('two thousand')).toBe(2000);
    expect(parseEnglishNumber('one one')).toBeNull();
    expect(parseEnglishNumber('dozen')).toBeNull();
  });
});
