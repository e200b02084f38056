import type { DialoguePolicy } from './types.js';

const WEEKDAY: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * Whether `at` falls inside the service hours (in their time zone). `null` hours mean always staffed; an
 * unparseable time counts as inside, so a bad clock never blocks a handoff.
 *
 * @example
 * ```ts
 * isWithinServiceHours({ timeZone: 'Asia/Shanghai', open: '09:00', close: '22:00', days: [1,2,3,4,5,6,7] }, '2026-11-21T23:30:00+08:00'); // false
 * ```
 */
export function isWithinServiceHours(hours: DialoguePolicy['handoff']['serviceHours'], at: string): boolean {
  if (hours === null) return true;
  const time = Date.parse(at);
  if (Number.isNaN(time)) return true;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(time);
  } catch {
    return true;
  }
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAY[get('weekday')] ?? 0;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  const toMin = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const open = toMin(hours.open);
  const close = toMin(hours.close);
  if (!hours.days.includes(day)) return false;
  return open <= close ? minutes >= open && minutes < close : minutes >= open || minutes < close;
}
