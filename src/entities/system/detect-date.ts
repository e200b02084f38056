import * as chrono from 'chrono-node';
import { ENTITY_PRIORITY, type Candidate } from './candidate.js';
import { parseChineseInteger, parseEnglishNumber } from './chinese-number.js';
import {
  addDays,
  addMonths,
  dayDiff,
  daysInMonth,
  formatDateTime,
  formatDay,
  isValidDay,
  wallClockAt,
  weekdayOf,
  type CalendarDay,
  type WallClock,
} from './zone.js';

/** What the date rules need to know about the message and the clock. */
export interface DateContext {
  readonly nowMs: number;
  readonly timeZone: string;
  /** Run the Chinese rules (and chrono's zh parser). */
  readonly chinese: boolean;
  /** Run the English rules (and chrono's en parser). */
  readonly english: boolean;
}

const ZH_CUE = /[天日号月周年点时:早晚午夜昨今明后前底末初旦庆诞拜期]|双1|双十|618|\d[/.-]\d/;
const EN_CUE =
  /\b(?:today|tonight|tomorrow|yesterday|now|ago|later|after|weeks?|months?|years?|days?|weekend|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|noon|midnight|morning|evening|afternoon|night|o'clock|christmas|singles'?|black friday|cyber monday|new year'?s)\b|[0-9] ?[ap]\.?m\b|[0-9][/:-][0-9]/i;

/** Characters that make chrono's zh parser worth calling, unless a rule already read them. */
const ZH_CHRONO_CUE = /[天日号月周点时]|星期|礼拜/g;
/** 号 in these words is not a date: 订单号, 号码, 型号, 账号, 编号, 信号, 单号. */
const NOT_DATE_HAO = /(?:单|型|账|编|信|序|暗|番|挂|称|口)号|号码/g;

/** Cheap test run before any date rule: does the message contain anything a date could be made of? */
export function hasDateCue(text: string): boolean {
  return ZH_CUE.test(text) || EN_CUE.test(text);
}

// Chinese number for days, months and hours: Arabic digits or up to three Chinese numerals.
const N = '(?:[0-9]{1,2}|[零〇一二两三四五六七八九十]{1,3})';
const toInt = (s: string): number | null => (/^[0-9]+$/.test(s) ? Number(s) : parseChineseInteger(s));

const DATE_PRIORITY = ENTITY_PRIORITY.date;
const CHRONO_PRIORITY = ENTITY_PRIORITY.date - 1;

interface DayExpr {
  readonly start: number;
  end: number;
  readonly day: CalendarDay;
  /** The day part ended with a period word (`明天下午`, `今晚`): used by a following hour. */
  period?: string;
  readonly kind?: string;
}

interface TimeExpr {
  readonly start: number;
  readonly end: number;
  readonly hour: number;
  readonly minute: number;
  /** Carries its own period word or Arabic digits; Chinese-numeral hours alone (`一点`) are too ambiguous. */
  readonly standalone: boolean;
  readonly period?: string;
  readonly rawHour: number;
}

/** How far ahead a month/day without a year may lie before it is read as the most recent past one instead. */
export const FUTURE_WINDOW_DAYS = 90;

/**
 * The year of a month/day written without one (`12月1号`, `双十一`, `Dec 1`): the next occurrence when it is at most
 * {@link FUTURE_WINDOW_DAYS} days ahead (today included), otherwise the most recent past one. Support talk looks back
 * at orders months old but rarely plans more than a season ahead: on 20 November `12月1号` is 1 December this year
 * and `3月1日` is last March.
 */
export function nearestOccurrence(month: number, day: number, today: CalendarDay): CalendarDay | null {
  const occurrences: CalendarDay[] = [];
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    if (isValidDay(year, month, day)) occurrences.push({ year, month, day });
  }
  const next = occurrences.find((c) => dayDiff(today, c) >= 0);
  if (next !== undefined && dayDiff(today, next) <= FUTURE_WINDOW_DAYS) return next;
  const past = occurrences.filter((c) => dayDiff(today, c) < 0).pop();
  return past ?? next ?? null;
}

/** The year of a month written alone (`3月`): the current month is this year's; others follow {@link nearestOccurrence} on their 1st. */
function yearOfMonth(month: number, today: CalendarDay): number {
  if (month === today.month) return today.year;
  return (nearestOccurrence(month, 1, today) as CalendarDay).year;
}

function mondayOf(d: CalendarDay): CalendarDay {
  const wd = weekdayOf(d);
  return addDays(d, wd === 0 ? -6 : 1 - wd);
}

const WEEK_OFFSET: Readonly<Record<string, number>> = { 上上: -2, 上: -1, 这: 0, 本: 0, 下: 1, 下下: 2, '': 0 };
const YEAR_OFFSET: Readonly<Record<string, number>> = { 前: -2, 去: -1, 今: 0, 明: 1, 后: 2 };
const WEEKDAY_ZH: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const REL_DAY: Readonly<Record<string, number>> = {
  大前天: -3, 前天: -2, 昨天: -1, 昨日: -1, 昨儿: -1, 今天: 0, 今日: 0, 今儿: 0, 明天: 1, 明日: 1, 明儿: 1, 后天: 2, 大后天: 3,
};
const REL_DAY_PERIOD: Readonly<Record<string, readonly [number, string]>> = {
  今早: [0, '早上'], 今晚: [0, '晚上'], 今夜: [0, '晚上'], 明早: [1, '早上'], 明晚: [1, '晚上'], 明晨: [1, '早上'], 昨晚: [-1, '晚上'], 昨夜: [-1, '晚上'],
};
// 早 and 晚 alone are periods only when not the second half of 今晚 / 明早 (read as a day with a period).
const PERIODS = '凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间|半夜|深夜|(?<![今明昨])早|(?<![今明昨])晚';

/** Festivals with a fixed Gregorian date. */
const FESTIVALS: Readonly<Record<string, readonly [number, number]>> = {
  双十一: [11, 11], 双11: [11, 11], 双十二: [12, 12], 双12: [12, 12], 元旦: [1, 1], 国庆节: [10, 1], 国庆: [10, 1],
  圣诞节: [12, 25], 圣诞: [12, 25], 情人节: [2, 14], 劳动节: [5, 1], 五一节: [5, 1], 儿童节: [6, 1],
};
const FESTIVAL_RE = new RegExp(`(?:(今|去|明|前)年|([0-9]{4})年)?(${Object.keys(FESTIVALS).sort((a, b) => b.length - a.length).join('|')})`, 'g');
const SIX_EIGHTEEN = /(?:(今|去|明|前)年|([0-9]{4})年)?(?<![0-9.])(618|6\.18)(?![0-9.%])(?=(?:大促|活动|期间|当天|那天|的时候|之前|以前|前|之后|以后|后|购物节|狂欢|促销|预售|优惠|买|下单|抢|那会|时))/g;
const SIX_EIGHTEEN_YEAR = /(?:(今|去|明|前)年|([0-9]{4})年)(?<![0-9.])(618)(?![0-9.%])/g;

function applyPeriod(hour: number, period: string | undefined): number | null {
  if (hour > 24) return null;
  if (period === undefined) return hour === 24 ? 0 : hour;
  switch (period) {
    case '下午':
    case '午后':
    case '傍晚':
    case '晚上':
    case '晚':
    case '夜里':
    case '夜间':
    case '深夜':
      return hour < 12 ? hour + 12 : hour === 12 ? 0 : hour > 12 ? hour : null;
    case '半夜':
      return hour === 12 ? 0 : hour < 6 ? hour : hour < 12 ? hour + 12 : hour;
    case '中午':
      return hour >= 11 && hour <= 12 ? hour : hour >= 1 && hour <= 2 ? hour + 12 : null;
    case '凌晨':
      return hour === 12 ? 0 : hour <= 6 ? hour : null;
    default:
      // 早上 / 上午 / 早晨 / 清晨 / 早
      return hour === 12 && period === '上午' ? 12 : hour <= 12 ? hour : null;
  }
}

function chineseDays(text: string, today: CalendarDay, out: Candidate[], days: DayExpr[]): void {
  const push = (start: number, end: number, day: CalendarDay, kind?: string, period?: string): void => {
    days.push({ start, end, day, ...(kind === undefined ? {} : { kind }), ...(period === undefined ? {} : { period }) });
  };
  const range = (start: number, end: number, from: CalendarDay, to: CalendarDay): void => {
    out.push({ entity: 'date', start, end, value: `${formatDay(from)}/${formatDay(to)}`, kind: 'range', priority: DATE_PRIORITY });
  };
  for (const m of text.matchAll(/大前天|大后天|前天|昨天|昨日|昨儿|今天|今日|今儿|明天|明日|明儿|后天/g)) {
    push(m.index, m.index + m[0].length, addDays(today, REL_DAY[m[0]] ?? 0));
  }
  for (const m of text.matchAll(/今早|今晚|今夜|明早|明晚|明晨|昨晚|昨夜/g)) {
    const [offset, period] = REL_DAY_PERIOD[m[0]] ?? [0, ''];
    push(m.index, m.index + m[0].length, addDays(today, offset), undefined, period);
  }
  // Weekdays: 下周一, 这个星期五, 上礼拜天. Not 每周一次 / 一周一次 (once a week).
  for (const m of text.matchAll(/(上上|下下|上|下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])/g)) {
    const prefix = m[1] ?? '';
    const before = text[m.index - 1];
    const after = text[m.index + m[0].length];
    if (prefix === '' && before !== undefined && /[每一二两三四五六七八九十几0-9个]/.test(before)) continue;
    if (after !== undefined && /[次遍回]/.test(after)) continue;
    const wd = WEEKDAY_ZH[m[2] as string] ?? 1;
    push(m.index, m.index + m[0].length, addDays(mondayOf(today), (WEEK_OFFSET[prefix] ?? 0) * 7 + wd - 1));
  }
  // Weekends and whole weeks: 这周末 → Saturday–Sunday; 下周 → Monday–Sunday.
  for (const m of text.matchAll(/(上上|下下|上|下|这|本)?(?:个)?(?:周末|星期六日)/g)) {
    const mon = addDays(mondayOf(today), (WEEK_OFFSET[m[1] ?? ''] ?? 0) * 7);
    range(m.index, m.index + m[0].length, addDays(mon, 5), addDays(mon, 6));
  }
  for (const m of text.matchAll(/(上上|下下|上|下|这|本)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7末])/g)) {
    const mon = addDays(mondayOf(today), (WEEK_OFFSET[m[1] as string] ?? 0) * 7);
    range(m.index, m.index + m[0].length, mon, addDays(mon, 6));
  }
  // Months: 上个月 (range), 下个月5号, 月底, 下个月初, 12月底.
  const monthOf = (offset: number): CalendarDay => addMonths({ year: today.year, month: today.month, day: 1 }, offset);
  for (const m of text.matchAll(/(上上|下下|上|下|这|本)(?:个)?月(?:份)?/g)) {
    const first = monthOf(WEEK_OFFSET[m[1] as string] ?? 0);
    range(m.index, m.index + m[0].length, first, { ...first, day: daysInMonth(first.year, first.month) });
  }
  for (const m of text.matchAll(new RegExp(`(?:(上上|下下|上|下|这|本)(?:个)?)?月(${N})(?:号|日)`, 'g'))) {
    if (m[1] === undefined) continue;
    const first = monthOf(WEEK_OFFSET[m[1]] ?? 0);
    const day = toInt(m[2] as string);
    if (day === null || !isValidDay(first.year, first.month, day)) continue;
    push(m.index, m.index + m[0].length, { ...first, day });
  }
  for (const m of text.matchAll(new RegExp(`(?:(上上|下下|上|下|这|本)(?:个)?|(${N})月份?)?月?(底|末|初|中旬|中)`, 'g'))) {
    const whole = m[0];
    if (!whole.includes('月')) continue;
    let first: CalendarDay;
    if (m[2] !== undefined) {
      const month = toInt(m[2]);
      if (month === null || month < 1 || month > 12) continue;
      first = { year: yearOfMonth(month, today), month, day: 1 };
    } else {
      first = monthOf(m[1] === undefined ? 0 : (WEEK_OFFSET[m[1]] ?? 0));
    }
    const which = m[3] as string;
    const day = which === '底' || which === '末' ? daysInMonth(first.year, first.month) : which === '初' ? 1 : 15;
    push(m.index, m.index + whole.length, { ...first, day });
  }
  // Year boundaries and whole years: 年底, 明年初, 去年.
  for (const m of text.matchAll(/(今|去|明|前)?年(底|末|初)/g)) {
    const year = today.year + (m[1] === undefined ? 0 : (YEAR_OFFSET[m[1]] ?? 0));
    const [month, day] = m[2] === '初' ? [1, 1] : [12, 31];
    push(m.index, m.index + m[0].length, { year, month, day });
  }
  for (const m of text.matchAll(/(今|去|明|前)年(?![底末初])/g)) {
    const year = today.year + (YEAR_OFFSET[m[1] as string] ?? 0);
    range(m.index, m.index + m[0].length, { year, month: 1, day: 1 }, { year, month: 12, day: 31 });
  }
  // Calendar dates: 2026年11月22日, 去年12月1号, 12月1号, 3月 (month range), 2026-11-22, 15号.
  for (const m of text.matchAll(new RegExp(`(?:([0-9]{4})年|(今|去|明|前)年)?(${N})月(?:份)?(?:(${N})(?:号|日))?`, 'g'))) {
    const month = toInt(m[3] as string);
    if (month === null || month < 1 || month > 12) continue;
    const explicitYear = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? today.year + (YEAR_OFFSET[m[2]] ?? 0) : null;
    const start = m.index;
    const end = start + m[0].length;
    if (m[4] !== undefined) {
      const day = toInt(m[4]);
      if (day === null) continue;
      const d = explicitYear !== null ? { year: explicitYear, month, day } : nearestOccurrence(month, day, today);
      if (d === null || !isValidDay(d.year, d.month, d.day)) continue;
      push(start, end, d);
    } else {
      // A month alone is the whole month; 3个月 (three months) never reaches here.
      if (text[end] === '底' || text[end] === '末' || text[end] === '初' || text[end] === '中') continue;
      const year = explicitYear ?? yearOfMonth(month, today);
      range(start, end, { year, month, day: 1 }, { year, month, day: daysInMonth(year, month) });
    }
  }
  for (const m of text.matchAll(/(?<![0-9.])([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})(?:日|号)?(?![0-9])/g)) {
    const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (isValidDay(d.year, d.month, d.day)) push(m.index, m.index + m[0].length, d);
  }
  const dayOnly = new RegExp(`(?<![月0-9零〇一二两三四五六七八九十第])(${N})(?:号|日)(?![楼线床门口柜机码单位店车厅桌房台窗馆院仓库球码鞋])`, 'g');
  for (const m of text.matchAll(dayOnly)) {
    const day = toInt(m[1] as string);
    if (day === null || day < 1 || day > 31) continue;
    // Bare day of month: this month's, or the adjacent month's when that is nearer (1号 on the 28th is next month).
    const options = [-1, 0, 1]
      .map((k) => ({ ...monthOf(k), day }))
      .filter((d) => isValidDay(d.year, d.month, d.day))
      .sort((a, b) => Math.abs(dayDiff(today, a)) - Math.abs(dayDiff(today, b)) || dayDiff(today, b) - dayDiff(today, a));
    const best = options[0];
    if (best !== undefined) push(m.index, m.index + m[0].length, best);
  }
  // Offsets: 3天后, 两周前, 半个月后, 一个月以后.
  const offsetRe = new RegExp(`(${N}|半|一个半)(?:个)?(天|日|周|星期|礼拜|月|年)(以后|之后|后|以前|之前|前)`, 'g');
  for (const m of text.matchAll(offsetRe)) {
    if (m[2] === '月' && !m[0].includes('个') && m[1] !== '半') continue; // 3月前 is "before March", not an offset
    const amount = m[1] === '半' ? 0.5 : m[1] === '一个半' ? 1.5 : toInt(m[1] as string);
    if (amount === null) continue;
    const sign = (m[3] as string).endsWith('后') ? 1 : -1;
    push(m.index, m.index + m[0].length, offsetDay(today, amount * sign, m[2] as string));
  }
  // Festivals: 双十一, 今年双十一, 国庆, 618大促.
  for (const m of text.matchAll(FESTIVAL_RE)) {
    const [month, day] = FESTIVALS[m[3] as string] ?? [1, 1];
    const d = festivalDay(month, day, m[1], m[2], today);
    if (d !== null) push(m.index, m.index + m[0].length, d, 'festival');
  }
  for (const re of [SIX_EIGHTEEN, SIX_EIGHTEEN_YEAR]) {
    for (const m of text.matchAll(re)) {
      const d = festivalDay(6, 18, m[1], m[2], today);
      if (d !== null) push(m.index, m.index + m[0].length, d, 'festival');
    }
  }
}

function festivalDay(month: number, day: number, rel: string | undefined, year: string | undefined, today: CalendarDay): CalendarDay | null {
  if (year !== undefined) return { year: Number(year), month, day };
  if (rel !== undefined) return { year: today.year + (YEAR_OFFSET[rel] ?? 0), month, day };
  return nearestOccurrence(month, day, today);
}

function offsetDay(today: CalendarDay, amount: number, unit: string): CalendarDay {
  if (unit === '天' || unit === '日' || unit === 'day') return addDays(today, Math.round(amount));
  if (unit === '周' || unit === '星期' || unit === '礼拜' || unit === 'week') return addDays(today, Math.round(amount * 7));
  if (unit === '月' || unit === 'month') {
    if (!Number.isInteger(amount)) return addDays(today, Math.round(amount * 30));
    const first = addMonths({ ...today, day: 1 }, amount);
    return { ...first, day: Math.min(today.day, daysInMonth(first.year, first.month)) };
  }
  const year = today.year + Math.round(amount);
  return { year, month: today.month, day: Math.min(today.day, daysInMonth(year, today.month)) };
}

function chineseTimes(text: string): TimeExpr[] {
  const times: TimeExpr[] = [];
  const re = new RegExp(`(${PERIODS})?(?:(${N})(?:点|时)(?:(半)|(一刻)|(三刻)|([0-9]{1,2}|[零〇一二三四五六七八九十]{1,3})分?|(钟))?|([0-9]{1,2}):([0-9]{2})(?![0-9]))`, 'g');
  for (const m of text.matchAll(re)) {
    const period = m[1];
    const hourText = m[2] ?? m[8];
    if (hourText === undefined) continue;
    const rawHour = toInt(hourText);
    if (rawHour === null) continue;
    let minute = 0;
    if (m[3] !== undefined) minute = 30;
    else if (m[4] !== undefined) minute = 15;
    else if (m[5] !== undefined) minute = 45;
    else if (m[6] !== undefined) {
      const mm = toInt(m[6]);
      // 三点五 is 3.5 more often than 3:05: one Chinese digit is a minute only with 分 (三点五分).
      if (mm === null || (/^[零〇一二三四五六七八九]$/.test(m[6]) && !m[0].endsWith('分'))) continue;
      minute = mm;
    } else if (m[9] !== undefined) minute = Number(m[9]);
    if (minute > 59) continue;
    const hour = applyPeriod(rawHour, period);
    if (hour === null || hour > 23) continue;
    const arabic = /^[0-9]+$/.test(hourText);
    const standalone = period !== undefined || arabic || m[3] !== undefined || m[6] !== undefined || m[7] !== undefined || m[4] !== undefined || m[5] !== undefined;
    times.push({ start: m.index, end: m.index + m[0].length, hour, minute, standalone, rawHour, ...(period === undefined ? {} : { period }) });
  }
  return times;
}

/** Days followed by a period word (`明天下午`) absorb it; a following hour makes the pair a date-time. */
function combine(text: string, days: DayExpr[], times: TimeExpr[], today: CalendarDay, ctx: DateContext, out: Candidate[]): void {
  const periodRe = new RegExp(`^(?:的)?(${PERIODS})`);
  const usedTimes = new Set<TimeExpr>();
  const timeAt = new Map<number, TimeExpr>();
  for (const t of times) if (!timeAt.has(t.start)) timeAt.set(t.start, t);
  for (const d of days) {
    let at = d.end;
    if (text[at] === ' ' || text[at] === '的') at++;
    const time = [timeAt.get(d.end), timeAt.get(at)].find((t) => t !== undefined && !usedTimes.has(t));
    if (time) {
      usedTimes.add(time);
      const period = time.period ?? d.period;
      const hour = time.period === undefined && d.period !== undefined ? applyPeriod(time.rawHour, d.period) : time.hour;
      if (hour !== null && hour <= 23) {
        const value = formatDateTime({ ...d.day, hour, minute: time.minute, second: 0 }, ctx.timeZone);
        out.push({ entity: 'datetime', start: d.start, end: time.end, value, priority: DATE_PRIORITY, ...(d.kind === undefined ? {} : { kind: d.kind }) });
        void period;
        continue;
      }
    }
    const p = periodRe.exec(text.slice(d.end));
    const end = p && d.period === undefined ? d.end + p[0].length : d.end;
    out.push({ entity: 'date', start: d.start, end, value: formatDay(d.day), priority: DATE_PRIORITY, ...(d.kind === undefined ? {} : { kind: d.kind }) });
  }
  for (const t of times) {
    if (usedTimes.has(t) || !t.standalone) continue;
    const value = formatDateTime({ ...today, hour: t.hour, minute: t.minute, second: 0 }, ctx.timeZone);
    out.push({ entity: 'datetime', start: t.start, end: t.end, value, priority: DATE_PRIORITY });
  }
}

const EVENT_KIND: readonly (readonly [RegExp, string])[] = [
  [/^(?:下单|下的单|购买|买|拍下|订购)/, 'after_order'],
  [/^(?:付款|支付|付完款)/, 'after_payment'],
  [/^(?:签收|收货|收到货|收到)/, 'after_delivery'],
  [/^(?:发货)/, 'after_shipping'],
  [/^(?:order(?:ing)?|purchase|buying)/i, 'after_order'],
  [/^(?:payment|paying)/i, 'after_payment'],
  [/^(?:delivery|receipt|receiving)/i, 'after_delivery'],
  [/^(?:shipping|shipment|dispatch)/i, 'after_shipping'],
];

/** `下单后7天`, `签收后48小时`, `7 days after delivery`: the event is taken to happen now (see docs). */
function eventOffsets(text: string, now: WallClock, nowMs: number, ctx: DateContext, out: Candidate[]): void {
  const push = (start: number, end: number, event: string, amount: number, unit: string): void => {
    const kind = EVENT_KIND.find(([re]) => re.test(event))?.[1] ?? 'after_order';
    if (/^(?:小时|钟头|hours?)$/.test(unit)) {
      const w = wallClockAt(nowMs + amount * 3600000, ctx.timeZone);
      out.push({ entity: 'datetime', start, end, value: formatDateTime({ ...w, second: 0 }, ctx.timeZone), kind, priority: DATE_PRIORITY + 1 });
      return;
    }
    const day = offsetDay(now, amount, unit.replace(/s$/, '').replace('个月', '月'));
    out.push({ entity: 'date', start, end, value: formatDay(day), kind, priority: DATE_PRIORITY + 1 });
  };
  if (ctx.chinese) {
    const re = new RegExp(`(下单|下的单|购买|买|拍下|订购|付款|支付|付完款|签收|收货|收到货|收到|发货)(?:以后|之后|后)(${N}|半)(?:个)?(天|日|小时|钟头|周|星期|个月|月)`, 'g');
    for (const m of text.matchAll(re)) {
      const amount = m[2] === '半' ? 0.5 : toInt(m[2] as string);
      if (amount !== null) push(m.index, m.index + m[0].length, m[1] as string, amount, m[3] === '个月' ? '月' : (m[3] as string));
    }
  }
  if (ctx.english) {
    const re = /(?<![A-Za-z])([0-9]{1,3}|[a-z]+(?:-[a-z]+)?) (days?|hours?|weeks?|months?) (?:after|from) (?:the )?(?:my )?(order(?:ing)?|purchase|buying|payment|paying|delivery|receipt|receiving|shipping|shipment|dispatch)(?![A-Za-z])/gi;
    for (const m of text.matchAll(re)) {
      const amount = /^[0-9]+$/.test(m[1] as string) ? Number(m[1]) : (m[1] as string).toLowerCase() === 'a' ? 1 : parseEnglishNumber(m[1] as string);
      if (amount !== null) push(m.index, m.index + m[0].length, m[3] as string, amount, (m[2] as string).toLowerCase());
    }
  }
}

/** English phrases chrono reads differently from a support desk: whole weeks and months, shopping days. */
function englishRules(text: string, today: CalendarDay, out: Candidate[]): void {
  const range = (start: number, end: number, from: CalendarDay, to: CalendarDay): void => {
    out.push({ entity: 'date', start, end, value: `${formatDay(from)}/${formatDay(to)}`, kind: 'range', priority: DATE_PRIORITY });
  };
  for (const m of text.matchAll(/(?<![A-Za-z])(this|next|last|previous) (week|month|year)(?![A-Za-z])/gi)) {
    const rel = (m[1] as string).toLowerCase();
    const offset = rel === 'next' ? 1 : rel === 'this' ? 0 : -1;
    const unit = (m[2] as string).toLowerCase();
    if (unit === 'week') {
      const mon = addDays(mondayOf(today), offset * 7);
      range(m.index, m.index + m[0].length, mon, addDays(mon, 6));
    } else if (unit === 'month') {
      const first = addMonths({ ...today, day: 1 }, offset);
      range(m.index, m.index + m[0].length, first, { ...first, day: daysInMonth(first.year, first.month) });
    } else {
      const year = today.year + offset;
      range(m.index, m.index + m[0].length, { year, month: 1, day: 1 }, { year, month: 12, day: 31 });
    }
  }
  const festivals: readonly (readonly [RegExp, (year: number) => CalendarDay])[] = [
    [/(?<![A-Za-z])singles'? day(?![A-Za-z])/gi, (y) => ({ year: y, month: 11, day: 11 })],
    [/(?<![A-Za-z])black friday(?![A-Za-z])/gi, (y) => addDays(nthWeekday(y, 11, 4, 4), 0)],
    [/(?<![A-Za-z])cyber monday(?![A-Za-z])/gi, (y) => addDays(nthWeekday(y, 11, 4, 4), 3)],
    [/(?<![A-Za-z])christmas(?: day)?(?![A-Za-z])/gi, (y) => ({ year: y, month: 12, day: 25 })],
    [/(?<![A-Za-z])new year'?s day(?![A-Za-z])/gi, (y) => ({ year: y, month: 1, day: 1 })],
  ];
  for (const [re, of] of festivals) {
    for (const m of text.matchAll(re)) {
      const years = [today.year - 1, today.year, today.year + 1].map(of);
      const next = years.find((c) => dayDiff(today, c) >= 0);
      const chosen = next !== undefined && dayDiff(today, next) <= FUTURE_WINDOW_DAYS ? next : (years.filter((c) => dayDiff(today, c) < 0).pop() ?? (years[1] as CalendarDay));
      out.push({ entity: 'date', start: m.index, end: m.index + m[0].length, value: formatDay(chosen), kind: 'festival', priority: DATE_PRIORITY });
    }
  }
}

/** The `n`-th (1-based) given weekday (0 = Sunday) of a month: Thanksgiving is the 4th Thursday of November. */
function nthWeekday(year: number, month: number, weekday: number, n: number): CalendarDay {
  const first = { year, month, day: 1 };
  const shift = (weekday - weekdayOf(first) + 7) % 7;
  const thanksgiving = addDays(first, shift + (n - 1) * 7);
  // Black Friday is the day after the 4th Thursday.
  return addDays(thanksgiving, 1);
}

/** A Date whose MACHINE-local wall clock equals the target zone's wall clock: chrono computes in machine-local time. */
function chronoReference(now: WallClock): Date {
  return new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
}

const CHRONO_NOISE = /^(?:now|right now|[零一二两三四五六七八九十]+点|at [0-9]{1,2}|[0-9]{1,2})$/i;

function runChrono(parser: chrono.Chrono, text: string, offset: number, now: WallClock, today: CalendarDay, ctx: DateContext, out: Candidate[]): void {
  let results: chrono.ParsedResult[];
  try {
    results = parser.parse(text, chronoReference(now));
  } catch {
    // chrono rejecting odd input is "no date here", never an error for the caller.
    return;
  }
  for (const r of results) {
    if (CHRONO_NOISE.test(r.text.trim())) continue;
    const c = r.start;
    const year = c.get('year');
    const month = c.get('month');
    const day = c.get('day');
    if (year === null || month === null || day === null) continue;
    let d: CalendarDay = { year, month, day };
    if (c.isCertain('month') && c.isCertain('day') && !c.isCertain('year')) d = nearestOccurrence(month, day, today) ?? d;
    if (!isValidDay(d.year, d.month, d.day)) continue;
    const start = offset + r.index;
    const end = start + r.text.length;
    if (c.isCertain('month') && !c.isCertain('day') && !c.isCertain('weekday')) {
      const y = c.isCertain('year') ? d.year : yearOfMonth(month, today);
      out.push({ entity: 'date', start, end, value: `${formatDay({ year: y, month, day: 1 })}/${formatDay({ year: y, month, day: daysInMonth(y, month) })}`, kind: 'range', priority: CHRONO_PRIORITY });
      continue;
    }
    if (c.isCertain('hour')) {
      const hour = c.get('hour') ?? 0;
      const minute = c.get('minute') ?? 0;
      const second = c.isCertain('second') ? (c.get('second') ?? 0) : 0;
      const offset = c.isCertain('timezoneOffset') ? (c.get('timezoneOffset') ?? undefined) : undefined;
      out.push({ entity: 'datetime', start, end, value: formatDateTime({ ...d, hour, minute, second }, ctx.timeZone, offset ?? undefined), priority: CHRONO_PRIORITY });
    } else {
      out.push({ entity: 'date', start, end, value: formatDay(d), priority: CHRONO_PRIORITY });
    }
  }
}

/**
 * Dates and date-times: kefu's own rules for Chinese (relative days, weekdays, months and month ends, festivals,
 * `618`, offsets, `下单后7天`, times of day) and a few English phrases, then chrono-node's zh and en parsers for the
 * rest. Everything is computed on the wall clock of `ctx.timeZone`, so results do not depend on the machine's zone.
 */
export function detectDates(text: string, out: Candidate[], ctx: DateContext): void {
  const now = wallClockAt(ctx.nowMs, ctx.timeZone);
  const today: CalendarDay = { year: now.year, month: now.month, day: now.day };
  const own: Candidate[] = [];
  if (ctx.chinese) {
    const days: DayExpr[] = [];
    chineseDays(text, today, own, days);
    combine(text, days, chineseTimes(text), today, ctx, own);
  }
  eventOffsets(text, now, ctx.nowMs, ctx, own);
  if (ctx.english) englishRules(text, today, own);
  out.push(...own);
  const covered = new Uint8Array(text.length);
  for (const c of own) covered.fill(1, c.start, c.end);
  // chrono runs per sentence, and only on sentences that need it: cheaper, and linear on long messages.
  for (const [from, to] of sentences(text)) {
    const sentence = text.slice(from, to);
    if (ctx.english && EN_CUE.test(sentence)) runChrono(chrono.en.casual, sentence, from, now, today, ctx, out);
    if (ctx.chinese && hasUnreadZhCue(sentence, from, covered)) {
      const before = out.length;
      runChrono(chrono.zh.hans.casual, sentence, from, now, today, ctx, out);
      // chrono's zh parser adds nothing where the rules above already read a span; it fills gaps only.
      for (let i = out.length - 1; i >= before; i--) {
        const c = out[i] as Candidate;
        // Also drop what the rules above rejected on purpose: 每周一次 (once a week) is not Monday;
        // 7天内 is a window, not a day; 三点五 is 3.5 more often than 3:05.
        const repeated =
          /[每一]/.test(text[c.start - 1] ?? '') ||
          /[次遍回内]/.test(text[c.end] ?? '') ||
          /内$/.test(text.slice(c.start, c.end)) ||
          /^[零一二两三四五六七八九十]+点[零一二三四五六七八九]$/.test(text.slice(c.start, c.end));
        let overlaps = false;
        for (let k = c.start; k < c.end && !overlaps; k++) if (covered[k] === 1) overlaps = true;
        if (repeated || overlaps) out.splice(i, 1);
      }
    }
  }
}

/** Sentence ranges: split after 。！？!?；; and newlines, and after a full stop followed by a space. */
function sentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (const m of text.matchAll(/[。！？!?；;\n]+|\. /g)) {
    const to = m.index + m[0].length;
    if (to > from) out.push([from, to]);
    from = to;
  }
  if (from < text.length) out.push([from, text.length]);
  return out;
}

/**
 * chrono's zh parser costs more than all the rules above together, so it runs only when some date character is
 * outside every span the rules produced (and is not the 号 of 订单号 or 号码).
 */
function hasUnreadZhCue(sentence: string, offset: number, covered: Uint8Array): boolean {
  const ignored = new Set<number>();
  for (const m of sentence.matchAll(NOT_DATE_HAO)) for (let i = m.index; i < m.index + m[0].length; i++) ignored.add(i);
  for (const m of sentence.matchAll(ZH_CHRONO_CUE)) {
    if (!ignored.has(m.index) && covered[offset + m.index] !== 1) return true;
  }
  return false;
}
