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

/**
 * Counts 32-bit feature hashes in an open-addressing table (a `Map` boxes hashes above 2^30 and costs most of the
 * featurising time on large corpora). `keys` lists distinct hashes in order of first occurrence, `counts` theirs.
 */
export interface FeatureCounter {
  add(key: number): void;
  /** Distinct keys in order of first occurrence with their counts. */
  entries(): { readonly keys: Int32Array; readonly counts: Int32Array };
}

export function createFeatureCounter(): FeatureCounter {
  let size = 1 << 16;
  let mask = size - 1;
  let cells = new Int32Array(size * 2).fill(-1, 0, size * 2);
  let keys = new Int32Array(size / 2);
  let counts = new Int32Array(size / 2);
  let used = 0;
  const place = (k: number, index: number): void => {
    let s = k & mask;
    while ((cells[2 * s + 1] as number) >= 0) s = (s + 1) & mask;
    cells[2 * s] = k;
    cells[2 * s + 1] = index;
  };
  return {
    add(key: number): void {
      const k = key | 0;
      let s = k & mask;
      for (;;) {
        const index = cells[2 * s + 1] as number;
        if (index < 0) break;
        if (cells[2 * s] === k) {
          counts[index] = (counts[index] as number) + 1;
          return;
        }
        s = (s + 1) & mask;
      }
      if (used === keys.length) {
        // Grow at half load: re-place every key in a table twice the size.
        size *= 2;
        mask = size - 1;
        cells = new Int32Array(size * 2).fill(-1);
        const k2 = new Int32Array(size / 2);
        k2.set(keys);
        keys = k2;
        const c2 = new Int32Array(size / 2);
        c2.set(counts);
        counts = c2;
        for (let i = 0; i < used; i++) place(keys[i] as number, i);
      }
      keys[used] = k;
      counts[used] = 1;
      place(k, used);
      used++;
    },
    entries: () => ({ keys: keys.slice(0, used), counts: counts.slice(0, used) }),
  };
}

/** Sparse rows of a quantised weight matrix, sorted by feature hash (the saved form of the tagger and the typer). */
export interface SparseRows {
  readonly keys: number[];
  readonly rowStarts: number[];
  readonly cols: number[];
  readonly values: number[];
}

/**
 * Quantises dense weights `weights[r * width + y]` (row `r` belongs to feature `keysByRow[r]`) to integers in units of
 * `scale` and stores the non-zero ones sparsely by increasing key; rows left empty are dropped. `dense`, when given,
 * receives the quantised weights in the dense layout (to score with exactly what is saved).
 */
export function sparseRows(keysByRow: readonly number[], weights: Float32Array | Float64Array, width: number, scale: number, dense?: Float32Array | Float64Array): SparseRows {
  const order = keysByRow.map((_, r) => r).sort((a, b) => (keysByRow[a] as number) - (keysByRow[b] as number));
  const out: SparseRows = { keys: [], rowStarts: [0], cols: [], values: [] };
  for (const r of order) {
    const before = out.cols.length;
    for (let y = 0; y < width; y++) {
      const q = Math.round((weights[r * width + y] as number) / scale);
      if (q === 0) continue;
      out.cols.push(y);
      out.values.push(q);
      if (dense !== undefined) dense[r * width + y] = q;
    }
    if (out.cols.length === before) continue;
    out.keys.push(keysByRow[r] as number);
    out.rowStarts.push(out.cols.length);
  }
  return out;
}
