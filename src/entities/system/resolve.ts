import type { Entity } from '../types.js';
import type { Candidate } from './candidate.js';
import { toOriginalSpan, type NormalizedText } from '../../text/index.js';

/**
 * Maps candidates back to the original text and keeps the best non-overlapping ones: highest priority first, then
 * the longer span, then the earlier one. Overlap is checked on ORIGINAL offsets, because two normalised spans can come
 * from one original character (`½` → `1⁄2`). The result is sorted by start.
 */
export function resolveCandidates(normalized: NormalizedText, candidates: readonly Candidate[]): Entity[] {
  const mapped = candidates
    .map((c) => ({ c, span: toOriginalSpan(normalized, c.start, c.end) }))
    .filter(({ span }) => span.end > span.start);
  mapped.sort(
    (a, b) =>
      b.c.priority - a.c.priority ||
      b.span.end - b.span.start - (a.span.end - a.span.start) ||
      a.span.start - b.span.start,
  );
  // One flag per original UTF-16 unit: checking a span costs its length, so a 100 KB message stays linear.
  const taken = new Uint8Array(normalized.original.length);
  const kept: Entity[] = [];
  for (const { c, span } of mapped) {
    let free = true;
    for (let i = span.start; i < span.end && free; i++) if (taken[i] === 1) free = false;
    if (!free) continue;
    taken.fill(1, span.start, span.end);
    kept.push({
      entity: c.entity,
      value: c.value,
      start: span.start,
      end: span.end,
      text: span.text,
      source: 'system',
      confidence: 1,
      ...(c.courier === undefined ? {} : { courier: c.courier }),
      ...(c.currency === undefined ? {} : { currency: c.currency }),
      ...(c.unit === undefined ? {} : { unit: c.unit }),
      ...(c.kind === undefined ? {} : { kind: c.kind }),
    });
  }
  return kept.sort((a, b) => a.start - b.start);
}
