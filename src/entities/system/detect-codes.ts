import { ENTITY_PRIORITY, CUE_BOOST, type Candidate } from './candidate.js';
import { findCourier, findCue, type Cue } from './cues.js';
import { isValidDay } from './zone.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * True for a valid 18-character mainland resident ID number (GB 11643): area code not starting with 0, a real birth
 * date between 1900 and 2099, and the ISO 7064 MOD 11-2 check character.
 */
export function isValidIdCard(id: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2099 || !isValidDay(year, month, day)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] === id[17];
}

/** Luhn (mod 10) check of a digit string. */
export function isLuhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes that make a Luhn-valid digit run a card number even without a cue word: UnionPay 62 (16–19
 * digits), Visa 4 and Mastercard 51–55 / 2221–2720 (16), American Express 34/37 (15), JCB 3528–3589 (16).
 */
function hasCardPrefix(d: string): boolean {
  if (/^62/.test(d)) return d.length >= 16;
  if (/^4/.test(d) || /^5[1-5]/.test(d) || /^35(?:2[89]|[3-8][0-9])/.test(d)) return d.length === 16;
  if (/^2(?:22[1-9]|2[3-9][0-9]|[3-6][0-9]{2}|7[01][0-9]|720)/.test(d)) return d.length === 16;
  if (/^3[47]/.test(d)) return d.length === 15;
  return false;
}

/** Tracking numbers whose shape names the courier. */
const PREFIXED_TRACKING: readonly (readonly [RegExp, string])[] = [
  [/^SF[0-9]{12,13}$/, 'SF'],
  [/^JD[A-Z0-9]{11,17}$/, 'JD'],
  [/^YT[0-9]{12,16}$/, 'YT'],
  [/^JT[0-9]{13}$/, 'JT'],
  [/^DPK[0-9]{9,14}$/, 'DBL'],
  [/^1Z[A-Z0-9]{16}$/, 'UPS'],
  [/^[A-Z]{2}[0-9]{9}CN$/, 'EMS'],
  [/^[A-Z]{2}[0-9]{9}[A-Z]{2}$/, 'POST'],
];

/** An alphanumeric code, optionally grouped by single spaces or hyphens between digit groups. */
const CODE_RUN = /(?<![A-Za-z0-9])([A-Za-z]{0,4})([0-9]+(?:[ -][0-9]+)*)([A-Za-z]{0,2})(?![A-Za-z0-9])/g;
const ALNUM_RUN = /(?<![A-Za-z0-9])[A-Za-z0-9]{6,34}(?![A-Za-z0-9])/g;
const DIGIT_GROUPS = /(?<![A-Za-z0-9])[0-9]+(?:[ -][0-9]+)*(?![A-Za-z0-9])/g;

export interface CodeOptions {
  /** Anchored pattern the compact order id must match. */
  readonly orderId: RegExp;
}

const boost = (cue: Cue | null, kind: Cue['kind']): number => (cue?.kind === kind ? CUE_BOOST : 0);

/**
 * ID cards, bank cards, order ids and tracking numbers, from runs of digits (grouped by single spaces or hyphens) and
 * short letter prefixes or suffixes. A context cue before the run decides ties between the shapes.
 */
export function detectCodes(text: string, out: Candidate[], o: CodeOptions): void {
  for (const m of text.matchAll(CODE_RUN)) {
    const prefix = (m[1] ?? '').toUpperCase();
    const digitsRaw = m[2] ?? '';
    const suffix = (m[3] ?? '').toUpperCase();
    const start = m.index;
    const end = start + m[0].length;
    const digits = digitsRaw.replace(/[ -]/g, '');
    const compact = `${prefix}${digits}${suffix}`;
    const cue = findCue(text, start);
    let matchedWhole = false;

    if ((prefix !== '' || suffix !== '') && !/[ -]/.test(digitsRaw)) {
      for (const [re, courier] of PREFIXED_TRACKING) {
        if (re.test(compact)) {
          out.push({ entity: 'tracking_number', start, end, value: compact, courier, priority: ENTITY_PRIORITY.tracking_number + boost(cue, 'tracking') });
          matchedWhole = true;
          break;
        }
      }
    }
    if (prefix !== '' || suffix !== '') {
      if (prefix === '' && suffix === 'X' && digits.length === 17 && isValidIdCard(compact)) {
        out.push({ entity: 'id_card', start, end, value: compact, priority: ENTITY_PRIORITY.id_card + boost(cue, 'id') });
        matchedWhole = true;
      }
      if (o.orderId.test(compact)) {
        out.push({ entity: 'order_id', start, end, value: compact, priority: ENTITY_PRIORITY.order_id + boost(cue, 'order') });
        matchedWhole = true;
      }
      if (matchedWhole) continue;
    }
  }
  // Mixed letter-digit codes that do not start with letters only (UPS 1Z…, S10 postal codes already above).
  for (const m of text.matchAll(ALNUM_RUN)) {
    const compact = m[0].toUpperCase();
    if (!/[A-Z]/.test(compact) || !/^[0-9]/.test(compact)) continue;
    const start = m.index;
    const end = start + m[0].length;
    const cue = findCue(text, start);
    const tracking = PREFIXED_TRACKING.find(([re]) => re.test(compact));
    if (tracking) {
      out.push({ entity: 'tracking_number', start, end, value: compact, courier: tracking[1], priority: ENTITY_PRIORITY.tracking_number + boost(cue, 'tracking') });
    } else if (o.orderId.test(compact)) {
      out.push({ entity: 'order_id', start, end, value: compact, priority: ENTITY_PRIORITY.order_id + boost(cue, 'order') });
    }
  }
  // Pure digit runs (the letters around them, if any, did not form a code).
  for (const m of text.matchAll(DIGIT_GROUPS)) {
    const start = m.index;
    const end = start + m[0].length;
    const digits = m[0].replace(/[ -]/g, '');
    const cue = findCue(text, start);
    if (digits.length === 18 && isValidIdCard(digits) && cue?.kind !== 'order' && cue?.kind !== 'tracking') {
      out.push({ entity: 'id_card', start, end, value: digits, priority: ENTITY_PRIORITY.id_card + boost(cue, 'id') });
    }
    if (
      digits.length >= 15 &&
      digits.length <= 19 &&
      isLuhnValid(digits) &&
      (cue?.kind === 'card' || (cue === null && hasCardPrefix(digits)) || (cue?.kind === 'phone' && hasCardPrefix(digits)))
    ) {
      out.push({ entity: 'bank_card', start, end, value: digits, priority: ENTITY_PRIORITY.bank_card + boost(cue, 'card') });
    }
    if (cue?.kind === 'tracking' && digits.length >= 10 && digits.length <= 20) {
      const courier = cue.courier ?? findCourier(text, start);
      out.push({
        entity: 'tracking_number',
        start,
        end,
        value: digits,
        ...(courier === undefined ? {} : { courier }),
        priority: ENTITY_PRIORITY.tracking_number + CUE_BOOST,
      });
    }
    if (o.orderId.test(digits)) {
      out.push({ entity: 'order_id', start, end, value: digits, priority: ENTITY_PRIORITY.order_id + boost(cue, 'order') });
    }
  }
}
