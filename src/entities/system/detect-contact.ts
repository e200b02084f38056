import { ENTITY_PRIORITY, CUE_BOOST, type Candidate } from './candidate.js';
import { findCue } from './cues.js';

// Every pattern here is linear-time: bounded repetition, or alternatives that cannot both match the same text.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9][A-Za-z0-9.-]{0,253}/g;
const TLD = /\.[A-Za-z]{2,24}$/;

/** Emails, value lower-cased. */
export function detectEmails(text: string, out: Candidate[]): void {
  if (!text.includes('@')) return;
  for (const m of text.matchAll(EMAIL)) {
    let s = m[0];
    // Trailing dots and hyphens belong to the sentence, not the domain.
    while (s.length > 0 && /[.-]$/.test(s)) s = s.slice(0, -1);
    const at = s.indexOf('@');
    const domain = s.slice(at + 1);
    if (!TLD.test(domain) || domain.includes('..') || s.slice(0, at).endsWith('.')) continue;
    out.push({ entity: 'email', start: m.index, end: m.index + s.length, value: s.toLowerCase(), priority: ENTITY_PRIORITY.email });
  }
}

const URL_CHARS = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]";
const SCHEME_URL = new RegExp(`(?<![A-Za-z0-9])(?:https?://|www\\.)${URL_CHARS}{1,2000}`, 'gi');
const TLDS = 'com|cn|net|org|io|me|co|top|shop|xyz|info|hk|tw|jp|uk|de|app|vip|tv|cc';
const BARE_URL = new RegExp(
  `(?<![A-Za-z0-9@.\\-])(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}\\.){1,6}(?:${TLDS})(?![A-Za-z0-9@\\-])(?:/${URL_CHARS}{0,2000})?`,
  'gi',
);

/** Trailing characters that end a sentence rather than a URL; a closing bracket stays only when it has an opening one. */
function trimUrl(s: string): string {
  let out = s;
  for (;;) {
    const last = out[out.length - 1];
    if (last === undefined) return out;
    if ('.,;:!?\'"'.includes(last)) {
      out = out.slice(0, -1);
      continue;
    }
    const pairs: Record<string, string> = { ')': '(', ']': '[' };
    const open = pairs[last];
    if (open !== undefined && out.split(open).length <= out.split(last).length - 1) {
      out = out.slice(0, -1);
      continue;
    }
    return out;
  }
}

/** URLs with a scheme, `www.` or a bare host with a common top-level domain; value as typed (after NFKC). */
export function detectUrls(text: string, out: Candidate[]): void {
  if (!text.includes('.')) return;
  for (const re of [SCHEME_URL, BARE_URL]) {
    for (const m of text.matchAll(re)) {
      const s = trimUrl(m[0]);
      if (s.length < 4 || /^(?:https?:\/\/|www\.)$/i.test(s)) continue;
      out.push({ entity: 'url', start: m.index, end: m.index + s.length, value: s, priority: ENTITY_PRIORITY.url });
    }
  }
}

const MOBILE = /(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9A-Za-z])/g;
const LANDLINE = /(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?)?(?:\(0?[1-9][0-9]{1,3}\)|0?[1-9][0-9]{1,3})[ -]?[0-9]{3,4}[ -]?[0-9]{4}(?![0-9A-Za-z])/g;
const SERVICE = /(?<![0-9A-Za-z])(400|800)[ -]?([0-9]{3})[ -]?([0-9]{4})(?![0-9A-Za-z])/g;
const INTERNATIONAL = /(?<![0-9A-Za-z+])\+(?!86)([1-9][0-9]{0,2})[ -]?((?:\([0-9]{1,4}\)|[0-9]{1,5})(?:[ -]?[0-9]{2,5}){1,4})(?![0-9A-Za-z])/g;
const NANP = /(?<![0-9A-Za-z+-])(?:\(([2-9][0-9]{2})\) ?|([2-9][0-9]{2})[-.])([2-9][0-9]{2})[-.]([0-9]{4})(?![0-9A-Za-z-])/g;

/** True for a mainland area code: 010 and 02x have three digits, every other area code four. */
function isAreaCode(area: string): boolean {
  if (/^0(?:10|2[0-9])$/.test(area)) return true;
  return /^0[3-9][0-9]{2}$/.test(area);
}

/** Phone numbers: CN mobile (11 digits), landline (`010-12345678`), 400/800 service lines, international (`+…`). */
export function detectPhones(text: string, out: Candidate[], english: boolean): void {
  const push = (start: number, end: number, value: string, kind: string): void => {
    const cue = findCue(text, start);
    const priority = ENTITY_PRIORITY.phone + (cue?.kind === 'phone' ? CUE_BOOST : 0);
    out.push({ entity: 'phone', start, end, value, kind, priority });
  };
  for (const m of text.matchAll(MOBILE)) push(m.index, m.index + m[0].length, `${m[1]}${m[2]}${m[3]}`, 'mobile');
  for (const m of text.matchAll(LANDLINE)) {
    const international = /^(?:\+|00)86/.test(m[0]);
    let digits = m[0].replace(/[^0-9]/g, '');
    if (international) digits = `0${digits.replace(/^(?:00)?86/, '').replace(/^0/, '')}`;
    if (!digits.startsWith('0')) continue;
    // 010 and 02x are followed by eight digits; other (four-digit) area codes by seven or eight.
    const areaLength = /^0(?:10|2[0-9])/.test(digits) ? 3 : 4;
    const area = digits.slice(0, areaLength);
    const local = digits.slice(areaLength);
    if (!isAreaCode(area) || (areaLength === 3 ? local.length !== 8 : local.length < 7 || local.length > 8)) continue;
    push(m.index, m.index + m[0].length, `${area}-${local}`, 'landline');
  }
  for (const m of text.matchAll(SERVICE)) push(m.index, m.index + m[0].length, `${m[1]}${m[2]}${m[3]}`, 'service');
  for (const m of text.matchAll(INTERNATIONAL)) {
    const digits = `${m[1]}${(m[2] ?? '').replace(/[^0-9]/g, '')}`;
    if (digits.length < 8 || digits.length > 15) continue;
    push(m.index, m.index + m[0].length, `+${digits}`, 'international');
  }
  if (english) {
    for (const m of text.matchAll(NANP)) {
      const area = m[1] ?? m[2] ?? '';
      if (area === '400' || area === '800') continue;
      push(m.index, m.index + m[0].length, `+1${area}${m[3]}${m[4]}`, 'international');
    }
  }
}
