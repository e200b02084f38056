import { assertText } from '../../internal/assert.js';
import { createNormalizer, type Normalizer } from '../../text/index.js';
import type { Entity } from '../types.js';
import type { Candidate } from './candidate.js';
import { CHINESE_NUMERAL_CHARS } from './chinese-number.js';
import { detectCodes } from './detect-codes.js';
import { detectEmails, detectPhones, detectUrls } from './detect-contact.js';
import { detectDates, hasDateCue } from './detect-date.js';
import { detectNumeric } from './detect-numeric.js';
import { resolveOptions, type SystemEntityOptions } from './options.js';
import { resolveCandidates } from './resolve.js';

// URLs keep their case and punctuation (`//` must not fold), so this normaliser only folds width, converts
// traditional characters and cleans whitespace and control characters.
let normalizer: Normalizer | null = null;
function getNormalizer(): Normalizer {
  normalizer ??= createNormalizer({ lowercase: false, foldPunctuation: false, simplified: true, emoji: 'keep', dropSpacesBetweenHan: true });
  return normalizer;
}

const HAS_DIGIT = /[0-9]/;
const HAS_HAN = /\p{Script=Han}/u;
const HAS_LATIN = /[A-Za-z]/;
const HAS_NUMERIC = new RegExp(`[0-9${CHINESE_NUMERAL_CHARS}]|dozen|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty\\b|hundred|thousand`, 'i');

/**
 * Extracts the system entities of one message: phone, email, url, order_id, tracking_number, id_card, bank_card,
 * money, number, quantity, date and datetime, with normalised values. Results are sorted by start, never overlap, and
 * their spans are half-open UTF-16 offsets into `text` (`text.slice(e.start, e.end) === e.text`). Where spans compete,
 * the higher-priority entity wins (see `docs/entities-system.md`). Never throws on any string; throws INVALID_INPUT for
 * a non-string and INVALID_OPTION for bad options.
 *
 * @example
 * ```ts
 * extractSystemEntities('订单202611210001234567，电话138-1234-5678，明天下午三点前送到', { now: '2026-11-20T10:00:00+08:00' });
 * // → order_id '202611210001234567', phone '13812345678' (kind mobile), datetime '2026-11-21T15:00:00+08:00'
 * ```
 */
export function extractSystemEntities(text: string, options?: SystemEntityOptions): Entity[] {
  assertText(text, 'extractSystemEntities(text)');
  const o = resolveOptions(options);
  if (text.length === 0) return [];
  const normalized = getNormalizer().normalize(text);
  const t = normalized.text;
  const candidates: Candidate[] = [];
  const hasLatin = HAS_LATIN.test(t);
  const english = o.language === 'en' || (o.language === 'auto' && hasLatin);
  const chinese = o.language === 'zh' || (o.language === 'auto' && HAS_HAN.test(t));
  detectEmails(t, candidates);
  detectUrls(t, candidates);
  if (HAS_DIGIT.test(t)) {
    detectPhones(t, candidates, english);
    detectCodes(t, candidates, { orderId: o.orderId });
  }
  if (HAS_NUMERIC.test(t)) detectNumeric(t, candidates);
  if (hasDateCue(t)) detectDates(t, candidates, { nowMs: o.nowMs, timeZone: o.timeZone, chinese, english: english || !chinese });
  const entities = resolveCandidates(normalized, candidates);
  return o.include === null ? entities : entities.filter((e) => (o.include as ReadonlySet<string>).has(e.entity));
}
