import { KefuError } from '../errors.js';
import { assertText } from '../internal/assert.js';
import type { EntityDef } from '../pack/index.js';
import { toOriginalSpan, type NormalizedText } from '../text/index.js';
import type { Entity } from './types.js';

type RegexDef = Extract<EntityDef, { type: 'regex' }>;

/** A pack's regex entities compiled once (Unicode mode, global). */
export interface RegexMatcher {
  readonly entities: readonly string[];
  /** Every non-overlapping match of every pattern over the normalised text, spans mapped to the original. */
  match(normalized: NormalizedText): Entity[];
}

/** Matching stops after this many matches per pattern, so a pathological message cannot produce unbounded output. */
const MAX_MATCHES_PER_PATTERN = 1000;

/**
 * Compiles pack regex entities. Patterns run on the NORMALISED text (full-width digits and letters folded, spaces
 * collapsed, lower-cased; patterns always match case-insensitively), so a pattern written for `SF123…` also
 * matches `ｓｆ１２３…`; spans are mapped back to the original. `value` is the named group `value` when the pattern has one, else the matched original text with
 * width folded (NFKC) and spaces removed, case kept (`ＳＦ 1234…` → `SF1234…`). The loader has already rejected unsafe patterns
 * (catastrophic backtracking); a pattern that does not compile here throws `PACK_INVALID`.
 *
 * @example
 * ```ts
 * const m = createRegexMatcher([{ type: 'regex', name: 'sku', pattern: 'sku-?(?<value>[0-9]{6})', flags: 'i' }]);
 * m.match(createNormalizer().normalize('SKU-123456 缺货吗')); // → [{ entity: 'sku', value: '123456', start: 0, end: 10, … }]
 * ```
 */
export function createRegexMatcher(defs: readonly RegexDef[]): RegexMatcher {
  const compiled = defs.map((d) => {
    // The normalised text is lower-cased, so an upper-case letter in a pattern could never match: always add `i`.
    const flags = [...new Set([...(d.flags ?? ''), 'g', 'u', 'i'])].join('');
    try {
      return { name: d.name, re: new RegExp(d.pattern, flags) };
    } catch (cause) {
      throw new KefuError(
        'PACK_INVALID',
        `Entity "${d.name}": pattern ${JSON.stringify(d.pattern)} does not compile with flags "${flags}" (${(cause as Error).message}). Fix the pattern; load packs with loadPack() to get every problem at once.`,
        { entity: d.name, pattern: d.pattern },
        { cause },
      );
    }
  });
  return {
    entities: compiled.map((c) => c.name),
    match(normalized: NormalizedText): Entity[] {
      assertText(normalized.text, 'match(normalized.text)');
      const out: Entity[] = [];
      for (const { name, re } of compiled) {
        re.lastIndex = 0;
        let count = 0;
        for (let m = re.exec(normalized.text); m !== null && count < MAX_MATCHES_PER_PATTERN; m = re.exec(normalized.text)) {
          if (m[0] === '') {
            re.lastIndex = m.index + 1;
            continue;
          }
          count++;
          const span = toOriginalSpan(normalized, m.index, m.index + m[0].length);
          if (span.text === '') continue;
          const group = m.groups?.value;
          out.push({
            entity: name,
            value: group !== undefined && group !== '' ? group : span.text.normalize('NFKC').replace(/\s+/g, ''),
            start: span.start,
            end: span.end,
            text: span.text,
            source: 'regex',
            confidence: 1,
          });
        }
      }
      return out;
    },
  };
}
