import { KefuError } from '../../errors.js';
import { parseArtifactJson } from '../../internal/json.js';
import { describe } from '../../internal/assert.js';
import type { DictionaryEntry, NormalizeOptions } from '../../text/index.js';
import type { Lang } from '../../types.js';
import type { TaggerFeatureConfig } from './features.js';
import type { SurfaceList } from './surfaces.js';
import type { SpanTyperModel } from './typer.js';
import type { LabelScheme } from './viterbi.js';

/** The `format` tag of a saved slot tagger. */
export const SLOT_TAGGER_FORMAT = 'kefu/slot-tagger';
/**
 * The newest `formatVersion` this release writes: 3 for models with a span typer, 2 for models that use the `lexicon`
 * feature family, 1 for the others (a reader that cannot use a part of the model must refuse it rather than tag
 * worse). It reads all three.
 */
export const SLOT_TAGGER_FORMAT_VERSION = 3;
/** Every `formatVersion` this release reads. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2, 3];

/** The text pipeline a tagger was trained with; the tagger rebuilds it from this when none is passed. */
export interface SlotTaggerText {
  readonly language: Lang;
  readonly normalize: Readonly<Required<NormalizeOptions>>;
  /** The jieba user dictionary, or null when training used a caller-supplied pipeline. */
  readonly dictionary: readonly DictionaryEntry[] | null;
}

/** Figures recorded while training. */
export interface SlotTaggerStats {
  readonly examples: number;
  /** Tagging units (characters of Chinese, words of English) over all examples. */
  readonly units: number;
  /** Annotated spans of the learned entities. */
  readonly spans: number;
  /** Spans whose edges fall inside a unit (e.g. half of an English word): they cannot be learned and are left out. */
  readonly unalignedSpans: number;
  readonly epochs: number;
  readonly seed: number;
  readonly minCount: number;
  /** Models averaged (absent: one). */
  readonly ensemble?: number;
  /** Dropout share of the perceptron (absent: none). */
  readonly dropout?: number;
  /** Share of training units the final averaged model tags correctly. */
  readonly trainUnitAccuracy: number;
}

/**
 * A trained slot tagger as plain JSON: a first-order linear-chain model over BIOES (or BIO) labels, learned by
 * averaged structured perceptrons. Feature weights are stored sparsely by feature hash (`keys`, strictly increasing) in CSR
 * form: the weights of `keys[k]` are `values[rowStarts[k] .. rowStarts[k + 1])` for labels `cols[…]`, each
 * multiplied by `scale`. `transitions` is `(labels.length + 1) × labels.length`, the last row holding start scores.
 */
export interface SlotTaggerModel {
  readonly format: typeof SLOT_TAGGER_FORMAT;
  readonly formatVersion: 1 | 2 | 3;
  readonly tokenizer: string;
  readonly text: SlotTaggerText;
  readonly features: TaggerFeatureConfig;
  /** The entities the tagger finds. */
  readonly entities: readonly string[];
  /**
   * How spans are labelled: `'bioes'` (begin, inside, end, single) or BIO when absent (models saved before the
   * field existed are BIO).
   */
  readonly scheme?: 'bioes';
  /** `O`, then `B-<entity>` and `I-<entity>` for each entity in order (BIOES: `B`, `I`, `E`, `S`). */
  readonly labels: readonly string[];
  /** Dictionary surfaces used as features (pack dictionaries, lookups and the training gazetteer). */
  readonly surfaces: readonly SurfaceList[];
  readonly scale: number;
  readonly keys: readonly number[];
  readonly rowStarts: readonly number[];
  readonly cols: readonly number[];
  readonly values: readonly number[];
  readonly transitions: readonly number[];
  /** The span typer that re-reads each span the chain model finds (absent: none; models before formatVersion 3). */
  readonly typer?: SpanTyperModel;
  readonly stats: SlotTaggerStats;
}

/**
 * Serialises a slot tagger to JSON text; the same model always gives the same bytes.
 *
 * @example
 * ```ts
 * await writeFile('slot-tagger.json', serializeSlotTagger(trainSlotTagger(pack)));
 * ```
 */
export function serializeSlotTagger(model: SlotTaggerModel): string {
  validateSlotTagger(model);
  return JSON.stringify(model);
}

/**
 * Parses and validates a saved slot tagger. Throws `FORMAT_VERSION_UNSUPPORTED` for another format or version and
 * `MODEL_INVALID` for malformed content.
 *
 * @example
 * ```ts
 * const tagger = parseSlotTagger(await readFile('slot-tagger.json', 'utf8'));
 * ```
 */
export function parseSlotTagger(json: string): SlotTaggerModel {
  const value = parseArtifactJson(json, 'parseSlotTagger', 'The slot tagger', 'serializeSlotTagger');
  validateSlotTagger(value);
  return value;
}

/** Labels of a tagger that finds `entities`: `O`, then `B-e`, `I-e` per entity (BIOES: also `E-e`, `S-e`). */
export function labelsOf(entities: readonly string[], scheme: LabelScheme = 'bio'): string[] {
  return ['O', ...entities.flatMap((e) => (scheme === 'bioes' ? [`B-${e}`, `I-${e}`, `E-${e}`, `S-${e}`] : [`B-${e}`, `I-${e}`]))];
}

/** Throws unless `value` is a well-formed {@link SlotTaggerModel}; lists every problem found in `details.issues`. */
export function validateSlotTagger(value: unknown): asserts value is SlotTaggerModel {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KefuError('MODEL_INVALID', `A slot tagger must be an object, got ${describe(value)}. Load it with parseSlotTagger().`, {});
  }
  const m = value as Record<string, unknown>;
  if (m.format !== SLOT_TAGGER_FORMAT || !READABLE_VERSIONS.includes(m.formatVersion)) {
    throw new KefuError(
      'FORMAT_VERSION_UNSUPPORTED',
      `Unsupported slot tagger format ${describe(m.format)} version ${describe(m.formatVersion)}; this kefu reads ` +
        `"${SLOT_TAGGER_FORMAT}" versions ${READABLE_VERSIONS.join(' and ')}. Retrain the tagger with this kefu version.`,
      { format: m.format, formatVersion: m.formatVersion, supported: [...READABLE_VERSIONS] },
    );
  }
  const issues: string[] = [];
  const need = (ok: boolean, what: string): boolean => {
    if (!ok) issues.push(what);
    return ok;
  };
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const isInt = (x: unknown): x is number => Number.isInteger(x);
  const isStrArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  need(typeof m.tokenizer === 'string' && m.tokenizer !== '', 'tokenizer must be a non-empty string');
  const text = m.text as Record<string, unknown> | null | undefined;
  if (need(typeof text === 'object' && text !== null, 'text must be an object')) {
    need(text?.language === 'zh' || text?.language === 'en', 'text.language must be "zh" or "en"');
    need(typeof text?.normalize === 'object' && text.normalize !== null, 'text.normalize must be an object');
    need(text?.dictionary === null || Array.isArray(text?.dictionary), 'text.dictionary must be an array or null');
  }
  const f = m.features as Record<string, unknown> | null | undefined;
  if (need(typeof f === 'object' && f !== null, 'features must be an object')) {
    need(isInt(f?.window) && (f.window as number) >= 1 && (f.window as number) <= 3, 'features.window must be 1, 2 or 3');
    need(typeof f?.words === 'boolean' && typeof f.affixes === 'boolean' && typeof f.sentence === 'boolean', 'features.words, features.affixes and features.sentence must be booleans');
    need(f?.context === undefined || typeof f.context === 'boolean', 'features.context must be a boolean when present');
    need(f?.longest === undefined || typeof f.longest === 'boolean', 'features.longest must be a boolean when present');
    need(f?.lexicon === undefined || typeof f.lexicon === 'boolean', 'features.lexicon must be a boolean when present');
    need(f?.lexicon !== true || m.formatVersion === 2 || m.formatVersion === 3, 'features.lexicon needs formatVersion 2 or 3');
  }
  need(m.scheme === undefined || m.scheme === 'bioes', 'scheme must be "bioes" when present');
  const entitiesOk = need(isStrArray(m.entities) && m.entities.length > 0 && new Set(m.entities).size === m.entities.length, 'entities must be distinct strings, at least one');
  let labels = -1;
  if (need(isStrArray(m.labels), 'labels must be an array of strings') && entitiesOk) {
    const expected = labelsOf(m.entities as string[], m.scheme === 'bioes' ? 'bioes' : 'bio');
    if (need(JSON.stringify(expected) === JSON.stringify(m.labels), 'labels must be O, then B-<entity> and I-<entity> (with scheme "bioes" also E-<entity> and S-<entity>) for each entity')) labels = expected.length;
  }
  need(
    Array.isArray(m.surfaces) &&
      (m.surfaces as unknown[]).every((s) => {
        if (typeof s !== 'object' || s === null) return false;
        const r = s as Record<string, unknown>;
        return typeof r.entity === 'string' && isStrArray(r.surfaces) && (r.level === undefined || (isInt(r.level) && r.level >= 0 && r.level <= 3));
      }),
    'surfaces must be { entity, surfaces: string[], level?: 0–3 } objects',
  );
  checkSparse(m, '', labels, need);
  if (labels > 0) {
    need(
      Array.isArray(m.transitions) && m.transitions.length === (labels + 1) * labels && m.transitions.every(isNum),
      `transitions must be ${(labels + 1) * labels} finite numbers ((labels + 1) × labels)`,
    );
  }
  if (m.typer !== undefined) {
    const t = m.typer as Record<string, unknown> | null;
    if (need(typeof t === 'object' && t !== null && !Array.isArray(t), 'typer must be an object when present')) {
      need(m.formatVersion === 3, 'typer needs formatVersion 3');
      need(isNum(t?.weight) && (t.weight as number) >= 0, 'typer.weight must be a finite number ≥ 0');
      need(typeof t?.stats === 'object' && t.stats !== null, 'typer.stats must be an object');
      checkSparse(t as Record<string, unknown>, 'typer.', entitiesOk ? (m.entities as string[]).length + 1 : -1, need);
    }
  }
  need(typeof m.stats === 'object' && m.stats !== null, 'stats must be an object');
  if (issues.length > 0) {
    throw new KefuError(
      'MODEL_INVALID',
      `The slot tagger is malformed: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}. Retrain it or load the file written by serializeSlotTagger().`,
      { issues },
    );
  }
}

/** Checks the sparse weights (`scale`, `keys`, `rowStarts`, `cols`, `values`) of `m`; `width` is the column count (−1: unknown). */
function checkSparse(m: Record<string, unknown>, prefix: string, width: number, need: (ok: boolean, what: string) => boolean): void {
  const isInt = (x: unknown): x is number => Number.isInteger(x);
  need(typeof m.scale === 'number' && Number.isFinite(m.scale) && m.scale > 0, `${prefix}scale must be a positive number`);
  const keys = m.keys;
  const keysOk = need(Array.isArray(keys) && increasingUint32(keys), `${prefix}keys must be strictly increasing unsigned 32-bit integers`);
  const starts = m.rowStarts;
  const cols = m.cols;
  const vals = m.values;
  const colsOk = need(Array.isArray(cols) && cols.every((c) => isInt(c) && c >= 0 && (width < 0 || c < width)), `${prefix}cols must be ${prefix === '' ? 'label' : 'class'} indices below ${width}`);
  const valsOk = need(Array.isArray(vals) && vals.every((v) => typeof v === 'number' && Number.isFinite(v)), `${prefix}values must be finite numbers`);
  if (colsOk && valsOk) need((cols as unknown[]).length === (vals as unknown[]).length, `${prefix}cols and ${prefix}values must have the same length`);
  if (need(Array.isArray(starts) && starts.every(isInt), `${prefix}rowStarts must be integers`) && keysOk && colsOk) {
    const s = starts as number[];
    const ok =
      s.length === (keys as unknown[]).length + 1 &&
      s[0] === 0 &&
      s[s.length - 1] === (cols as unknown[]).length &&
      s.every((x, i) => i === 0 || x >= (s[i - 1] as number));
    need(ok, `${prefix}rowStarts must be ${prefix}keys.length + 1 non-decreasing offsets from 0 to ${prefix}cols.length`);
  }
}

function increasingUint32(keys: readonly unknown[]): boolean {
  let prev = -1;
  for (const k of keys) {
    if (!Number.isInteger(k) || (k as number) <= prev || (k as number) > 0xffffffff) return false;
    prev = k as number;
  }
  return true;
}
