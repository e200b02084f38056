// The two learners of the slot tagger. Both read the same prepared data (per unit, the weight rows of its features)
// and return dense weights (rows × labels) plus an (L + 1) × L transition matrix (last row = start scores), so the
// saved model, its quantisation and decoding do not depend on how it was learned.
import { createRandom, shuffleInPlace } from '../../internal/random.js';
import { predecessorsOf, transitionMask, viterbi, type LabelScheme } from './viterbi.js';

/** One training message: per unit `i`, the weight rows `rows[offsets[i] .. offsets[i + 1])` and the gold label. */
export interface PreparedExample {
  readonly rows: Int32Array;
  readonly offsets: Int32Array;
  readonly gold: Int32Array;
  readonly n: number;
}

/** What a learner needs to know. */
export interface LearnInput {
  readonly examples: readonly PreparedExample[];
  /** Number of weight rows (distinct features). */
  readonly rows: number;
  readonly labels: number;
  readonly epochs: number;
  readonly seed: number;
  /** Label scheme (which transitions are allowed). Default BIO. */
  readonly scheme?: LabelScheme;
  /**
   * Perceptron only: each time an example is visited, each of its feature occurrences is left out, with this
   * probability, of both the decoding and the update (dropout). Default 0.
   */
  readonly dropout?: number;
}

/** Learned weights, unquantised. */
export interface LearnedWeights {
  readonly weights: Float64Array;
  readonly transitions: Float64Array;
}

/** Adds the weight rows of each unit's features into `emit[i * L + y]`, skipping occurrences `k` where `drop[k]` is 1. */
export function scoreEmissions(p: PreparedExample, w: Float32Array | Float64Array, L: number, emit: Float64Array, drop?: Uint8Array): void {
  emit.fill(0, 0, p.n * L);
  for (let i = 0; i < p.n; i++) {
    const row = i * L;
    for (let k = p.offsets[i] as number; k < (p.offsets[i + 1] as number); k++) {
      if (drop !== undefined && drop[k] === 1) continue;
      const base = (p.rows[k] as number) * L;
      for (let y = 0; y < L; y++) emit[row + y] = (emit[row + y] as number) + (w[base + y] as number);
    }
  }
}

function maxUnits(examples: readonly PreparedExample[]): number {
  let maxN = 1;
  for (const p of examples) maxN = Math.max(maxN, p.n);
  return maxN;
}

function maxRows(examples: readonly PreparedExample[]): number {
  let max = 1;
  for (const p of examples) max = Math.max(max, p.rows.length);
  return max;
}

/**
 * Averaged structured perceptron (Collins 2002): decode, and where the best path differs from the gold one, add the
 * gold features and subtract the predicted ones; the result is the average of the weights after every example. With
 * `dropout`, each visit sees a random part of the example's features, so no single feature (a training-set name, a
 * rare n-gram) can carry a decision alone.
 */
export function learnPerceptron(input: LearnInput): LearnedWeights {
  const { examples, labels: L, epochs } = input;
  const R = input.rows;
  const w = new Float32Array(R * L);
  const u = new Float64Array(R * L);
  const T = (L + 1) * L;
  const tw = new Float64Array(T);
  const tu = new Float64Array(T);
  const mask = transitionMask(L, input.scheme);
  const preds = predecessorsOf(mask, L);
  const maxN = maxUnits(examples);
  const emit = new Float64Array(maxN * L);
  const pred = new Int32Array(maxN);
  const scratch = { score: new Float64Array(maxN * L), back: new Int32Array(maxN * L) };
  const random = createRandom(input.seed);
  const sequence = examples.map((_, i) => i);
  const dropout = input.dropout ?? 0;
  const drop = dropout > 0 ? new Uint8Array(maxRows(examples)) : undefined;
  let c = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(sequence, random);
    for (const idx of sequence) {
      const p = examples[idx] as PreparedExample;
      if (p.n === 0) continue;
      if (drop !== undefined) for (let k = 0; k < p.rows.length; k++) drop[k] = random() < dropout ? 1 : 0;
      scoreEmissions(p, w, L, emit, drop);
      viterbi(emit, p.n, L, tw, mask, preds, pred, scratch);
      let prevGold = L;
      let prevPred = L;
      for (let i = 0; i < p.n; i++) {
        const g = p.gold[i] as number;
        const y = pred[i] as number;
        if (g !== y) {
          for (let k = p.offsets[i] as number; k < (p.offsets[i + 1] as number); k++) {
            if (drop !== undefined && drop[k] === 1) continue;
            const base = (p.rows[k] as number) * L;
            w[base + g] = (w[base + g] as number) + 1;
            u[base + g] = (u[base + g] as number) + c;
            w[base + y] = (w[base + y] as number) - 1;
            u[base + y] = (u[base + y] as number) - c;
          }
        }
        if (g !== y || prevGold !== prevPred) {
          const a = prevGold * L + g;
          const b = prevPred * L + y;
          tw[a] = (tw[a] as number) + 1;
          tu[a] = (tu[a] as number) + c;
          tw[b] = (tw[b] as number) - 1;
          tu[b] = (tu[b] as number) - c;
        }
        prevGold = g;
        prevPred = y;
      }
      c++;
    }
  }
  const weights = new Float64Array(R * L);
  for (let k = 0; k < R * L; k++) weights[k] = (w[k] as number) - (u[k] as number) / c;
  const transitions = new Float64Array(T);
  for (let k = 0; k < T; k++) transitions[k] = (tw[k] as number) - (tu[k] as number) / c;
  return { weights, transitions };
}

/** Options of the CRF learner. */
export interface CrfOptions {
  /** L2 strength per example (the objective is mean log-loss + l2 / 2 × ‖w‖²). */
  readonly l2: number;
  /** Initial step size; step t is `rate / (1 + t / decay)` with t counted in examples. */
  readonly rate: number;
  /** Average the weights over this last share of the updates (averaged SGD); 0 = no averaging. */
  readonly averageShare: number;
}

/**
 * Linear-chain CRF trained by stochastic gradient descent on the log-loss, with L2 regularisation applied lazily (one
 * shared scale factor, so an update touches only the features of the example) and averaging over the last updates.
 * Forward-backward runs on the masked label lattice in probability space with per-unit scaling: the gradient of a
 * feature at unit i is [gold = y] − P(y_i = y), of a transition [gold pair] − P(y_{i−1}, y_i).
 */
export function learnCrf(input: LearnInput, options: CrfOptions): LearnedWeights {
  const { examples, labels: L, epochs } = input;
  const R = input.rows;
  const T = (L + 1) * L;
  const N = examples.length;
  const w = new Float64Array(R * L);
  const tw = new Float64Array(T);
  // Averaging (Polyak) without touching every weight per step: the sum of the true weights over the averaged steps
  // is S · w_raw − ua, where S sums the scale factor over those steps and each raw change d adds d · S to ua.
  const ua = new Float64Array(R * L);
  const tua = new Float64Array(T);
  const mask = transitionMask(L, input.scheme);
  const { from, list } = predecessorsOf(mask, L);
  const maxN = maxUnits(examples);
  const emit = new Float64Array(maxN * L);
  const alpha = new Float64Array(maxN * L);
  const beta = new Float64Array(maxN * L);
  const scale = new Float64Array(maxN);
  const expTrans = new Float64Array(T);
  const grad = new Float64Array(maxN * L);
  const tgrad = new Float64Array(T);
  const random = createRandom(input.seed);
  const sequence = examples.map((_, i) => i);
  const total = epochs * N;
  const averageFrom = options.averageShare > 0 ? Math.floor(total * (1 - options.averageShare)) : total;
  const decay = N;
  // w_true = s · w_raw. L2 shrinks s; an update of size g adds g / s to w_raw.
  let s = 1;
  let S = 0;
  let averaged = 0;
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(sequence, random);
    for (const idx of sequence) {
      const p = examples[idx] as PreparedExample;
      const rate = options.rate / (1 + t / decay);
      s *= 1 - rate * options.l2;
      if (s < 1e-9) {
        for (let k = 0; k < R * L; k++) w[k] = (w[k] as number) * s;
        for (let k = 0; k < T; k++) tw[k] = (tw[k] as number) * s;
        // The running sum S · w_raw − ua must not change: w_raw grew by 1 / s, so S shrinks by s (ua stays).
        S /= s;
        s = 1;
      }
      if (p.n > 0) {
        const n = p.n;
        // Emissions in true units.
        emit.fill(0, 0, n * L);
        for (let i = 0; i < n; i++) {
          const row = i * L;
          for (let k = p.offsets[i] as number; k < (p.offsets[i + 1] as number); k++) {
            const base = (p.rows[k] as number) * L;
            for (let y = 0; y < L; y++) emit[row + y] = (emit[row + y] as number) + (w[base + y] as number);
          }
          let m = -Infinity;
          for (let y = 0; y < L; y++) {
            const v = (emit[row + y] as number) * s;
            emit[row + y] = v;
            if (v > m) m = v;
          }
          for (let y = 0; y < L; y++) emit[row + y] = Math.exp((emit[row + y] as number) - m);
        }
        for (let k = 0; k < T; k++) expTrans[k] = mask[k] === 1 ? Math.exp(Math.min(50, Math.max(-50, (tw[k] as number) * s))) : 0;
        // Forward.
        let z = 0;
        for (let y = 0; y < L; y++) {
          const v = (expTrans[L * L + y] as number) * (emit[y] as number);
          alpha[y] = v;
          z += v;
        }
        scale[0] = z;
        for (let y = 0; y < L; y++) alpha[y] = (alpha[y] as number) / z;
        for (let i = 1; i < n; i++) {
          const row = i * L;
          const prev = row - L;
          z = 0;
          for (let y = 0; y < L; y++) {
            let sum = 0;
            const end = from[y + 1] as number;
            for (let q = from[y] as number; q < end; q++) {
              const p2 = list[q] as number;
              sum += (alpha[prev + p2] as number) * (expTrans[p2 * L + y] as number);
            }
            const v = sum * (emit[row + y] as number);
            alpha[row + y] = v;
            z += v;
          }
          scale[i] = z;
          for (let y = 0; y < L; y++) alpha[row + y] = (alpha[row + y] as number) / z;
        }
        // Backward.
        const lastRow = (n - 1) * L;
        for (let y = 0; y < L; y++) beta[lastRow + y] = 1;
        for (let i = n - 2; i >= 0; i--) {
          const row = i * L;
          const next = row + L;
          const zn = scale[i + 1] as number;
          for (let p2 = 0; p2 < L; p2++) beta[row + p2] = 0;
          for (let y = 0; y < L; y++) {
            const v = ((emit[next + y] as number) * (beta[next + y] as number)) / zn;
            const end = from[y + 1] as number;
            for (let q = from[y] as number; q < end; q++) {
              const p2 = list[q] as number;
              beta[row + p2] = (beta[row + p2] as number) + (expTrans[p2 * L + y] as number) * v;
            }
          }
        }
        // Gradient of the log-likelihood: gold − expected.
        tgrad.fill(0);
        for (let i = 0; i < n; i++) {
          const row = i * L;
          for (let y = 0; y < L; y++) grad[row + y] = -(alpha[row + y] as number) * (beta[row + y] as number);
          const g = p.gold[i] as number;
          grad[row + g] = (grad[row + g] as number) + 1;
          const prevGold = i === 0 ? L : (p.gold[i - 1] as number);
          tgrad[prevGold * L + g] = (tgrad[prevGold * L + g] as number) + 1;
          if (i === 0) {
            for (let y = 0; y < L; y++) tgrad[L * L + y] = (tgrad[L * L + y] as number) - (alpha[y] as number) * (beta[y] as number);
          } else {
            const prev = row - L;
            const inv = 1 / (scale[i] as number);
            for (let y = 0; y < L; y++) {
              const v = (emit[row + y] as number) * (beta[row + y] as number) * inv;
              const end = from[y + 1] as number;
              for (let q = from[y] as number; q < end; q++) {
                const p2 = list[q] as number;
                const k = p2 * L + y;
                tgrad[k] = (tgrad[k] as number) - (alpha[prev + p2] as number) * (expTrans[k] as number) * v;
              }
            }
          }
        }
        const step = rate / s;
        const avgStep = step * S;
        for (let i = 0; i < n; i++) {
          const row = i * L;
          for (let k = p.offsets[i] as number; k < (p.offsets[i + 1] as number); k++) {
            const base = (p.rows[k] as number) * L;
            for (let y = 0; y < L; y++) {
              const gy = grad[row + y] as number;
              if (gy > -1e-9 && gy < 1e-9) continue;
              w[base + y] = (w[base + y] as number) + step * gy;
              ua[base + y] = (ua[base + y] as number) + avgStep * gy;
            }
          }
        }
        for (let k = 0; k < T; k++) {
          const gk = tgrad[k] as number;
          if (gk === 0) continue;
          tw[k] = (tw[k] as number) + step * gk;
          tua[k] = (tua[k] as number) + avgStep * gk;
        }
      }
      t++;
      if (t > averageFrom) {
        S += s;
        averaged++;
      }
    }
  }
  if (averaged === 0) {
    const weights = Float64Array.from(w, (v) => v * s);
    const transitions = Float64Array.from(tw, (v) => v * s);
    return { weights, transitions };
  }
  const weights = new Float64Array(R * L);
  for (let k = 0; k < R * L; k++) weights[k] = ((w[k] as number) * S - (ua[k] as number)) / averaged;
  const transitions = new Float64Array(T);
  for (let k = 0; k < T; k++) transitions[k] = ((tw[k] as number) * S - (tua[k] as number)) / averaged;
  return { weights, transitions };
}
