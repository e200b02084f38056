import { assertOptions, assertText, checkOption } from '../../internal/assert.js';
import type { Entity } from '../types.js';
import { extractSystemEntities } from './extract.js';
import type { SystemEntityOptions } from './options.js';

/** The entities {@link maskPii} can hide. */
export type PiiEntityName = 'phone' | 'id_card' | 'bank_card' | 'email';

/** Options of {@link maskPii}. */
export interface MaskPiiOptions {
  /** Which kinds of personal data to mask. Default: all four. */
  readonly include?: readonly PiiEntityName[];
  /** The character written over each hidden character. One UTF-16 unit, default `*`. */
  readonly maskChar?: string;
  /** Digits kept visible at the end of a phone, ID card or bank card number. Default 4. */
  readonly keepLast?: number;
  /** Passed to detection: the order-id pattern (so an order id is never masked as a card). */
  readonly orderIdPattern?: SystemEntityOptions['orderIdPattern'];
}

/** Defaults of {@link MaskPiiOptions}. */
export const DEFAULT_MASK_PII_OPTIONS = {
  include: ['phone', 'id_card', 'bank_card', 'email'] as readonly PiiEntityName[],
  maskChar: '*',
  keepLast: 4,
} as const;

const PII: readonly string[] = ['phone', 'id_card', 'bank_card', 'email'];
const SIGNIFICANT = /^[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]$/;

/**
 * Masks personal data in `text` for logs: phone numbers (`138****5678`: the first three and last four digits of a
 * mobile number stay, a landline keeps its area code), ID card and bank card numbers (all but the last four
 * characters) and emails (all of the local part but its first character). The result has exactly the same length
 * as `text`: each hidden character (one UTF-16 unit, a digit or letter) becomes one `maskChar`; separators, the
 * `+86` prefix and everything that is not personal data stay as they were. Only what the system-entity detectors
 * recognise is masked: a card number with a wrong Luhn digit is not.
 *
 * @example
 * ```ts
 * maskPii('手机138-1234-5678，邮箱zhang.wei@example.com'); // '手机138-****-5678，邮箱z********@example.com'
 * ```
 */
export function maskPii(text: string, options?: MaskPiiOptions): string {
  assertText(text, 'maskPii(text)');
  assertOptions(options, 'maskPii');
  const o = { ...DEFAULT_MASK_PII_OPTIONS, ...(options ?? {}) };
  checkOption(Array.isArray(o.include) && o.include.every((e) => PII.includes(e)), 'maskPii', 'include', o.include, `an array of ${PII.join(', ')}`);
  checkOption(typeof o.maskChar === 'string' && o.maskChar.length === 1, 'maskPii', 'maskChar', o.maskChar, 'a single character (one UTF-16 unit)');
  checkOption(Number.isInteger(o.keepLast) && o.keepLast >= 0, 'maskPii', 'keepLast', o.keepLast, 'a non-negative integer');
  if (text.length === 0 || o.include.length === 0) return text;
  const entities = extractSystemEntities(text, {
    include: o.include,
    now: new Date(0),
    ...(o.orderIdPattern === undefined ? {} : { orderIdPattern: o.orderIdPattern }),
  });
  if (entities.length === 0) return text;
  const chars = text.split('');
  for (const e of entities) maskEntity(chars, e, o.maskChar, o.keepLast);
  return chars.join('');
}

function maskEntity(chars: string[], e: Entity, maskChar: string, keepLast: number): void {
  if (e.entity === 'email') {
    const at = e.text.indexOf('@') >= 0 ? e.text.indexOf('@') : e.text.indexOf('＠');
    for (let i = e.start + 1; i < e.start + at; i++) chars[i] = maskChar;
    return;
  }
  const positions: number[] = [];
  for (let i = e.start; i < e.end; i++) if (SIGNIFICANT.test(chars[i] as string)) positions.push(i);
  let keepFirst = 0;
  if (e.entity === 'phone') {
    const value = String(e.value);
    if (e.kind === 'mobile') keepFirst = positions.length - 8;
    else if (e.kind === 'landline') keepFirst = value.indexOf('-');
    else keepFirst = Math.min(3, Math.max(0, positions.length - keepLast - 4));
  }
  const last = Math.min(keepLast, positions.length);
  for (let k = Math.max(0, keepFirst); k < positions.length - last; k++) chars[positions[k] as number] = maskChar;
}
