import { KefuError } from '../../errors.js';
import { assertOptions, checkOption, describe } from '../../internal/assert.js';
import { createRandom, shuffleInPlace } from '../../internal/random.js';
import { isLabelledSpan } from '../../internal/span.js';
import { buildFeatureTable, createFeatureCounter, lookupFeature, sparseRows } from './table.js';
import { learnCrf, learnPerceptron, scoreEmissions, type CrfOptions, type PreparedExample } from './learn.js';
import type { AnnotatedSpan, Pack } from '../../pack/index.js';
import { createTextPipeline, type TextPipeline } from '../../text/index.js';
import type { Lang } from '../../types.js';
import { toAtoms, type Atom } from './atoms.js';
import { createTaggerFeaturizer, type TaggerFeatureConfig } from './features.js';
import { labelsOf, SLOT_TAGGER_FORMAT, type SlotTaggerModel, type SlotTaggerText } from './model.js';
import { buildSurfaceIndex, matchSurfaces, type SurfaceIndex, type SurfaceList } from './surfaces.js';
import { learnSpanTyper, spanRole, type SpanTyperModel, type SpanTyperOptions, type TyperExample } from './typer.js';
import { labelOf, predecessorsOf, spansOfLabels, transitionMask, viterbi, type LabelScheme } from './viterbi.js';

/** One annotated message: spans are half-open UTF-16 offsets into `text` (as `parseAnnotated` gives them). */
export interface SlotExample {
  readonly text: string;
  readonly spans: readonly Pick<AnnotatedSpan, 'entity' | 'start' | 'end'>[];
}

/** What {@link trainSlotTagger} learns from: a loaded pack (its training examples, never its tests) or examples. */
export type SlotTrainingData = Pack | readonly SlotExample[];

/** Options of {@link trainSlotTagger}; unset fields take {@link DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS} or an automatic value. */
export interface TrainSlotTaggerOptions {
  /** Text pipeline. Default: `createTextPipeline` with `language` and the pack's dictionary. */
  readonly pipeline?: TextPipeline;
  /** Language of the default pipeline: the pack's language, else `zh`. */
  readonly language?: Lang;
  /**
   * Entities to learn. Default: a pack's `learned` entities that some example annotates; for plain examples, every
   * entity in their spans.
   * Spans of other entities are treated as plain text.
   */
  readonly entities?: readonly string[];
  /** Seed of the example shuffles; the same data, options and seed give a byte-identical model. Default 42. */
  readonly seed?: number;
  /** Passes over the data. Default 12 below 2,000 examples, else 8. */
  readonly epochs?: number;
  /**
   * How the weights are learned: `'perceptron'` (averaged structured perceptron) or `'crf'` (linear-chain CRF,
   * log-loss with L2, averaged SGD). Both give the same kind of model. Default `'perceptron'`.
   */
  readonly algorithm?: 'perceptron' | 'crf';
  /**
   * Train this many models on differently seeded shuffles and average their weights (the saved model keeps one
   * weight per feature and label, so decoding is no slower, but training takes this many times longer). Default 3.
   */
  readonly ensemble?: number;
  /**
   * Span labels: `'bio'` (begin, inside) or `'bioes'` (also end and single-unit labels, so the last unit of a span
   * and one-unit spans get weights of their own). Default `'bioes'`.
   */
  readonly scheme?: 'bio' | 'bioes';
  /**
   * Perceptron only: the share (0 to below 1) of an example's feature occurrences left out, at random, each time the
   * example is visited (dropout); the model learns not to lean on any one feature. Default 0.2.
   */
  readonly dropout?: number;
  /** CRF settings: L2 strength, initial step size and the averaged share of the updates. */
  readonly crf?: Partial<CrfOptions>;
  /** A feature must occur at least this often in the training data. Default 1 below 5,000 examples, else 2. */
  readonly minCount?: number;
  /** Feature families. `lexicon` defaults to true for Chinese pipelines (it reads jieba's dictionary), else false. */
  readonly features?: Partial<TaggerFeatureConfig>;
  /**
   * Known surfaces used as features (a unit inside a known surface gets the surface's entity and position). A pack
   * adds its dictionary and lookup entities' values and synonyms.
   */
  readonly surfaces?: readonly SurfaceList[];
  /**
   * Also use the training spans' own surfaces as such a dictionary (a gazetteer). While training, each example sees
   * only the gazetteer built from the other folds, so the model learns how far to trust it. Default false.
   */
  readonly gazetteer?: boolean;
  /**
   * With `gazetteer`, also grade each gazetteer surface by how often it is annotated where it occurs in the training
   * text (0–3), a feature of its own: `中国` is a name in few of the messages that contain it, `浙商银行` in nearly all.
   */
  readonly gazetteerLevels?: boolean;
  /**
   * The span typer, a second stage that re-reads each span the tagger finds with features of the whole span and the
   * whole message, and may give it another entity or drop it (see {@link SpanTyperOptions}). `false` trains none;
   * an object changes its settings. Default on.
   */
  readonly typer?: boolean | Partial<SpanTyperOptions>;
}

/** Fixed defaults of {@link TrainSlotTaggerOptions}. */
export const DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS = {
  seed: 42,
  algorithm: 'perceptron' as 'perceptron' | 'crf',
  ensemble: 3 as number,
  scheme: 'bioes' as 'bio' | 'bioes',
  dropout: 0.2 as number,
  crf: { l2: 1e-4, rate: 0.1, averageShare: 0.5 } satisfies CrfOptions,
  gazetteer: false,
  gazetteerLevels: false as boolean,
  gazetteerFolds: 5,
  features: { window: 2, words: true, affixes: true, sentence: true, context: true } satisfies TaggerFeatureConfig,
  typer: { epochs: 10, weight: 3, ensemble: 3 } satisfies SpanTyperOptions,
} as const;

/** Quantisation range of saved weights: the largest weight is stored as ±32767 × scale. */
const QUANT = 32767;


/**
 * Trains the learned slot tagger: averaged structured perceptrons (`ensemble` of them, their weights averaged) over
 * BIOES (or BIO) labels with a first-order transition matrix, invalid transitions masked, Viterbi decoding. Features
 * are unit n-grams in a window, unit kinds and case shapes, Latin affixes, jieba words around each unit and
 * dictionary matches. Deterministic for a given seed.
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * const tagger = trainSlotTagger(pack);          // learns the pack's `learned` entities (address, …)
 * createSlotTagger(tagger).tag('地址改成杭州市西湖区文三路478号');
 * // → [{ entity: 'address', value: '杭州市西湖区文三路478号', start: 4, end: 16, … }]
 * ```
 */
export function trainSlotTagger(data: SlotTrainingData, options?: TrainSlotTaggerOptions): SlotTaggerModel {
  assertOptions(options, 'trainSlotTagger');
  const fn = 'trainSlotTagger';
  const isPack = typeof data === 'object' && data !== null && !Array.isArray(data);
  checkOption(isPack || Array.isArray(data), fn, 'data', data, 'a Pack or an array of { text, spans }');
  const pack = isPack ? (data as Pack) : null;
  const examples = pack !== null ? packExamples(pack) : validateExamples(data as readonly SlotExample[]);

  const seed = options?.seed ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.seed;
  checkOption(Number.isInteger(seed), fn, 'seed', seed, 'an integer');
  const epochs = options?.epochs ?? (examples.length < 2000 ? 12 : 8);
  checkOption(Number.isInteger(epochs) && epochs >= 1 && epochs <= 100, fn, 'epochs', epochs, 'an integer from 1 to 100');
  const minCount = options?.minCount ?? (examples.length < 5000 ? 1 : 2);
  checkOption(Number.isInteger(minCount) && minCount >= 1, fn, 'minCount', minCount, 'a positive integer');
  const algorithm = options?.algorithm ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.algorithm;
  const ensemble = options?.ensemble ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.ensemble;
  checkOption(Number.isInteger(ensemble) && ensemble >= 1 && ensemble <= 16, fn, 'ensemble', ensemble, 'an integer from 1 to 16');
  checkOption(algorithm === 'perceptron' || algorithm === 'crf', fn, 'algorithm', algorithm, '"perceptron" or "crf"');
  const dropout = options?.dropout ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.dropout;
  checkOption(typeof dropout === 'number' && Number.isFinite(dropout) && dropout >= 0 && dropout < 1, fn, 'dropout', dropout, 'a number from 0 to below 1');
  const crf: CrfOptions = { ...DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.crf, ...(options?.crf ?? {}) };
  checkOption(Number.isFinite(crf.l2) && crf.l2 >= 0 && crf.l2 < 1, fn, 'crf.l2', crf.l2, 'a number from 0 to below 1');
  checkOption(Number.isFinite(crf.rate) && crf.rate > 0, fn, 'crf.rate', crf.rate, 'a positive number');
  checkOption(Number.isFinite(crf.averageShare) && crf.averageShare >= 0 && crf.averageShare <= 1, fn, 'crf.averageShare', crf.averageShare, 'a number from 0 to 1');
  const gazetteer = options?.gazetteer ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.gazetteer;
  const typerOptions = resolveTyper(options?.typer, fn);
  const levels = options?.gazetteerLevels ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.gazetteerLevels;
  checkOption(typeof levels === 'boolean', fn, 'gazetteerLevels', levels, 'a boolean');
  checkOption(typeof gazetteer === 'boolean', fn, 'gazetteer', gazetteer, 'a boolean');
  const language = options?.language ?? pack?.language ?? 'zh';
  checkOption(language === 'zh' || language === 'en', fn, 'language', language, '"zh" or "en"');
  if (options?.language !== undefined && options.pipeline !== undefined) {
    throw new KefuError('INVALID_OPTION', `${fn}: pass either language or pipeline, not both.`, { option: 'language' });
  }
  const entities = resolveEntities(pack, examples, options?.entities, fn);
  const entityIndex = new Map(entities.map((e, k) => [e, k]));
  const scheme = options?.scheme ?? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.scheme;
  checkOption(scheme === 'bio' || scheme === 'bioes', fn, 'scheme', scheme, '"bio" or "bioes"');
  const labels = labelsOf(entities, scheme);
  const L = labels.length;
  const pipeline = options?.pipeline ?? createTextPipeline({ language, ...(pack !== null ? { dictionary: pack.dictionary } : {}) });
  checkOption(typeof pipeline === 'object' && pipeline !== null && typeof pipeline.analyze === 'function', fn, 'pipeline', pipeline, 'a TextPipeline');
  const features = resolveFeatures(options?.features, fn, pipeline.language);
  const text: SlotTaggerText = {
    language: pipeline.language,
    normalize: { ...pipeline.normalizer.options },
    dictionary: options?.pipeline !== undefined ? null : [...(pack?.dictionary ?? [])],
  };


  const extra = options?.surfaces ?? [];
  checkOption(Array.isArray(extra), fn, 'surfaces', extra, 'an array of { entity, surfaces }');
  const staticSurfaces: SurfaceList[] = [...(pack !== null ? packSurfaces(pack) : []), ...extra.map((s) => ({ entity: s.entity, surfaces: [...s.surfaces] }))];

  // Fold of each example for the gazetteer jackknife: seeded, independent of the training order.
  const order = shuffleInPlace(
    examples.map((_, i) => i),
    createRandom(seed ^ 0x5eed),
  );
  const folds = gazetteer ? DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.gazetteerFolds : 1;
  const foldOf = new Int32Array(examples.length);
  order.forEach((ex, k) => (foldOf[ex] = k % folds));
  const normalizeSurface = (s: string): string => pipeline.normalizer.normalize(s).text;
  const unitCount = (s: string): number => toAtoms(pipeline.normalizer.normalize(s)).length;
  const gazetteerLists = (skipFold: number): SurfaceList[] => {
    const byEntity = new Map<string, Set<string>>();
    examples.forEach((ex, i) => {
      if (foldOf[i] === skipFold) return;
      for (const s of ex.spans) if (entityIndex.has(s.entity)) (byEntity.get(s.entity) ?? byEntity.set(s.entity, new Set()).get(s.entity))?.add(ex.text.slice(s.start, s.end));
    });
    return [...byEntity].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([entity, set]) => ({ entity, surfaces: [...set].sort() }));
  };
  let finalSurfaces = gazetteer ? [...staticSurfaces, ...gazetteerLists(-1)] : staticSurfaces;
  let foldLists: SurfaceList[][] = gazetteer ? Array.from({ length: folds }, (_, f) => [...staticSurfaces, ...gazetteerLists(f)]) : [];
  if (gazetteer && levels) {
    const leveled = gazetteerLevels(examples, foldOf, folds, entityIndex, pipeline, buildSurfaceIndex(gazetteerLists(-1), normalizeSurface, unitCount));
    finalSurfaces = [...staticSurfaces, ...leveled(-1)];
    foldLists = Array.from({ length: folds }, (_, f) => [...staticSurfaces, ...leveled(f)]);
  }
  const finalIndex = buildSurfaceIndex(finalSurfaces, normalizeSurface, unitCount);
  const foldIndexes: SurfaceIndex[] = gazetteer ? foldLists.map((lists) => buildSurfaceIndex(lists, normalizeSurface, unitCount)) : [finalIndex];
  const featurizer = createTaggerFeaturizer(pipeline, features, finalIndex);

  // Featurise every example once; count features.
  let spans = 0;
  let unaligned = 0;
  let units = 0;
  const raw = examples.map((ex, i) => {
    const f = featurizer.featurize(ex.text, foldIndexes[foldOf[i] as number]);
    const gold = new Int32Array(f.atoms.length);
    for (const s of ex.spans) {
      const e = entityIndex.get(s.entity);
      if (e === undefined) continue;
      spans++;
      if (!assignSpan(gold, f.atoms, f.normalized.starts, f.normalized.ends, s.start, s.end, e, scheme)) unaligned++;
    }
    units += f.atoms.length;
    return { f, gold };
  });
  const counter = createFeatureCounter();
  for (const { f } of raw) for (const h of f.hashes) counter.add(h);
  const counted = counter.entries();
  const keysByRow: number[] = [];
  for (let k = 0; k < counted.keys.length; k++) if ((counted.counts[k] as number) >= minCount) keysByRow.push((counted.keys[k] as number) >>> 0);
  const rowTable = buildFeatureTable(keysByRow);
  const prepared: PreparedExample[] = raw.map(({ f, gold }) => {
    const n = f.atoms.length;
    const rows: number[] = [];
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      for (let k = f.offsets[i] as number; k < (f.offsets[i + 1] as number); k++) {
        const r = lookupFeature(rowTable, f.hashes[k] as number);
        if (r >= 0) rows.push(r);
      }
      offsets[i + 1] = rows.length;
    }
    return { rows: Int32Array.from(rows), offsets, gold, n };
  });

  const R = keysByRow.length;
  const T = (L + 1) * L;
  const learnOne = (s: number): ReturnType<typeof learnPerceptron> => {
    const learnInput = { examples: prepared, rows: R, labels: L, epochs, seed: s, scheme, dropout };
    return algorithm === 'crf' ? learnCrf(learnInput, crf) : learnPerceptron(learnInput);
  };
  const learned = learnOne(seed);
  // Members after the first use seeds derived from the seed; their weights are averaged, so scores (and the span
  // confidences computed from them) keep the scale of a single model.
  if (ensemble > 1) {
    for (let k = 1; k < ensemble; k++) {
      const member = learnOne((seed + Math.imul(k, 0x9e3779b1)) | 0);
      for (let j = 0; j < learned.weights.length; j++) learned.weights[j] = (learned.weights[j] as number) + (member.weights[j] as number);
      for (let j = 0; j < learned.transitions.length; j++) learned.transitions[j] = (learned.transitions[j] as number) + (member.transitions[j] as number);
    }
    for (let j = 0; j < learned.weights.length; j++) learned.weights[j] = (learned.weights[j] as number) / ensemble;
    for (let j = 0; j < learned.transitions.length; j++) learned.transitions[j] = (learned.transitions[j] as number) / ensemble;
  }
  const mask = transitionMask(L, scheme);
  const preds = predecessorsOf(mask, L);
  let maxN = 1;
  for (const p of prepared) maxN = Math.max(maxN, p.n);
  const emit = new Float64Array(maxN * L);
  const pred = new Int32Array(maxN);
  const scratch = { score: new Float64Array(maxN * L), back: new Int32Array(maxN * L) };

  // Quantise: the saved model is exactly the model measured below.
  const avg = learned.weights;
  const tavg = learned.transitions;
  let maxAbs = 0;
  for (let k = 0; k < R * L; k++) maxAbs = Math.max(maxAbs, Math.abs(avg[k] as number));
  for (let k = 0; k < T; k++) maxAbs = Math.max(maxAbs, Math.abs(tavg[k] as number));
  const scale = maxAbs > 0 ? maxAbs / QUANT : 1;
  const qw = new Float32Array(R * L);
  const { keys, rowStarts, cols, values } = sparseRows(keysByRow, avg, L, scale, qw);
  const transitions = Array.from(tavg, (v) => Math.round(v / scale));

  // Training-set unit accuracy of the quantised model (weights in units of `scale`, so the argmax is unchanged).
  const qt = Float64Array.from(transitions);
  let correct = 0;
  for (const p of prepared) {
    if (p.n === 0) continue;
    scoreEmissions(p, qw, L, emit);
    viterbi(emit, p.n, L, qt, mask, preds, pred, scratch);
    for (let i = 0; i < p.n; i++) if (pred[i] === p.gold[i]) correct++;
  }

  // The span typer learns from the annotated spans and from unannotated occurrences of annotated surfaces ("none").
  let typer: SpanTyperModel | null = null;
  if (typerOptions !== null) {
    const known = buildSurfaceIndex(gazetteerLists(-1), normalizeSurface, unitCount);
    const typerExamples: TyperExample[] = [];
    for (const { f, gold } of raw) {
      const n = f.atoms.length;
      for (const s of spansOfLabels(gold, n, scheme)) typerExamples.push({ f, span: { from: s.from, to: s.to, cls: s.entity } });
      const taken = new Set<number>();
      for (const m of matchSurfaces(known, f.normalized.text, f.atoms)) {
        const key = m.from * (n + 1) + m.to;
        if (taken.has(key) || f.normalized.text.slice((f.atoms[m.from] as Atom).start, (f.atoms[m.to - 1] as Atom).end).length < 2) continue;
        let free = true;
        for (let k = m.from; k < m.to && free; k++) free = gold[k] === 0;
        if (!free) continue;
        taken.add(key);
        typerExamples.push({ f, span: { from: m.from, to: m.to, cls: entities.length } });
      }
    }
    typer = learnSpanTyper(typerExamples, entities.length, typerOptions, seed);
  }

  return {
    format: SLOT_TAGGER_FORMAT,
    formatVersion: typer !== null ? 3 : features.lexicon === true ? 2 : 1,
    tokenizer: pipeline.tokenizer.id,
    text,
    features,
    entities,
    ...(scheme === 'bioes' ? { scheme } : {}),
    labels,
    surfaces: finalSurfaces,
    scale,
    keys,
    rowStarts,
    cols,
    values,
    transitions,
    ...(typer !== null ? { typer } : {}),
    stats: {
      examples: examples.length,
      units,
      spans,
      unalignedSpans: unaligned,
      epochs,
      seed,
      minCount,
      ...(ensemble > 1 ? { ensemble } : {}),
      ...(algorithm === 'perceptron' && dropout > 0 ? { dropout } : {}),
      trainUnitAccuracy: units > 0 ? Math.round((correct / units) * 1e4) / 1e4 : 0,
    },
  };
}

/**
 * Labels the units a span covers (B then I; BIOES: B, I…, E, or S for one unit). Returns false, leaving the labels as they were, when an edge of the
 * span falls inside a unit, it covers no unit, or it overlaps a span labelled before.
 */
function assignSpan(gold: Int32Array, atoms: readonly Atom[], starts: Uint32Array, ends: Uint32Array, start: number, end: number, entity: number, scheme: LabelScheme): boolean {
  let first = -1;
  let last = -1;
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i] as Atom;
    const os = starts[a.start] as number;
    const oe = ends[a.end - 1] as number;
    if (oe <= start || os >= end) continue;
    if (os < start || oe > end) return false;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return false;
  for (let i = first; i <= last; i++) if (gold[i] !== 0) return false;
  for (let i = first; i <= last; i++) gold[i] = labelOf(spanRole(i, first, last + 1, scheme), entity, scheme);
  return true;
}

function packExamples(pack: Pack): SlotExample[] {
  checkOption(Array.isArray(pack.intents) && Array.isArray(pack.entities), 'trainSlotTagger', 'data', pack, 'a Pack from loadPack()');
  return [...pack.intents.flatMap((intent) => intent.examples), ...(pack.outOfScope ?? [])];
}

function packSurfaces(pack: Pack): SurfaceList[] {
  const out: SurfaceList[] = [];
  for (const e of pack.entities) {
    if (e.type === 'dictionary') out.push({ entity: e.name, surfaces: e.values.flatMap((v) => [v.value, ...v.synonyms]) });
    else if (e.type === 'lookup') out.push({ entity: e.name, surfaces: [...e.values] });
  }
  return out;
}

function validateExamples(rows: readonly SlotExample[]): SlotExample[] {
  const issues: string[] = [];
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.text !== 'string' || !Array.isArray(r.spans)) {
      issues.push(`[${i}]: expected { text: string, spans: [] }, got ${describe(r)}`);
      return;
    }
    r.spans.forEach((s, k) => {
      if (!isLabelledSpan(s, r.text.length)) issues.push(`[${i}].spans[${k}]: expected { entity, start, end } with 0 ≤ start < end ≤ text.length (${r.text.length}), got ${JSON.stringify(s)}`);
    });
  });
  if (issues.length > 0) {
    throw new KefuError(
      'TRAINING_DATA_INVALID',
      `trainSlotTagger: ${issues.length} malformed example(s): ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}.`,
      { issues },
    );
  }
  return [...rows];
}

function resolveEntities(pack: Pack | null, examples: readonly SlotExample[], given: readonly string[] | undefined, fn: string): string[] {
  if (given !== undefined) {
    checkOption(Array.isArray(given) && given.length > 0 && given.every((e) => typeof e === 'string' && e !== ''), fn, 'entities', given, 'a non-empty array of entity names');
  }
  const annotated = new Set(examples.flatMap((ex) => ex.spans.map((s) => s.entity)));
  // A pack's learned entities that no example annotates yet are left out (there is nothing to learn them from).
  const wanted = given ?? (pack !== null ? pack.entities.filter((e) => e.type === 'learned' && annotated.has(e.name)).map((e) => e.name) : [...annotated].sort());
  const entities = [...new Set(wanted)];
  const missing = entities.filter((e) => !annotated.has(e));
  if (entities.length === 0 || missing.length > 0) {
    const issues =
      entities.length === 0
        ? [pack !== null ? 'the pack declares no entity of type "learned" with annotated examples' : 'no example has an annotated span']
        : missing.map((e) => `entity "${e}" has no annotated span in the training examples`);
    throw new KefuError(
      'TRAINING_DATA_INVALID',
      `trainSlotTagger: nothing to learn: ${issues.join('; ')}. Annotate examples as "[surface](entity)" and declare the entity with type: learned.`,
      { issues },
    );
  }
  return entities;
}

function resolveFeatures(given: Partial<TaggerFeatureConfig> | undefined, fn: string, language: Lang): TaggerFeatureConfig {
  assertOptions(given, fn);
  const f = { ...DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.features, ...(given ?? {}) };
  checkOption(Number.isInteger(f.window) && f.window >= 1 && f.window <= 3, fn, 'features.window', f.window, '1, 2 or 3');
  checkOption(typeof f.words === 'boolean', fn, 'features.words', f.words, 'a boolean');
  checkOption(typeof f.affixes === 'boolean', fn, 'features.affixes', f.affixes, 'a boolean');
  checkOption(typeof f.sentence === 'boolean', fn, 'features.sentence', f.sentence, 'a boolean');
  const context = f.context ?? false;
  const longest = f.longest ?? false;
  checkOption(typeof context === 'boolean', fn, 'features.context', context, 'a boolean');
  checkOption(typeof longest === 'boolean', fn, 'features.longest', longest, 'a boolean');
  const lexicon = f.lexicon ?? language === 'zh';
  checkOption(typeof lexicon === 'boolean', fn, 'features.lexicon', lexicon, 'a boolean');
  return { window: f.window, words: f.words, affixes: f.affixes, sentence: f.sentence, context, longest, ...(lexicon ? { lexicon } : {}) };
}

function resolveTyper(given: boolean | Partial<SpanTyperOptions> | undefined, fn: string): SpanTyperOptions | null {
  if (given === false) return null;
  checkOption(given === undefined || given === true || (typeof given === 'object' && given !== null && !Array.isArray(given)), fn, 'typer', given, 'a boolean or { epochs, weight, ensemble }');
  const t = { ...DEFAULT_TRAIN_SLOT_TAGGER_OPTIONS.typer, ...(typeof given === 'object' ? given : {}) };
  checkOption(Number.isInteger(t.epochs) && t.epochs >= 1 && t.epochs <= 100, fn, 'typer.epochs', t.epochs, 'an integer from 1 to 100');
  checkOption(typeof t.weight === 'number' && Number.isFinite(t.weight) && t.weight >= 0, fn, 'typer.weight', t.weight, 'a finite number ≥ 0');
  checkOption(Number.isInteger(t.ensemble) && t.ensemble >= 1 && t.ensemble <= 16, fn, 'typer.ensemble', t.ensemble, 'an integer from 1 to 16');
  return { epochs: t.epochs, weight: t.weight, ensemble: t.ensemble };
}

/** Reliability level of a surface annotated `annotated` times among `occurrences` places it occurs. */
function levelOf(annotated: number, occurrences: number): number {
  const r = annotated / Math.max(annotated, occurrences, 1);
  return r >= 0.8 ? 3 : r >= 0.5 ? 2 : r >= 0.2 ? 1 : 0;
}

/**
 * Gazetteer lists graded by reliability, per jackknife fold (`skipFold` −1 = all examples): counts, outside the
 * fold, how often each training surface is annotated as its entity and how often it occurs at unit boundaries.
 */
function gazetteerLevels(
  examples: readonly SlotExample[],
  foldOf: Int32Array,
  folds: number,
  entityIndex: ReadonlyMap<string, number>,
  pipeline: TextPipeline,
  index: SurfaceIndex,
): (skipFold: number) => SurfaceList[] {
  // Counts per fold, and their totals in slot `folds`.
  const occurrences = new Map<string, Int32Array>();
  const annotated = new Map<string, Int32Array>();
  const bump = (m: Map<string, Int32Array>, key: string, fold: number): void => {
    let c = m.get(key);
    if (c === undefined) m.set(key, (c = new Int32Array(folds + 1)));
    c[fold] = (c[fold] as number) + 1;
    c[folds] = (c[folds] as number) + 1;
  };
  examples.forEach((ex, i) => {
    const fold = foldOf[i] as number;
    const normalized = pipeline.normalizer.normalize(ex.text);
    const atoms = toAtoms(normalized);
    const seen = new Set<string>();
    for (const m of matchSurfaces(index, normalized.text, atoms)) {
      const key = normalized.text.slice((atoms[m.from] as Atom).start, (atoms[m.to - 1] as Atom).end);
      const spot = `${m.from}:${key}`;
      if (seen.has(spot)) continue;
      seen.add(spot);
      bump(occurrences, key, fold);
    }
    for (const s of ex.spans) {
      if (!entityIndex.has(s.entity)) continue;
      bump(annotated, `${s.entity}\u0000${pipeline.normalizer.normalize(ex.text.slice(s.start, s.end)).text}`, fold);
    }
  });
  return (skipFold: number): SurfaceList[] => {
    const lists = new Map<string, string[]>();
    for (const [k, c] of annotated) {
      const a = (c[folds] as number) - (skipFold >= 0 ? (c[skipFold] as number) : 0);
      if (a <= 0) continue;
      const cut = k.indexOf('\u0000');
      const entity = k.slice(0, cut);
      const surface = k.slice(cut + 1);
      const o = occurrences.get(surface);
      const occ = o === undefined ? a : (o[folds] as number) - (skipFold >= 0 ? (o[skipFold] as number) : 0);
      const listKey = `${entity}\u0000${levelOf(a, occ)}`;
      (lists.get(listKey) ?? lists.set(listKey, []).get(listKey))?.push(surface);
    }
    return [...lists]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([k, surfaces]) => {
        const cut = k.indexOf('\u0000');
        return { entity: k.slice(0, cut), surfaces: surfaces.sort(), level: Number(k.slice(cut + 1)) };
      });
  };
}
