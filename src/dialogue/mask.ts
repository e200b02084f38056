import type { Entity } from '../entities/index.js';

/** Masks one value of a PII entity, keeping enough to recognise it (138****5678, 3101**********1234, z***@qq.com). */
export function maskValue(entity: string, value: string): string {
  const chars = [...value];
  const n = chars.length;
  const keep = (head: number, tail: number): string =>
    n <= head + tail ? '*'.repeat(n) : chars.slice(0, head).join('') + '*'.repeat(n - head - tail) + chars.slice(n - tail).join('');
  if (entity === 'email') {
    const at = value.indexOf('@');
    return at > 0 ? `${[...value.slice(0, at)][0] ?? ''}***${value.slice(at)}` : keep(1, 0);
  }
  if (entity === 'phone') return keep(3, 4);
  if (entity === 'id_card') return keep(4, 4);
  if (entity === 'bank_card') return keep(0, 4);
  return keep(1, 1);
}

/**
 * Masks the spans of PII entities in a message. Spans that do not fit the text (or overlap) are skipped, so any
 * entity list is safe.
 *
 * @example
 * ```ts
 * maskEntities('电话13812345678', [{ entity: 'phone', start: 2, end: 13, ... }], ['phone']); // '电话138****5678'
 * ```
 */
export function maskEntities(text: string, entities: readonly Entity[], types: readonly string[]): string {
  const spans = entities
    .filter((e) => types.includes(e.entity) && Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.end <= text.length && e.start < e.end)
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of spans) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + maskValue(e.entity, text.slice(e.start, e.end));
    at = e.end;
  }
  return out + text.slice(at);
}
