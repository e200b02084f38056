import { assertOptions, assertText, checkOption } from '../../internal/assert.js';
import { pipelineForModel, toOriginalSpan, type Analysis, type TextPipeline } from '../../text/index.js';
import type { Entity } from '../types.js';
import { toAtoms, type Atom } from './atoms.js';
import { createTaggerFeaturizer, type FeaturizedText, type TaggerFeaturizer } from './features.js';
import { validateSlotTagger, type SlotTaggerModel } from './model.js';
import { buildSurfaceIndex } from './surfaces.js';
import { buildFeatureTable, lookupFeature } from './table.js';
import { createSpanTyperScorer, relabelledScore, spanRole, type SpanTyperScorer } from './typer.js';
import { labelOf, pathConfidence, predecessorsOf, spansOfLabels, transitionMask, viterbi } from './viterbi.js';

/** Options of {@link createSlotTagger}. */
export interface CreateSlotTaggerOptions {
  /** The pipeline the tagger was trained with. Default: rebuilt from `model.text`. */
  readonly pipeline?: TextPipeline;
}

/** A trained tagger bound to its pipeline and lookup tables; create once, tag many messages. */
export interface SlotTagger {
  readonly model: SlotTaggerModel;
  readonly pipeline: TextPipeline;
  /**
   * The learned entities in `text`, in order, non-overlapping, spans into the original text. `value` is the
   * normalised span text; `confidence` is the mean, over the span's units, of the
   * local softmax probability of the chosen label (a ranking score, not a calibrated probability).
   */
  tag(text: string): Entity[];
  /** The same for a message already analysed by this tagger's `pipeline` (the extractor analyses once). */
  tagAnalysis(analysis: Analysis): Entity[];
}

/** Messages longer than this many units are tagged in windows of this size (long pastes stay linear-time). */
const MAX_UNITS = 512;

/**
 * Prepares a trained slot tagger for decoding: validates the model, rebuilds (or checks) its text pipeline and
 * builds the feature table.
 *
 * @example
 * ```ts
 * const tagger = createSlotTagger(trainSlotTagger(pack));
 * tagger.tag('帮我改到杭州市西湖区文三路478号'); // → [{ entity: 'address', text: '杭州市西湖区文三路478号', … }]
 * ```
 */
export function createSlotTagger(model: SlotTaggerModel, options?: CreateSlotTaggerOptions): SlotTagger {
  assertOptions(options, 'createSlotTagger');
  validateSlotTagger(model);
  const pipeline = pipelineForModel(model, options?.pipeline, 'The slot tagger', 'createSlotTagger');
  const L = model.labels.length;
  const table = buildFeatureTable(model.keys);
  const rowStarts = Int32Array.from(model.rowStarts);
  const cols = Int32Array.from(model.cols);
  const values = Float64Array.from(model.values, (v) => v * model.scale);
  const trans = Float64Array.from(model.transitions, (v) => v * model.scale);
  const scheme = model.scheme ?? 'bio';
  const mask = transitionMask(L, scheme);
  const preds = predecessorsOf(mask, L);
  const surfaces = buildSurfaceIndex(
    model.surfaces,
    (s) => pipeline.normalizer.normalize(s).text,
    (s) => toAtoms(pipeline.normalizer.normalize(s)).length,
  );
  const featurizer: TaggerFeaturizer = createTaggerFeaturizer(pipeline, model.features, surfaces);
  let emit = new Float64Array(64 * L);
  let path = new Int32Array(64);
  let scratch = { score: new Float64Array(64 * L), back: new Int32Array(64 * L) };
  const E = model.entities.length;
  const typer = model.typer === undefined ? null : createSpanTyperScorer(model.typer, E + 1);
  const typeScores = new Float64Array(E + 1);

  const decode = (f: FeaturizedText, from: number, to: number): { labels: Int32Array; marginals: Float64Array | null } => {
    const { hashes, offsets } = f;
    const n = to - from;
    if (path.length < n) {
      emit = new Float64Array(n * L);
      path = new Int32Array(n);
      scratch = { score: new Float64Array(n * L), back: new Int32Array(n * L) };
    }
    emit.fill(0, 0, n * L);
    for (let i = 0; i < n; i++) {
      const row = i * L;
      for (let k = offsets[from + i] as number; k < (offsets[from + i + 1] as number); k++) {
        const r = lookupFeature(table, hashes[k] as number);
        if (r < 0) continue;
        for (let j = rowStarts[r] as number; j < (rowStarts[r + 1] as number); j++) {
          const y = row + (cols[j] as number);
          emit[y] = (emit[y] as number) + (values[j] as number);
        }
      }
    }
    viterbi(emit, n, L, trans, mask, preds, path, scratch);
    const labels = path.slice(0, n);
    let any = false;
    for (let i = 0; i < n; i++) if (labels[i] !== 0) any = true;
    // The typer only re-reads spans, so a path without one (most messages) skips it; it may drop every span.
    if (any && typer !== null) {
      retype(f, from, labels, n);
      any = labels.some((y) => y !== 0);
    }
    // Marginals only where something was found: most messages have no free-text slot.
    return { labels, marginals: any ? pathConfidence(emit.subarray(0, n * L), n, L, trans, mask, labels) : null };
  };

  return {
    model,
    pipeline,
    tag(text: string): Entity[] {
      assertText(text, 'tag(text)');
      return decodeAll(featurizer.featurize(text));
    },
    tagAnalysis(analysis: Analysis): Entity[] {
      checkOption(typeof analysis === 'object' && analysis !== null && typeof analysis.normalized?.text === 'string' && Array.isArray(analysis.tokens), 'tagAnalysis', 'analysis', analysis, 'an Analysis from pipeline.analyze(text)');
      return decodeAll(featurizer.featurizeAnalysis(analysis.normalized, analysis.tokens));
    },
  };

  /**
   * Re-reads each span of the best path with the typer: the tagger's score for relabelling the span as each entity
   * (or as plain text) plus the typer's score for it; the best total wins, and `labels` is rewritten in place.
   */
  function retype(f: FeaturizedText, from: number, labels: Int32Array, n: number): void {
    (typer as SpanTyperScorer).window(f, from, from + n);
    for (const span of spansOfLabels(labels, n, scheme)) {
      (typer as SpanTyperScorer).score(f, from + span.from, from + span.to, typeScores);
      let best = span.entity;
      let bestScore = -Infinity;
      for (let c = 0; c <= E; c++) {
        const e = c === E ? -1 : c;
        const total = relabelledScore(emit, trans, L, labels, n, span.from, span.to, e, scheme) + (typeScores[c] as number);
        if (total > bestScore) {
          bestScore = total;
          best = e;
        }
      }
      if (best === span.entity) continue;
      for (let k = span.from; k < span.to; k++) labels[k] = best < 0 ? 0 : labelOf(spanRole(k, span.from, span.to, scheme), best, scheme);
    }
  }

  function decodeAll(f: FeaturizedText): Entity[] {
    const out: Entity[] = [];
    const n = f.atoms.length;
    for (let from = 0; from < n; from += MAX_UNITS) {
      const to = Math.min(n, from + MAX_UNITS);
      const { labels, marginals } = decode(f, from, to);
      if (marginals === null) continue;
      for (const { from: i, to: j, entity: e } of spansOfLabels(labels, labels.length, scheme)) {
        const first = f.atoms[from + i] as Atom;
        const last = f.atoms[from + j - 1] as Atom;
        const span = toOriginalSpan(f.normalized, first.start, last.end);
        let conf = 0;
        for (let k = i; k < j; k++) conf += marginals[k] as number;
        if (span.text !== '') {
          out.push({
            entity: model.entities[e] as string,
            value: f.normalized.text.slice(first.start, last.end),
            start: span.start,
            end: span.end,
            text: span.text,
            source: 'learned',
            confidence: Math.round((conf / (j - i)) * 1e4) / 1e4,
          });
        }
      }
    }
    return out;
  }
}

