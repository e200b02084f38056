/**
 * Open-addressing hash table from 32-bit feature hashes to weight rows, in one typed array of (key, row) pairs so a
 * probe touches one cache line. A `Map` keyed by hashes above 2^30 would box every key as a heap number; this keeps
 * the decode loop allocation-free.
 */
export interface FeatureTable {
  readonly mask: number;
  /** `cells[2s]` = key, `cells[2s + 1]` = row (−1 = empty) of slot `s`. */
  readonly cells: Int32Array;
}

/** Builds the table for `keys` (distinct 32-bit hashes; row `i` is `keys[i]`), at most half full. */
export function buildFeatureTable(keys: readonly number[]): FeatureTable {
  let size = 16;
  while (size < keys.length * 2) size *= 2;
  const mask = size - 1;
  const cells = new Int32Array(size * 2);
  for (let s = 0; s < size; s++) cells[2 * s + 1] = -1;
  keys.forEach((key, row) => {
    const k = key | 0;
    let s = k & mask;
    while ((cells[2 * s + 1] as number) >= 0) s = (s + 1) & mask;
    cells[2 * s] = k;
    cells[2 * s + 1] = row;
  });
  return { mask, cells };
}

/** The row of `key`, or -1. Keys are already well-mixed hashes, so their low bits index the table directly. */
export function lookupFeature(table: FeatureTable, key: number): number {
  const k = key | 0;
  const { mask, cells } = table;
  let s = k & mask;
  for (;;) {
    const row = cells[2 * s + 1] as number;
    if (row < 0 || cells[2 * s] === k) return row;
    s = (s + 1) & mask;
  }
}
