const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

/** Every character a Chinese numeral may contain (simplified and 大写 financial forms). */
export const CHINESE_NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿';

/**
 * Parses a Chinese integer numeral: `十二` 12, `两百` 200, `三千五百` 3500, `壹佰` 100, `一万零五百` 10500,
 * `1亿3千万`-style mixes are not accepted here (see {@link parseMixedNumber}). Colloquial elision is understood:
 * `三千五` 3500, `两万五` 25000, `一百二` 120. Returns null for text that is not one well-formed numeral, such as digit
 * strings without units (`七八`, `一一`), a unit with nothing before it (`千万`, `万一`), or units out of order.
 *
 * @example
 * ```ts
 * parseChineseInteger('三千五'); // 3500
 * parseChineseInteger('万一');   // null
 * ```
 */
export function parseChineseInteger(s: string): number | null {
  if (s.length === 0) return null;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastSmall = 0;
  let lastBig = Infinity;
  let zeroSeen = false;
  let prevWasDigit = false;
  let sectionUnitLimit = Infinity;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const d = DIGITS[c];
    if (d !== undefined) {
      if (d === 0) {
        if (prevWasDigit && digit !== 0) return null;
        zeroSeen = true;
        digit = 0;
        prevWasDigit = true;
        continue;
      }
      if (prevWasDigit && digit !== 0) return null;
      digit = d;
      prevWasDigit = true;
      continue;
    }
    const small = SMALL_UNITS[c];
    if (small !== undefined) {
      if (small >= sectionUnitLimit) return null;
      let n: number;
      if (digit === null) {
        // Only 十 may open a section without a digit (十二 = 12).
        if (small !== 10 || section !== 0) return null;
        n = 1;
      } else if (digit === 0) {
        // 一千零十 = 1010: 零 before 十 only.
        if (small !== 10) return null;
        n = 1;
      } else {
        n = digit;
      }
      section += n * small;
      sectionUnitLimit = small;
      lastSmall = small;
      digit = null;
      zeroSeen = false;
      prevWasDigit = false;
      continue;
    }
    const big = BIG_UNITS[c];
    if (big !== undefined) {
      if (big >= lastBig && !(big === 1e4 && lastBig === 1e8)) return null;
      if (big === 1e4 && lastBig === 1e8 && section + (digit ?? 0) === 0) return null;
      const value = section + (digit ?? 0);
      if (value === 0 && total === 0) return null;
      if (big === 1e8) total = (total + value) * big;
      else total += value * big;
      lastBig = big;
      section = 0;
      digit = null;
      lastSmall = 0;
      zeroSeen = false;
      prevWasDigit = false;
      sectionUnitLimit = Infinity;
      continue;
    }
    return null;
  }
  if (digit !== null && digit !== 0) {
    // 三千五: a final digit right after a unit (no 零 between) is one unit lower than that unit.
    if (lastSmall > 0 && !zeroSeen) section += digit * (lastSmall / 10);
    else if (lastSmall === 0 && lastBig !== Infinity && !zeroSeen && section === 0) total += digit * (lastBig / 10);
    else section += digit;
  }
  const result = total + section;
  if (!Number.isSafeInteger(result)) return null;
  if (result === 0 && !/^[零〇]$/.test(s)) return null;
  return result;
}

const MULTIPLIER_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 1e4, 亿: 1e8 };

/**
 * An Arabic number with Chinese multipliers after it: `1.5万` 15000, `3千` 3000, `2百万` 2000000. `multipliers` is the
 * run of 十百千万亿 after the number. Returns null when the multipliers are out of order.
 *
 * @example
 * ```ts
 * parseMixedNumber(1.5, '万'); // 15000
 * ```
 */
export function parseMixedNumber(n: number, multipliers: string): number | null {
  let value = n;
  let last = 0;
  for (const c of multipliers) {
    const m = MULTIPLIER_UNITS[c];
    if (m === undefined) return null;
    // Small units come before big ones (百万, 千万); never 万千.
    if (last !== 0 && m <= last && !(last < 1e4 && m >= 1e4)) return null;
    value *= m;
    last = m;
  }
  const rounded = Math.round(value * 1e6) / 1e6;
  return Number.isFinite(rounded) ? rounded : null;
}

const EN_UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** Every English number word {@link parseEnglishNumber} reads. */
export const ENGLISH_NUMBER_WORDS: readonly string[] = [...Object.keys(EN_UNITS), ...Object.keys(EN_TENS), 'hundred', 'thousand', 'million'];

/**
 * Parses English number words: `twelve`, `twenty-five`, `one hundred and five`, `two thousand`. Returns null for
 * anything else.
 *
 * @example
 * ```ts
 * parseEnglishNumber('twenty-five'); // 25
 * ```
 */
export function parseEnglishNumber(s: string): number | null {
  const words = s.toLowerCase().split(/[\s-]+/).filter((w) => w !== '' && w !== 'and');
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  let seen = false;
  let lastKind: 'unit' | 'ten' | 'scale' | null = null;
  for (const w of words) {
    const u = EN_UNITS[w];
    const t = EN_TENS[w];
    if (u !== undefined) {
      if (lastKind === 'unit' || (lastKind === 'ten' && u >= 10)) return null;
      current += u;
      lastKind = 'unit';
    } else if (t !== undefined) {
      if (lastKind === 'unit' || lastKind === 'ten') return null;
      current += t;
      lastKind = 'ten';
    } else if (w === 'hundred') {
      if (current === 0 || current >= 100) return null;
      current *= 100;
      lastKind = 'scale';
    } else if (w === 'thousand' || w === 'million') {
      if (current === 0) return null;
      total += current * (w === 'thousand' ? 1000 : 1e6);
      current = 0;
      lastKind = 'scale';
    } else {
      return null;
    }
    seen = true;
  }
  return seen ? total + current : null;
}
