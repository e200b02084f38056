/** The k of reciprocal-rank fusion (Cormack et al., 2009): damps the weight of the very first ranks. */
export const RRF_K = 60;

/**
 * Reciprocal-rank fusion of several score lists over the same items: `parts[i][j]` is item `i`'s score in list `j`.
 * Each list ranks the items it scores above 0 (ties share a rank); an item's fused score is `Σ 1 / (k + rank)`.
 *
 * @example
 * ```ts
 * reciprocalRankFusion([[0.9, 0.1], [0.5, 0.8]]); // item 0 wins list 0, item 1 list 1: equal fused scores
 * ```
 */
export function reciprocalRankFusion(parts: readonly (readonly number[])[], k = RRF_K): number[] {
  const n = parts.length;
  const fused = new Array<number>(n).fill(0);
  const lists = parts.reduce((m, p) => Math.max(m, p.length), 0);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < lists; j++) {
    const score = (i: number): number => (parts[i] as readonly number[])[j] ?? 0;
    order.sort((a, b) => score(b) - score(a));
    let rank = 0;
    let prev = Number.NaN;
    order.forEach((i, pos) => {
      const s = score(i);
      if (s <= 0) return;
      if (s !== prev) rank = pos + 1;
      prev = s;
      fused[i] = (fused[i] as number) + 1 / (k + rank);
    });
  }
  return fused;
}
