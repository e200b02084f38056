// The span typer: a second look at each span the tagger finds. The chain model decides a unit's label from a window
// around it; the typer sees the whole span at once (its text, first and last characters, the words inside it) and the
// whole message around it (the words next to it and every other word of the message), and scores each entity, plus
// "none". Its scores are added, times `weight`, to the tagger's own score for relabelling the span as each entity (or
// as plain text), and the best total wins: a span read as a company can become an organisation because the message
// talks of 球队 and 联赛, and a known name that the corpus leaves unannotated in this kind of message can be dropped.
import { createRandom, shuffleInPlace } from '../../internal/random.js';
import type { FeaturizedText } from './features.js';
import { combine, finish } from './hash.js';
import { buildFeatureTable, createFeatureCounter, lookupFeature, sparseRows, type FeatureTable } from './table.js';
import { labelOf, ROLE, type LabelScheme } from './viterbi.js';

/** Settings of the span typer (`typer` option of `trainSlotTagger`). */
export interface SpanTyperOptions {
  /** Passes of the typer's averaged perceptron over the training spans. */
  readonly epochs: number;
  /** How much the typer's scores count against the tagger's path scores when a span is re-read. */
  readonly weight: number;
  /** Perceptrons trained on differently seeded shuffles whose weights are averaged (variance, not capacity). */
  readonly ensemble: number;
}

/**
 * A trained span typer, stored in the slot tagger model. Classes are the tagger's entities in order, then "none".
 * Weights are stored like the tagger's: sparsely by feature hash (`keys`, strictly increasing), the weights of `keys[k]`
 * being `values[rowStarts[k] .. rowStarts[k + 1])` for classes `cols[…]`, each multiplied by `scale`.
 */
export interface SpanTyperModel {
  readonly weight: number;
  readonly scale: number;
  readonly keys: readonly number[];
  readonly rowStarts: readonly number[];
  readonly cols: readonly number[];
  readonly values: readonly number[];
  readonly stats: SpanTyperStats;
}

/** Figures recorded while training the typer. */
export interface SpanTyperStats {
  /** Annotated spans learned from. */
  readonly spans: number;
  /** Unannotated occurrences of annotated surfaces, learned as "none". */
  readonly negatives: number;
  readonly epochs: number;
  /** Perceptrons averaged. */
  readonly ensemble: number;
  /** Share of its training spans the typer alone classifies correctly. */
  readonly trainAccuracy: number;
}

/** A span of units `[from, to)` and its class (entity index; the entity count for "none"). */
export interface TypedSpan {
  readonly from: number;
  readonly to: number;
  readonly cls: number;
}

// Template ids of the typer's features (a table of their own, so they need not differ from the tagger's).
const F_BIAS = 1;
const F_SURFACE = 2;
const F_FIRST = 3;
const F_FIRST2 = 4;
const F_LAST = 5;
const F_LAST2 = 6;
const F_LENGTH = 7;
const F_UNIT = 8;
const F_INNER = 9;
const F_INNER_FIRST = 10;
const F_INNER_LAST = 11;
const F_LEFT = 12;
const F_RIGHT = 13;
const F_AROUND = 14;
const F_BEFORE = 15;
const F_AFTER = 16;
const F_BAG = 17;
/** Stands for a missing neighbour (message start or end). */
const EDGE = 0x2f1b3c;

/** The words of a message as the typer sees them: per unit its word (−1 for none) and each word's hash. */
interface TyperWords {
  readonly tokenAt: (k: number) => number;
  readonly word: (t: number) => number;
  readonly count: number;
}

function typerWords(f: FeaturizedText): TyperWords {
  // Without tokenizer words, units stand in for words.
  const tokenOf = f.words?.tokenOf ?? null;
  const hashes = f.words?.hashes ?? f.units;
  return {
    tokenAt: (k: number): number => (tokenOf === null ? k : (tokenOf[k] as number)),
    word: (t: number): number => (t >= 0 && t < hashes.length ? (hashes[t] as number) : EDGE),
    count: hashes.length,
  };
}

/**
 * The bag-of-words features of units `[from, to)` of `f` (each word once): the message around a span. A span's
 * features include the bag of its decoding window less the words inside the span.
 */
export function windowBag(f: FeaturizedText, from: number, to: number): number[] {
  const w = typerWords(f);
  const bag: number[] = [];
  let last = -2;
  for (let k = from; k < to; k++) {
    const t = w.tokenAt(k);
    if (t < 0 || t === last) continue;
    last = t;
    const h = finish(combine(F_BAG, w.word(t)));
    if (!bag.includes(h)) bag.push(h);
  }
  return bag;
}

/**
 * Appends to `out` the features of span `[i, j)` of `f` that do not come from the bag: the span's text, its first and
 * last one and two units, its length, each distinct unit, the words inside it, the three words on each side and the
 * units just outside it. Appends to `inner` the bag features of the words inside the span (each once), which the
 * span's features leave out of the window's bag.
 */
export function spanFeatures(f: FeaturizedText, i: number, j: number, out: number[], inner: number[]): void {
  const u = f.units;
  const n = u.length;
  const { tokenAt, word, count } = typerWords(f);
  let surface = F_SURFACE;
  for (let k = i; k < j; k++) surface = combine(surface, u[k] as number);
  out.push(finish(F_BIAS), finish(surface));
  out.push(finish(combine(F_FIRST, u[i] as number)), finish(combine(F_LAST, u[j - 1] as number)));
  if (j - i >= 2) {
    out.push(finish(combine(combine(F_FIRST2, u[i] as number), u[i + 1] as number)));
    out.push(finish(combine(combine(F_LAST2, u[j - 2] as number), u[j - 1] as number)));
  }
  out.push(finish(combine(F_LENGTH, Math.min(j - i, 12))));
  const start = out.length;
  for (let k = i; k < j; k++) {
    const h = finish(combine(F_UNIT, u[k] as number));
    if (!out.includes(h, start)) out.push(h);
  }
  // Words inside the span (each word any unit of the span sits in), in order.
  let firstInner = -1;
  let lastInner = -1;
  for (let k = i; k < j; k++) {
    const t = tokenAt(k);
    if (t < 0 || t === lastInner) continue;
    if (firstInner < 0) firstInner = t;
    lastInner = t;
    out.push(finish(combine(F_INNER, word(t))));
    const h = finish(combine(F_BAG, word(t)));
    if (!inner.includes(h)) inner.push(h);
  }
  if (firstInner >= 0) out.push(finish(combine(F_INNER_FIRST, word(firstInner))), finish(combine(F_INNER_LAST, word(lastInner))));
  // The words before and after: the word of the unit just outside the span, then its neighbours.
  const left = i > 0 ? tokenAt(i - 1) : -1;
  const right = j < n ? tokenAt(j) : -1;
  for (let k = 0; k < 3; k++) {
    out.push(finish(combine(combine(F_LEFT, k), left >= 0 ? word(left - k) : EDGE)));
    out.push(finish(combine(combine(F_RIGHT, k), right >= 0 && right + k < count ? word(right + k) : EDGE)));
  }
  out.push(finish(combine(combine(F_AROUND, left >= 0 ? word(left) : EDGE), right >= 0 ? word(right) : EDGE)));
  out.push(finish(combine(F_BEFORE, i > 0 ? (u[i - 1] as number) : EDGE)), finish(combine(F_AFTER, j < n ? (u[j] as number) : EDGE)));
}

/** All features of span `[i, j)` of `f` whose decoding window has the bag `bag`. */
export function allSpanFeatures(f: FeaturizedText, i: number, j: number, bag: readonly number[], out: number[]): void {
  const inner: number[] = [];
  spanFeatures(f, i, j, out, inner);
  for (const h of bag) if (!inner.includes(h)) out.push(h);
}

/** One training span of the typer: a featurised message, the span's units and its class. */
export interface TyperExample {
  readonly f: FeaturizedText;
  readonly span: TypedSpan;
}

/**
 * Trains the typer (averaged multiclass perceptron, seeded shuffles) on annotated spans and unannotated occurrences
 * of annotated surfaces (class "none" = `entities`).
 */
export function learnSpanTyper(examples: readonly TyperExample[], entities: number, options: SpanTyperOptions, seed: number): SpanTyperModel {
  const C = entities + 1;
  const feats: Int32Array[] = [];
  const counter = createFeatureCounter();
  const buffer: number[] = [];
  const bags = new Map<FeaturizedText, number[]>();
  for (const ex of examples) {
    buffer.length = 0;
    let bag = bags.get(ex.f);
    if (bag === undefined) bags.set(ex.f, (bag = windowBag(ex.f, 0, ex.f.units.length)));
    allSpanFeatures(ex.f, ex.span.from, ex.span.to, bag, buffer);
    const hashes = Int32Array.from(buffer);
    for (const h of hashes) counter.add(h);
    feats.push(hashes);
  }
  const keysByRow = Array.from(counter.entries().keys, (k) => k >>> 0);
  const table = buildFeatureTable(keysByRow);
  const rows = feats.map((h) => Int32Array.from(h, (k) => lookupFeature(table, k)));
  const R = keysByRow.length;
  const w = new Float64Array(R * C);
  // Members train on differently seeded shuffles; their averaged weights are summed here, then divided.
  const sum = new Float64Array(R * C);
  for (let member = 0; member < options.ensemble; member++) {
    const averaged = learnMember(rows, examples, R, C, options.epochs, (seed + Math.imul(member, 0x9e3779b1)) ^ 0x7e9e5);
    for (let k = 0; k < R * C; k++) sum[k] = (sum[k] as number) + (averaged[k] as number);
  }
  let maxAbs = 0;
  for (let k = 0; k < R * C; k++) {
    w[k] = (sum[k] as number) / options.ensemble;
    maxAbs = Math.max(maxAbs, Math.abs(w[k] as number));
  }
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const dense = new Float64Array(R * C);
  const score = new Float64Array(C);
  const sparse = sparseRows(keysByRow, w, C, scale, dense);
  let correct = 0;
  rows.forEach((r, k) => {
    if (argmax(r, dense, C, score) === (examples[k] as TyperExample).span.cls) correct++;
  });
  let spans = 0;
  for (const ex of examples) if (ex.span.cls < entities) spans++;
  return {
    weight: options.weight,
    scale,
    ...sparse,
    stats: {
      spans,
      negatives: examples.length - spans,
      epochs: options.epochs,
      ensemble: options.ensemble,
      trainAccuracy: examples.length > 0 ? Math.round((correct / examples.length) * 1e4) / 1e4 : 0,
    },
  };
}

/** One averaged multiclass perceptron over the prepared rows (−1 = unknown feature); returns its averaged weights. */
function learnMember(rows: readonly Int32Array[], examples: readonly TyperExample[], R: number, C: number, epochs: number, seed: number): Float64Array {
  const w = new Float64Array(R * C);
  const acc = new Float64Array(R * C);
  const score = new Float64Array(C);
  const order = examples.map((_, k) => k);
  const random = createRandom(seed);
  let c = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const k of order) {
      const r = rows[k] as Int32Array;
      const gold = (examples[k] as TyperExample).span.cls;
      const best = argmax(r, w, C, score);
      if (best !== gold) {
        for (const row of r) {
          w[row * C + gold] = (w[row * C + gold] as number) + 1;
          acc[row * C + gold] = (acc[row * C + gold] as number) + c;
          w[row * C + best] = (w[row * C + best] as number) - 1;
          acc[row * C + best] = (acc[row * C + best] as number) - c;
        }
      }
      c++;
    }
  }
  for (let k = 0; k < R * C; k++) w[k] = (w[k] as number) - (acc[k] as number) / c;
  return w;
}

function argmax(rows: Int32Array, w: Float64Array, C: number, score: Float64Array): number {
  score.fill(0);
  for (const row of rows) {
    if (row < 0) continue;
    for (let y = 0; y < C; y++) score[y] = (score[y] as number) + (w[row * C + y] as number);
  }
  let best = 0;
  for (let y = 1; y < C; y++) if ((score[y] as number) > (score[best] as number)) best = y;
  return best;
}

/** Scores spans with a trained typer: `scores[c]` for each entity `c`, then "none", already times `weight`. */
export interface SpanTyperScorer {
  /** Prepares the window `[from, to)` of `f` (its bag of words); spans scored next lie in it. */
  window(f: FeaturizedText, from: number, to: number): void;
  score(f: FeaturizedText, i: number, j: number, scores: Float64Array): void;
}

/**
 * Prepares a typer for decoding (its lookup table and de-quantised weights). The bag of a window is summed once per
 * window and each span subtracts its own words, so a span costs its length, not the window's.
 */
export function createSpanTyperScorer(model: SpanTyperModel, classes: number): SpanTyperScorer {
  const table: FeatureTable = buildFeatureTable(model.keys);
  const rowStarts = Int32Array.from(model.rowStarts);
  const cols = Int32Array.from(model.cols);
  const factor = model.scale * model.weight;
  const values = Float64Array.from(model.values, (v) => v * factor);
  const bagScores = new Float64Array(classes);
  const buffer: number[] = [];
  const inner: number[] = [];
  const add = (h: number, scores: Float64Array, sign: number): void => {
    const r = lookupFeature(table, h);
    if (r < 0) return;
    for (let k = rowStarts[r] as number; k < (rowStarts[r + 1] as number); k++) {
      const y = cols[k] as number;
      scores[y] = (scores[y] as number) + sign * (values[k] as number);
    }
  };
  return {
    window(f: FeaturizedText, from: number, to: number): void {
      bagScores.fill(0);
      for (const h of windowBag(f, from, to)) add(h, bagScores, 1);
    },
    score(f: FeaturizedText, i: number, j: number, scores: Float64Array): void {
      scores.set(bagScores);
      buffer.length = 0;
      inner.length = 0;
      spanFeatures(f, i, j, buffer, inner);
      for (const h of buffer) add(h, scores, 1);
      for (const h of inner) add(h, scores, -1);
    },
  };
}

/**
 * The path score of `labels` over units `[i, j)` and the transitions into and out of them, with the span relabelled
 * as entity `e` (or as plain text when `e` is −1): the part of the whole path's score that relabelling changes.
 */
export function relabelledScore(
  emit: Float64Array,
  trans: Float64Array,
  L: number,
  labels: Int32Array,
  n: number,
  i: number,
  j: number,
  e: number,
  scheme: LabelScheme,
): number {
  let prev = i === 0 ? L : (labels[i - 1] as number);
  let s = 0;
  for (let k = i; k < j; k++) {
    const y = e < 0 ? 0 : labelOf(spanRole(k, i, j, scheme), e, scheme);
    s += (trans[prev * L + y] as number) + (emit[k * L + y] as number);
    prev = y;
  }
  if (j < n) s += trans[prev * L + (labels[j] as number)] as number;
  return s;
}

/** The role of unit `k` in a span `[i, j)` under `scheme`. */
export function spanRole(k: number, i: number, j: number, scheme: LabelScheme): number {
  if (scheme === 'bio') return k === i ? ROLE.B : ROLE.I;
  return j - i === 1 ? ROLE.S : k === i ? ROLE.B : k === j - 1 ? ROLE.E : ROLE.I;
}
