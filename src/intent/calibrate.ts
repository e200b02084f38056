/** Softmax of `logits / temperature` into `out` (may alias `logits`). Subtracts the max first for stability. */
export function softmaxInto(logits: ArrayLike<number>, temperature: number, out: Float64Array): Float64Array {
  const n = logits.length;
  let max = -Infinity;
  for (let k = 0; k < n; k++) if ((logits[k] as number) > max) max = logits[k] as number;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(((logits[k] as number) - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) out[k] = (out[k] as number) / sum;
  return out;
}

/** Mean negative log-likelihood of `labels` under softmax(logits / temperature). */
function nll(logits: readonly Float64Array[], labels: readonly number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] as Float64Array;
    let max = -Infinity;
    for (const v of z) if (v > max) max = v;
    let sum = 0;
    for (const v of z) sum += Math.exp((v - max) / temperature);
    total += Math.log(sum) - ((z[labels[i] as number] as number) - max) / temperature;
  }
  return total / Math.max(1, logits.length);
}

/**
 * Temperature scaling (Guo et al., 2017): the single T > 0 minimising the NLL of held-out logits. NLL is unimodal in
 * log T for this family in practice, so a golden-section search over T ∈ [0.02, 50] is exact enough and deterministic.
 */
export function fitTemperature(logits: readonly Float64Array[], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  let lo = Math.log(0.02);
  let hi = Math.log(50);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(logits, labels, Math.exp(a));
  let fb = nll(logits, labels, Math.exp(b));
  for (let iter = 0; iter < 28; iter++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(logits, labels, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(logits, labels, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Expected calibration error with equal-width bins: the mean |accuracy − confidence| over bins, weighted by how
 * many predictions fall in each. 0 is perfectly calibrated.
 *
 * @example
 * ```ts
 * expectedCalibrationError({ confidences: [0.9, 0.6], correct: [true, false] }); // 0.35
 * ```
 */
export function expectedCalibrationError(options: {
  readonly confidences: readonly number[];
  readonly correct: readonly boolean[];
  readonly bins?: number;
}): number {
  const { confidences, correct } = options;
  const bins = options.bins ?? 10;
  const n = confidences.length;
  if (n === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const c = confidences[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + c;
    if (correct[i] === true) acc[b] = (acc[b] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const k = count[b] as number;
    if (k > 0) ece += (k / n) * Math.abs((acc[b] as number) / k - (conf[b] as number) / k);
  }
  return ece;
}
