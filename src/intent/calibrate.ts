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

/**
 * Temperature scaling (Guo et al., 2017): the single T > 0 minimising the NLL of held-out logits, searched over
 * T ∈ [0.02, 50]. The NLL is convex in β = 1/T (a log-sum-exp of functions linear in β minus a linear term), with
 * gradient E_p[z] − z_label and curvature Var_p[z] averaged over rows, so a safeguarded Newton iteration on β finds
 * it in a handful of passes over the logits (each pass costs one `exp` per logit; a golden-section search needed
 * about 30). Deterministic: a fixed start, fixed bracket and a fixed stopping rule.
 */
export function fitTemperature(logits: readonly Float64Array[], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  const minBeta = 1 / 50;
  const maxBeta = 1 / 0.02;
  let lo = minBeta;
  let hi = maxBeta;
  let beta = 1;
  for (let iter = 0; iter < 60; iter++) {
    const { gradient, curvature } = nllDerivatives(logits, labels, beta);
    if (gradient > 0) hi = beta;
    else lo = beta;
    let next = curvature > 0 ? beta - gradient / curvature : Number.NaN;
    if (!(next > lo && next < hi)) {
      // Outside the bracket (or no curvature): try the end it points past once (separable data has its optimum
      // there), else bisect the bracket in log space.
      if (next >= hi && hi === maxBeta && beta < maxBeta) next = maxBeta;
      else if (next <= lo && lo === minBeta && beta > minBeta) next = minBeta;
      else next = Math.sqrt(lo * hi);
    }
    const done = Math.abs(next - beta) <= 1e-9 * beta || hi - lo <= 1e-12 * hi;
    beta = next;
    if (done) break;
  }
  return 1 / Math.min(maxBeta, Math.max(minBeta, beta));
}

/** First and second derivative in β = 1/T of the mean NLL of `labels` under softmax(β · logits). */
function nllDerivatives(
  logits: readonly Float64Array[],
  labels: readonly number[],
  beta: number,
): { gradient: number; curvature: number } {
  let gradient = 0;
  let curvature = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] as Float64Array;
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) if ((z[k] as number) > max) max = z[k] as number;
    let sum = 0;
    let mean = 0;
    let second = 0;
    for (let k = 0; k < z.length; k++) {
      const d = (z[k] as number) - max;
      const e = Math.exp(beta * d);
      sum += e;
      mean += e * d;
      second += e * d * d;
    }
    mean /= sum;
    gradient += mean - ((z[labels[i] as number] as number) - max);
    curvature += second / sum - mean * mean;
  }
  return { gradient: gradient / logits.length, curvature: curvature / logits.length };
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
