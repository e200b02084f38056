import { KefuError } from '../../errors.js';
import { assertOptions, checkOption, describe } from '../../internal/assert.js';
import { checkRegexSafety } from '../../internal/regex-safety.js';
import { SYSTEM_ENTITIES, type SystemEntityName } from '../../pack/index.js';
import { assertTimeZone } from './zone.js';

/** Options of {@link extractSystemEntities}. */
export interface SystemEntityOptions {
  /** The instant relative dates are resolved against (`明天`, `3天后`). A Date or an ISO 8601 string. Default: now. */
  readonly now?: Date | string;
  /** IANA time zone that dates are read and written in, independent of the machine's zone. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Entities to return. Default: all. Excluded entities still claim their text (a phone number never becomes a `number`). */
  readonly include?: readonly SystemEntityName[];
  /**
   * Regular-expression source the compact order id (letters upper-cased, spaces and hyphens removed) must match in
   * full. Default `[0-9]{12,20}`. Checked for catastrophic backtracking like pack patterns.
   */
  readonly orderIdPattern?: string;
  /** Which date parsers and English-only shapes run. `auto` (default) picks per message by its script. */
  readonly language?: 'zh' | 'en' | 'auto';
}

/** Defaults merged into every {@link SystemEntityOptions}. */
export const DEFAULT_SYSTEM_ENTITY_OPTIONS = {
  timeZone: 'Asia/Shanghai',
  orderIdPattern: '[0-9]{12,20}',
  language: 'auto',
} as const;

export interface ResolvedOptions {
  readonly nowMs: number;
  readonly timeZone: string;
  readonly include: ReadonlySet<SystemEntityName> | null;
  readonly orderId: RegExp;
  readonly language: 'zh' | 'en' | 'auto';
}

const FN = 'extractSystemEntities';
const orderIdCache = new Map<string, RegExp>();

function compileOrderId(source: string): RegExp {
  const cached = orderIdCache.get(source);
  if (cached !== undefined) return cached;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})$`, 'u');
  } catch (cause) {
    throw new KefuError(
      'INVALID_OPTION',
      `${FN}: option "orderIdPattern" is not a valid regular expression: ${describe(source)} (${(cause as Error).message}). Pass a pattern such as "[0-9]{12,20}".`,
      { option: 'orderIdPattern', got: source },
      { cause },
    );
  }
  const safety = checkRegexSafety(source, 'u');
  if (!safety.safe) {
    throw new KefuError(
      'INVALID_OPTION',
      `${FN}: option "orderIdPattern" ${describe(source)} can backtrack catastrophically (${safety.reason ?? 'unsafe'}). Use bounded repetition such as "[0-9]{12,20}".`,
      { option: 'orderIdPattern', got: source },
    );
  }
  // A small cache: packs pass the same few patterns on every message.
  if (orderIdCache.size > 64) orderIdCache.clear();
  orderIdCache.set(source, re);
  return re;
}

/** Validates and resolves the options; throws INVALID_OPTION with the accepted values. */
export function resolveOptions(options: SystemEntityOptions | undefined, fn = FN): ResolvedOptions {
  assertOptions(options, fn);
  const o = options ?? {};
  let nowMs: number;
  if (o.now === undefined) nowMs = Date.now();
  else if (o.now instanceof Date) nowMs = o.now.getTime();
  else if (typeof o.now === 'string') nowMs = Date.parse(o.now);
  else nowMs = Number.NaN;
  checkOption(Number.isFinite(nowMs), fn, 'now', o.now, 'a valid Date or an ISO 8601 date-time string');
  const timeZone = o.timeZone ?? DEFAULT_SYSTEM_ENTITY_OPTIONS.timeZone;
  assertTimeZone(timeZone, fn);
  let include: Set<SystemEntityName> | null = null;
  if (o.include !== undefined) {
    const valid = Array.isArray(o.include) && o.include.every((e) => (SYSTEM_ENTITIES as readonly unknown[]).includes(e));
    checkOption(valid, fn, 'include', o.include, `an array of system entity names (${SYSTEM_ENTITIES.join(', ')})`);
    include = new Set(o.include);
  }
  const pattern = o.orderIdPattern ?? DEFAULT_SYSTEM_ENTITY_OPTIONS.orderIdPattern;
  checkOption(typeof pattern === 'string' && pattern.length > 0, fn, 'orderIdPattern', pattern, 'a non-empty regular-expression source string');
  const language = o.language ?? DEFAULT_SYSTEM_ENTITY_OPTIONS.language;
  checkOption(language === 'zh' || language === 'en' || language === 'auto', fn, 'language', language, '"zh", "en" or "auto"');
  return { nowMs, timeZone, include, orderId: compileOrderId(pattern), language };
}
