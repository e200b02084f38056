import { KefuError } from '../../errors.js';

/** A wall-clock reading in some time zone; `month` is 1–12, `weekday` 0 (Sunday) – 6. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

/** A calendar day without a time of day. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

// Intl.DateTimeFormat construction costs tens of microseconds; one formatter per zone is reused. The cache holds only
// immutable formatters keyed by zone name, so it changes no observable behaviour.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws INVALID_OPTION unless `timeZone` is an IANA zone name this runtime knows. */
export function assertTimeZone(timeZone: unknown, fn: string): asserts timeZone is string {
  let ok = typeof timeZone === 'string' && timeZone.length > 0;
  if (ok) {
    try {
      formatterFor(timeZone as string);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new KefuError(
      'INVALID_OPTION',
      `${fn}: option "timeZone" must be an IANA time-zone name such as "Asia/Shanghai" or "America/New_York", got ${JSON.stringify(timeZone)}.`,
      { option: 'timeZone', got: String(timeZone), expected: 'an IANA time-zone name' },
    );
  }
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock in `timeZone` at the instant `ms` (epoch milliseconds). */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let weekday = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value) % 24;
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'weekday':
        weekday = WEEKDAYS[p.value] ?? 0;
        break;
      default:
        break;
    }
  }
  return { year, month, day, hour, minute, second, weekday };
}

/** Offset of `timeZone` from UTC at the instant `ms`, in minutes (Asia/Shanghai: +480). */
export function offsetMinutesAt(ms: number, timeZone: string): number {
  const w = wallClockAt(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/**
 * The offset (minutes) that a wall-clock time in `timeZone` has. Two passes settle the offset on both sides of a DST
 * change; a wall time skipped by a spring-forward change gets the offset in force after it.
 */
export function offsetForWallTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = offsetMinutesAt(asUtc, timeZone);
  const second = offsetMinutesAt(asUtc - first * 60000, timeZone);
  return second;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD`. */
export function formatDay(d: CalendarDay): string {
  const y = d.year < 0 ? `-${pad(d.year, 4)}` : pad(d.year, 4);
  return `${y}-${pad(d.month)}-${pad(d.day)}`;
}

/** `YYYY-MM-DDTHH:mm:ss±HH:MM` for a wall time in `timeZone`, or with an explicit offset (minutes). */
export function formatDateTime(
  d: CalendarDay & { readonly hour: number; readonly minute: number; readonly second: number },
  timeZone: string,
  explicitOffset?: number,
): string {
  const offset = explicitOffset ?? offsetForWallTime(d.year, d.month, d.day, d.hour, d.minute, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${formatDay(d)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Adds `days` to a calendar day (proleptic Gregorian, zone-free). */
export function addDays(d: CalendarDay, days: number): CalendarDay {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Adds `months` to a month, keeping day 1. */
export function addMonths(d: CalendarDay, months: number): CalendarDay {
  const t = new Date(Date.UTC(d.year, d.month - 1 + months, 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: 1 };
}

/** Number of days in a month. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when year/month/day name a real calendar day. */
export function isValidDay(year: number, month: number, day: number): boolean {
  return Number.isInteger(year) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Day difference `b - a`. */
export function dayDiff(a: CalendarDay, b: CalendarDay): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86400000);
}

/** Weekday (0 = Sunday) of a calendar day. */
export function weekdayOf(d: CalendarDay): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}
