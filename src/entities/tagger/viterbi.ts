// First-order linear-chain decoding over BIO or BIOES labels: Viterbi for the best path and per-unit confidences.
// Label 0 is O. BIO: label 1 + 2e is B of entity e, 2 + 2e is I. BIOES: 1 + 4e is B, 2 + 4e I, 3 + 4e E, 4 + 4e S.

/** How span labels are written: BIO (begin, inside) or BIOES (begin, inside, end, single). */
export type LabelScheme = 'bio' | 'bioes';

/** Labels per entity under `scheme`. */
export function labelsPerEntity(scheme: LabelScheme): number {
  return scheme === 'bioes' ? 4 : 2;
}

/** The role a label plays in a span. */
export const ROLE = { O: 0, B: 1, I: 2, E: 3, S: 4 } as const;

/** Role of label `y` ({@link ROLE}) and its entity index (-1 for O). */
export function roleOf(y: number, scheme: LabelScheme): { role: number; entity: number } {
  if (y === 0) return { role: ROLE.O, entity: -1 };
  const k = labelsPerEntity(scheme);
  return { role: 1 + ((y - 1) % k), entity: Math.floor((y - 1) / k) };
}

/** The label of `role` (B, I, E or S; E and S exist under BIOES only) for entity `entity`: the inverse of {@link roleOf}. */
export function labelOf(role: number, entity: number, scheme: LabelScheme): number {
  return 1 + labelsPerEntity(scheme) * entity + (role - 1);
}

/**
 * `(L + 1) × L` mask of allowed transitions, the last row being the start. BIO: `I-e` may only follow `B-e` or
 * `I-e`. BIOES: `I-e` and `E-e` only follow `B-e` or `I-e`, and `O`, `B` and `S` only follow `O`, `E`, `S` or the start.
 * Invalid transitions are removed from the search instead of being repaired afterwards.
 */
export function transitionMask(labelCount: number, scheme: LabelScheme = 'bio'): Uint8Array {
  const mask = new Uint8Array((labelCount + 1) * labelCount);
  for (let p = 0; p <= labelCount; p++) {
    for (let y = 0; y < labelCount; y++) {
      let ok: boolean;
      if (scheme === 'bio') {
        const isInside = y > 0 && y % 2 === 0;
        ok = !isInside || p === y - 1 || p === y;
      } else {
        const to = roleOf(y, scheme);
        const from = p === labelCount ? { role: ROLE.O, entity: -1 } : roleOf(p, scheme);
        const open = from.role === ROLE.B || from.role === ROLE.I;
        ok = to.role === ROLE.I || to.role === ROLE.E ? open && from.entity === to.entity : !open;
      }
      mask[p * labelCount + y] = ok ? 1 : 0;
    }
  }
  return mask;
}

/** Allowed predecessors of each label, in CSR form (`from[y] .. from[y + 1]` index `list`), from the mask. */
export interface Predecessors {
  readonly from: Int32Array;
  readonly list: Int32Array;
}

/** Lists each label's allowed predecessors once, so decoding skips the masked pairs instead of testing them. */
export function predecessorsOf(mask: Uint8Array, labelCount: number): Predecessors {
  const L = labelCount;
  const from = new Int32Array(L + 1);
  const list: number[] = [];
  for (let y = 0; y < L; y++) {
    for (let p = 0; p < L; p++) if (mask[p * L + y] === 1) list.push(p);
    from[y + 1] = list.length;
  }
  return { from, list: Int32Array.from(list) };
}

/**
 * Best label sequence for `n` units given emission scores `emit[i * L + y]`, transition scores `trans[p * L + y]`
 * (row L = start) and the mask with its predecessor lists. Writes the labels into `out` and returns the path score.
 */
export function viterbi(
  emit: Float64Array,
  n: number,
  labelCount: number,
  trans: Float64Array,
  mask: Uint8Array,
  preds: Predecessors,
  out: Int32Array,
  scratch: { score: Float64Array; back: Int32Array },
): number {
  const L = labelCount;
  if (n === 0) return 0;
  const score = scratch.score;
  const back = scratch.back;
  const from = preds.from;
  const list = preds.list;
  for (let y = 0; y < L; y++) {
    score[y] = mask[L * L + y] === 1 ? (trans[L * L + y] as number) + (emit[y] as number) : -Infinity;
  }
  for (let i = 1; i < n; i++) {
    const prevRow = (i - 1) * L;
    const row = i * L;
    for (let y = 0; y < L; y++) {
      let best = -Infinity;
      let arg = 0;
      const end = from[y + 1] as number;
      for (let k = from[y] as number; k < end; k++) {
        const p = list[k] as number;
        const s = (score[prevRow + p] as number) + (trans[p * L + y] as number);
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[row + y] = best + (emit[row + y] as number);
      back[row + y] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  const last = (n - 1) * L;
  for (let y = 0; y < L; y++) {
    if ((score[last + y] as number) > best) {
      best = score[last + y] as number;
      arg = y;
    }
  }
  out[n - 1] = arg;
  for (let i = n - 1; i > 0; i--) out[i - 1] = back[i * L + (out[i] as number)] as number;
  return best;
}

/**
 * Per-unit confidence of the label in `path`: the softmax probability of that label among all labels allowed after
 * the path's previous label (emission + transition). O(n × L), unlike full forward-backward marginals (O(n × L²)),
 * which cost more than decoding itself for datasets with many labels.
 */
export function pathConfidence(
  emit: Float64Array,
  n: number,
  labelCount: number,
  trans: Float64Array,
  mask: Uint8Array,
  path: Int32Array,
): Float64Array {
  const L = labelCount;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? L : (path[i - 1] as number);
    const chosen = path[i] as number;
    const best = (emit[i * L + chosen] as number) + (trans[prev * L + chosen] as number);
    let sum = 0;
    for (let y = 0; y < L; y++) {
      if (mask[prev * L + y] === 0) continue;
      sum += Math.exp((emit[i * L + y] as number) + (trans[prev * L + y] as number) - best);
    }
    out[i] = sum > 0 && Number.isFinite(sum) ? 1 / sum : 0;
  }
  return out;
}

/** A span read off a label sequence: units `[from, to)` of entity `entity`. */
export interface LabelSpan {
  readonly from: number;
  readonly to: number;
  readonly entity: number;
}

/**
 * The spans of a label sequence that respects the transition mask: a span starts at B (or S) and runs over the I and
 * E labels of its entity; BIOES spans close at E (or where the sequence ends).
 */
export function spansOfLabels(labels: Int32Array, n: number, scheme: LabelScheme): LabelSpan[] {
  const out: LabelSpan[] = [];
  let i = 0;
  while (i < n) {
    const y = labels[i] as number;
    if (y === 0) {
      i++;
      continue;
    }
    const { role, entity } = roleOf(y, scheme);
    let j = i + 1;
    if (role !== ROLE.S) {
      while (j < n) {
        const next = roleOf(labels[j] as number, scheme);
        if (next.entity !== entity || (next.role !== ROLE.I && next.role !== ROLE.E)) break;
        j++;
        if (next.role === ROLE.E) break;
      }
    }
    out.push({ from: i, to: j, entity });
    i = j;
  }
  return out;
}
