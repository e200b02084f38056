import { ENTITY_PRIORITY, type Candidate } from './candidate.js';
import { CHINESE_NUMERAL_CHARS, ENGLISH_NUMBER_WORDS, parseChineseInteger, parseEnglishNumber, parseMixedNumber } from './chinese-number.js';

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};

const EN_WORDS = ENGLISH_NUMBER_WORDS.join('|');
const NUMBER_TOKEN = new RegExp(
  `(?<![0-9.,])(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)([十百千万亿]{0,3})` +
    `|([${CHINESE_NUMERAL_CHARS}]+)` +
    `|(?<![A-Za-z])((?:${EN_WORDS})(?:[ -](?:and )?(?:${EN_WORDS}))*)(?![A-Za-z])`,
  'gi',
);

/** Currency symbols and codes written before the amount. */
const CURRENCY_BEFORE = /(US\$|HK\$|NT\$|[¥$€£]|RMB|CNY|USD|HKD|EUR|GBP|JPY|人民币) ?$/i;
const CURRENCY_PREFIX_CODE: Readonly<Record<string, string>> = {
  'us$': 'USD', 'hk$': 'HKD', 'nt$': 'TWD', '¥': 'CNY', $: 'USD', '€': 'EUR', '£': 'GBP',
  rmb: 'CNY', cny: 'CNY', usd: 'USD', hkd: 'HKD', eur: 'EUR', gbp: 'GBP', jpy: 'JPY', 人民币: 'CNY',
};

/** Currency words written after the amount (longest first). */
const CURRENCY_AFTER: readonly (readonly [RegExp, string])[] = [
  [/^ ?(?:美元|美金|刀)/, 'USD'],
  [/^ ?(?:港币|港元)/, 'HKD'],
  [/^ ?(?:日元|日币)/, 'JPY'],
  [/^ ?欧元/, 'EUR'],
  [/^ ?英镑/, 'GBP'],
  [/^ ?(?:新台币|台币)/, 'TWD'],
  [/^ ?韩元/, 'KRW'],
  [/^ ?澳元/, 'AUD'],
  [/^ ?加元/, 'CAD'],
  [/^ ?人民币/, 'CNY'],
  [/^ ?(?:usd|us dollars?|dollars?|bucks?)(?![A-Za-z])/i, 'USD'],
  [/^ ?(?:rmb|cny|yuan|renminbi)(?![A-Za-z])/i, 'CNY'],
  [/^ ?(?:hkd)(?![A-Za-z])/i, 'HKD'],
  [/^ ?(?:eur|euros?)(?![A-Za-z])/i, 'EUR'],
  [/^ ?(?:gbp)(?![A-Za-z])/i, 'GBP'],
  [/^ ?(?:jpy|yen)(?![A-Za-z])/i, 'JPY'],
];

/** Characters that may follow 块 when it means yuan; any other Chinese character makes 块 a measure word (三块蛋糕). */
const KUAI_MONEY_NEXT = /^(?:$|[^\p{Script=Han}]|[钱毛角的了吗呢啊吧哦呀嘛左多一二两三四五六七八九半每就都还也是又给到退买]|以)/u;

/** Chinese measure words and units (longest first), and English units. */
const MEASURE_ZH =
  /^ ?(?:个(?=小时|钟头|星期|礼拜|月))?(公斤|千克|毫升|厘米|毫米|小时|钟头|分钟|个月|月|星期|礼拜|平米|件|个|条|双|只|台|部|瓶|盒|箱|包|袋|份|张|本|支|套|块|斤|克|吨|米|升|片|粒|颗|杯|罐|桶|把|枚|对|副|顶|根|次|位|人|间|晚|天|周|单|笔|项|款|样|组|批|提|听|卷|瓣|串)/u;
const MEASURE_EN =
  /^ ?(pcs|pc|pieces?|items?|pairs?|boxes|box|bottles?|packs?|packages?|bags?|units?|sets?|orders?|cartons?|kg|lbs?|ml|cm|mm|g|days?|hours?|weeks?|months?)(?![A-Za-z])/i;
const LOWERCASE_ONLY_UNITS = new Set(['g', 'kg', 'ml', 'cm', 'mm']);

/** A money cue before a bare amount: `价格1299`, `预算1.5万`. */
const MONEY_CUE = /(?:价格|价钱|售价|金额|预算|退款|花了|付了|工资|月薪|收入|总价|总共|一共|price|cost|paid|budget|refund) ?(?:是|为|:|了)? ?$/i;

const DOZEN = /(?<![A-Za-z])(?:(half) a|(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)) ?dozens?(?![A-Za-z])/gi;

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

interface NumericToken {
  readonly start: number;
  readonly end: number;
  readonly value: number;
  readonly kind: 'arabic' | 'chinese' | 'english';
  readonly hasMultiplier: boolean;
}

function readTokens(text: string): NumericToken[] {
  const tokens: NumericToken[] = [];
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined) {
      const n = Number(m[1].replace(/,/g, ''));
      const mult = m[2] ?? '';
      const value = mult === '' ? n : parseMixedNumber(n, mult);
      if (value === null || !Number.isFinite(value)) continue;
      if (mult === '' && m[1].replace(/[,.]/g, '').length > 15) continue;
      tokens.push({ start, end, value: round(value), kind: 'arabic', hasMultiplier: mult !== '' });
    } else if (m[3] !== undefined) {
      const value = parseChineseInteger(m[3]);
      if (value === null) continue;
      tokens.push({ start, end, value, kind: 'chinese', hasMultiplier: /[万亿]/.test(m[3]) });
    } else if (m[4] !== undefined) {
      const value = parseEnglishNumber(m[4]);
      if (value === null) continue;
      tokens.push({ start, end, value, kind: 'english', hasMultiplier: false });
    }
  }
  return tokens;
}

/** A single digit written in Arabic or Chinese at `at`, e.g. the 5 of `3块5` or the 五 of `三毛五`. */
function digitAt(text: string, at: number): number | null {
  const c = text[at];
  if (c === undefined) return null;
  if (c >= '0' && c <= '9') return text[at + 1] !== undefined && /[0-9.]/.test(text[at + 1] as string) ? null : c.charCodeAt(0) - 48;
  const d = CN_DIGIT[c];
  if (d === undefined) return null;
  const next = text[at + 1];
  return next !== undefined && CHINESE_NUMERAL_CHARS.includes(next) ? null : d;
}

/** Reads `毛/角` (tenths) with an optional following `N分` (hundredths) starting at `at`; returns value and end. */
function readJiao(text: string, at: number, tenths: number): { value: number; end: number } | null {
  const unit = text[at];
  if (unit !== '毛' && unit !== '角') return null;
  let end = at + 1;
  let value = tenths / 10;
  if (text[end] === '钱') end++;
  else {
    const d = digitAt(text, end);
    if (d !== null) {
      value += d / 100;
      end += 1;
      if (text[end] === '分') end++;
    }
  }
  return { value, end };
}

/** Is `text` (without punctuation and spaces) exactly the span? Then a lone `三` is an answer, not part of a word. */
function isWholeMessage(text: string, start: number, end: number): boolean {
  // A reply that is just a number has little around it; this bound also keeps long messages linear.
  if (text.length - (end - start) > 16) return false;
  const rest = (text.slice(0, start) + text.slice(end)).replace(/[\s\p{P}\p{S}]|个|吧|啊|呀|哦|嗯/gu, '');
  return rest.length === 0;
}

/**
 * Money (`99.5元`, `两百块`, `¥1,299`, `3块5`, `5毛`, `$20`, `20 dollars`), quantities (`三件`, `十二个`, `2kg`,
 * `a dozen`) and plain numbers. Each numeric token yields at most one candidate: money when a currency is written
 * next to it, else a quantity when a measure word follows, else a number.
 */
export function detectNumeric(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(DOZEN)) {
    const count = m[1] !== undefined ? 0.5 : /^\d+$/.test(m[2] ?? '') ? Number(m[2]) : (parseEnglishNumber(m[2] ?? '') ?? 1);
    out.push({ entity: 'quantity', start: m.index, end: m.index + m[0].length, value: count * 12, unit: 'dozen', priority: ENTITY_PRIORITY.quantity + 1 });
  }
  for (const t of readTokens(text)) {
    const before = text.slice(Math.max(0, t.start - 8), t.start);
    const after = text.slice(t.end, t.end + 16);
    const prev = text[t.start - 1];
    const next = text[t.end];
    if (t.kind === 'arabic') {
      // Parts of times, dates, versions and ranges (15:00, 11/20, 1.2.3, 10-12) are not standalone numbers.
      if (prev !== undefined && /[:/]/.test(prev) && /[0-9]/.test(text[t.start - 2] ?? '')) continue;
      if (next !== undefined && /[:/]/.test(next) && /[0-9]/.test(text[t.end + 1] ?? '')) continue;
      if (prev !== undefined && /[A-Za-z_]/.test(prev)) {
        if (!CURRENCY_BEFORE.test(before)) continue;
      }
      if (prev === '-' && /[0-9]/.test(text[t.start - 2] ?? '')) continue;
      if (next === '-' && /[0-9]/.test(text[t.end + 1] ?? '')) continue;
      if (next === '.' && /[0-9]/.test(text[t.end + 1] ?? '')) continue;
    }
    if (t.kind === 'chinese' && prev === '第') continue;

    // Money: currency before or after.
    const symbol = CURRENCY_BEFORE.exec(before);
    let currency: string | undefined = symbol ? CURRENCY_PREFIX_CODE[(symbol[1] as string).toLowerCase()] : undefined;
    let start = symbol ? t.start - (symbol[0] as string).length : t.start;
    let end = t.end;
    let value = t.value;
    let isMoney = currency !== undefined;
    for (const [re, code] of CURRENCY_AFTER) {
      const a = re.exec(after);
      if (a) {
        currency ??= code;
        end = t.end + a[0].length;
        isMoney = true;
        break;
      }
    }
    if (!isMoney || currency === 'CNY') {
      const yuan = /^ ?(元|块钱|块|圆)/.exec(after);
      const afterYuan = yuan ? after.slice(yuan[0].length) : '';
      if (yuan && !(yuan[1] === '元' && /^[旦宵]/.test(afterYuan)) && !(yuan[1] === '块' && !KUAI_MONEY_NEXT.test(afterYuan))) {
        isMoney = true;
        currency ??= 'CNY';
        end = t.end + yuan[0].length;
        if (text[end] === '钱' && yuan[1] !== '块钱') end++;
        if (text[end] === '整') end++;
        // 3块5 / 三块五 / 一块五毛 / 3元5角2分
        const d = digitAt(text, end);
        if (d !== null && (yuan[1] === '块' || yuan[1] === '块钱' || text[end + 1] === '角' || text[end + 1] === '毛')) {
          const jiao = readJiao(text, end + 1, d);
          if (jiao) {
            value = t.value + jiao.value;
            end = jiao.end;
          } else if (yuan[1] === '块' && !(text[end + 1] !== undefined && /[0-9个件]/.test(text[end + 1] as string))) {
            value = t.value + d / 10;
            end += 1;
          }
        }
      } else if (Number.isInteger(t.value) && t.value < 10 && !t.hasMultiplier) {
        const jiao = readJiao(text, t.end, t.value);
        if (jiao && text[t.end] !== undefined) {
          isMoney = true;
          currency ??= 'CNY';
          value = jiao.value;
          end = jiao.end;
        }
      }
    }
    if (!isMoney && t.kind !== 'english' && MONEY_CUE.test(before) && (t.hasMultiplier || t.kind === 'arabic') && !MEASURE_ZH.test(after) && !MEASURE_EN.test(after)) {
      isMoney = true;
      currency = 'CNY';
    }
    if (isMoney) {
      out.push({ entity: 'money', start, end, value: round(value), currency: currency ?? 'CNY', priority: ENTITY_PRIORITY.money });
      continue;
    }
    start = t.start;

    // Quantity: a measure word after the number.
    const zh = MEASURE_ZH.exec(after);
    const en = zh ? null : MEASURE_EN.exec(after);
    const measure = zh ?? en;
    if (measure && !(en && LOWERCASE_ONLY_UNITS.has((en[1] as string).toLowerCase()) && en[1] !== (en[1] as string).toLowerCase())) {
      // English units need a space or a digit before them: "3 items", "2kg"; never "one" glued to a word.
      if (!(t.kind === 'english' && measure[0][0] !== ' ')) {
        const unit = measure[1] as string;
        out.push({ entity: 'quantity', start, end: t.end + measure[0].length, value: t.value, unit: en ? unit.toLowerCase() : unit, priority: ENTITY_PRIORITY.quantity });
        continue;
      }
    }

    // Plain number.
    const width = t.end - t.start;
    if (t.kind === 'chinese' && width === 1 && !isWholeMessage(text, t.start, t.end)) continue;
    if (t.kind === 'english' && /^(?:one|zero)$/i.test(text.slice(t.start, t.end)) && !isWholeMessage(text, t.start, t.end)) continue;
    if (t.kind === 'arabic' && next !== undefined && /[A-Za-z]/.test(next)) continue;
    out.push({ entity: 'number', start, end: t.end, value: t.value, priority: ENTITY_PRIORITY.number });
  }
}
