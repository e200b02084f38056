/** How token vectors become one sentence vector. */
export type Pooling = 'cls' | 'mean';

/**
 * Pools a `[batch, seq, hidden]` row-major output into one vector per row: the first token (`cls`) or the mean of
 * the tokens whose attention mask is 1 (`mean`, sentence-transformers' masked mean). `lengths[b]` is the number of
 * real (unpadded) tokens of row b; padding always comes after them.
 */
export function poolHiddenStates(data: Float32Array, batch: number, seq: number, hidden: number, lengths: readonly number[], pooling: Pooling): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const base = b * seq * hidden;
    if (pooling === 'cls') {
      out.push(data.slice(base, base + hidden));
      continue;
    }
    const n = lengths[b] ?? seq;
    // Accumulate in float64: sentence-transformers sums in float32 on GPU, but a longer accumulator only moves the
    // result by far less than the 1e-4 parity tolerance and keeps long texts stable.
    const acc = new Float64Array(hidden);
    for (let t = 0; t < n; t++) {
      const row = base + t * hidden;
      for (let h = 0; h < hidden; h++) acc[h] = (acc[h] as number) + (data[row + h] as number);
    }
    const v = new Float32Array(hidden);
    const div = Math.max(n, 1e-9);
    for (let h = 0; h < hidden; h++) v[h] = (acc[h] as number) / div;
    out.push(v);
  }
  return out;
}

/** Scales `v` in place to unit length (a zero vector stays zero) and returns it. */
export function normalizeL2(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  // The same epsilon as torch.nn.functional.normalize, which sentence-transformers' Normalize module uses.
  const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}
