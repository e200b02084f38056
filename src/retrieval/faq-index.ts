import { KefuError } from '../errors.js';
import { assertOptions, checkOption, describe } from '../internal/assert.js';
import { checkRegexSafety } from '../internal/regex-safety.js';
import { createTextPipeline, DEFAULT_NORMALIZE_OPTIONS, type TextPipeline } from '../text/index.js';
import { createFaqAnalyzer, type FaqTerms } from './analyze.js';
import { bm25Add, bm25Remove, createBm25, createScratch, type Bm25 } from './bm25.js';
import { DEFAULT_FAQ_CLASSIFIER_CONFIG, refreshClassifier } from './classifier.js';
import type { FaqIndexState, Slot } from './state.js';
import type {
  CreateFaqIndexOptions,
  FaqClassifierConfig,
  FaqEmbedderInfo,
  FaqEntryInput,
  FaqIndex,
  FaqIndexConfig,
  FaqRecord,
  FaqThresholds,
  FaqWeights,
} from './types.js';

/**
 * Default fused-score weights, chosen on the bundled pack by leave-one-out over its similar questions
 * (`bench/retrieval-side-by-side.ts` prints the comparison).
 */
export const DEFAULT_FAQ_WEIGHTS: FaqWeights = { words: 0.4, chars: 0.4, pinyin: 0.2, vector: 0.5 };

/**
 * Thresholds on the fused (classifier + lexical) score used until `tuneFaqThresholds` is run: tuned on the bundled
 * pack for an index built by `createFaqIndex` (a classifier without out-of-scope examples, so higher than what
 * `createPackFaqIndex` finds with them), cross-validated over its similar questions, its out-of-scope list as
 * negatives. A start for other packs; tune your own.
 */
export const DEFAULT_FAQ_THRESHOLDS: FaqThresholds = { answer: 0.68, margin: 0.15, suggest: 0.51 };

/** The same for a lexical-only index (`classifier: false`), on the lexical score. */
export const DEFAULT_LEXICAL_FAQ_THRESHOLDS: FaqThresholds = { answer: 0.51, margin: 0.15, suggest: 0.44 };

/** Defaults of the remaining {@link CreateFaqIndexOptions}. */
export const DEFAULT_FAQ_INDEX_OPTIONS = { language: 'zh', fusion: 'weighted', k1: 1.2, b: 0.75, alpha: 0.6, entryWeight: 0.7, indexAnswers: true } as const;

/** Lexical feature families, in the order their postings are scored. */
export const FAMILIES = ['words', 'chars', 'pinyin'] as const;
export type Family = (typeof FAMILIES)[number];

export type { FaqClassifierState, FaqIndexState, Slot } from './state.js';

interface MutableIndex {
  kind: 'faq-index';
  config: FaqIndexConfig;
  pipeline: TextPipeline;
  thresholds: FaqThresholds;
  embedder: FaqEmbedderInfo | null;
  size: number;
  hasClassifier: boolean;
}

const STATES = new WeakMap<FaqIndex, FaqIndexState>();

/** The private state of an index made by this module; INVALID_INPUT for anything else. */
export function stateOf(index: FaqIndex, fn: string): FaqIndexState {
  const state = typeof index === 'object' && index !== null ? STATES.get(index) : undefined;
  if (!state) {
    throw new KefuError('INVALID_INPUT', `${fn}: expected a FaqIndex from createFaqIndex or loadFaqIndex, got ${describe(index)}.`, {
      got: describe(index),
    });
  }
  return state;
}

/** The mutable view of an index, for the functions of this module that change it. */
export const mutable = (index: FaqIndex): MutableIndex => index as MutableIndex;

/**
 * Builds a FAQ index over the entries' standard and similar questions: BM25 on jieba words (with the synonym
 * groups), character unigrams + bigrams and pinyin bigrams, fused into one score in [0, 1]; `exact`, `contains` and
 * `regex` entries are matched by rule first. Synchronous; add vectors later with `addFaqVectors`.
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * const index = createFaqIndex(pack.faq, { dictionary: pack.dictionary, synonyms: pack.synonyms });
 * searchFaq(index, '退货运费谁出').faq?.id; // 'return_shipping_fee'
 * ```
 */
export function createFaqIndex(entries: readonly FaqEntryInput[], options?: CreateFaqIndexOptions): FaqIndex {
  const fn = 'createFaqIndex';
  assertOptions(options, fn);
  const o = options ?? {};
  const language = o.language ?? DEFAULT_FAQ_INDEX_OPTIONS.language;
  checkOption(language === 'zh' || language === 'en', fn, 'language', language, '"zh" or "en"');
  const dictionary = o.dictionary ?? [];
  checkOption(Array.isArray(dictionary), fn, 'dictionary', dictionary, 'an array of words or { word, freq, tag }');
  const synonyms = o.synonyms ?? [];
  checkOption(
    Array.isArray(synonyms) && synonyms.every((g) => Array.isArray(g) && g.every((w) => typeof w === 'string')),
    fn,
    'synonyms',
    synonyms,
    'an array of arrays of strings',
  );
  const weights: FaqWeights = { ...DEFAULT_FAQ_WEIGHTS, ...(o.weights ?? {}) };
  for (const k of ['words', 'chars', 'pinyin', 'vector'] as const) {
    const v = weights[k];
    checkOption(typeof v === 'number' && Number.isFinite(v) && v >= 0, fn, `weights.${k}`, v, 'a finite number ≥ 0');
  }
  checkOption(weights.words + weights.chars + weights.pinyin > 0, fn, 'weights', weights, 'at least one lexical weight above 0');
  checkOption(weights.vector <= 1, fn, 'weights.vector', weights.vector, 'a number from 0 to 1');
  const fusion = o.fusion ?? DEFAULT_FAQ_INDEX_OPTIONS.fusion;
  checkOption(fusion === 'weighted' || fusion === 'rrf', fn, 'fusion', fusion, '"weighted" or "rrf"');
  const k1 = o.k1 ?? DEFAULT_FAQ_INDEX_OPTIONS.k1;
  checkOption(typeof k1 === 'number' && k1 > 0 && k1 <= 10, fn, 'k1', k1, 'a number in (0, 10]');
  const b = o.b ?? DEFAULT_FAQ_INDEX_OPTIONS.b;
  checkOption(typeof b === 'number' && b >= 0 && b <= 1, fn, 'b', b, 'a number in [0, 1]');
  const alpha = o.alpha ?? DEFAULT_FAQ_INDEX_OPTIONS.alpha;
  checkOption(typeof alpha === 'number' && alpha >= 0 && alpha <= 1, fn, 'alpha', alpha, 'a number in [0, 1]');
  const entryWeight = o.entryWeight ?? DEFAULT_FAQ_INDEX_OPTIONS.entryWeight;
  checkOption(typeof entryWeight === 'number' && entryWeight >= 0 && entryWeight <= 1, fn, 'entryWeight', entryWeight, 'a number in [0, 1]');
  const indexAnswers = o.indexAnswers ?? DEFAULT_FAQ_INDEX_OPTIONS.indexAnswers;
  checkOption(typeof indexAnswers === 'boolean', fn, 'indexAnswers', indexAnswers, 'a boolean');
  const classifier = resolveClassifier(o.classifier, fn);
  const thresholds = o.thresholds ?? (classifier.enabled ? DEFAULT_FAQ_THRESHOLDS : DEFAULT_LEXICAL_FAQ_THRESHOLDS);
  checkThresholds(thresholds, fn);
  const normalize = { ...DEFAULT_NORMALIZE_OPTIONS, ...(o.normalize ?? {}) };
  const pipeline = o.pipeline ?? createTextPipeline({ language, dictionary, normalize });
  checkOption(
    typeof pipeline === 'object' && pipeline !== null && typeof pipeline.analyze === 'function',
    fn,
    'pipeline',
    pipeline,
    'a TextPipeline from createTextPipeline()',
  );
  checkOption(Array.isArray(entries), fn, 'entries', entries, 'an array of FAQ entries { id, question, answer, … }');

  const config: FaqIndexConfig = {
    language,
    dictionary: dictionary.map((d) => (typeof d === 'string' ? d : { ...d })),
    synonyms: synonyms.map((g) => [...g]),
    normalize,
    weights,
    fusion,
    k1,
    b,
    alpha,
    entryWeight,
    indexAnswers,
    classifier,
  };
  const index: MutableIndex = { kind: 'faq-index', config, pipeline, thresholds: { ...thresholds }, embedder: null, size: 0, hasClassifier: false };
  const state: FaqIndexState = {
    analyzer: createFaqAnalyzer(pipeline, config.synonyms),
    families: FAMILIES.map(() => createBm25({ k1, b })),
    docSlot: [],
    docText: [],
    vectors: [],
    nextDoc: 0,
    entryFamilies: FAMILIES.map(() => createBm25({ k1, b })),
    entrySlot: [],
    nextEntryDoc: 0,
    entryScratch: createScratch(FAMILIES.length, 64),
    slots: new Map(),
    ruleSlots: new Set(),
    windowed: 0,
    exact: new Map(),
    scratch: createScratch(FAMILIES.length, 64),
    version: 0,
    classifier: null,
  };
  STATES.set(index as FaqIndex, state);
  addFaqEntries(index as FaqIndex, entries);
  return index as FaqIndex;
}

/** Merges and checks the `classifier` option. */
function resolveClassifier(raw: unknown, fn: string): FaqClassifierConfig {
  if (raw === undefined || raw === true) return { ...DEFAULT_FAQ_CLASSIFIER_CONFIG };
  if (raw === false) return { ...DEFAULT_FAQ_CLASSIFIER_CONFIG, enabled: false };
  checkOption(typeof raw === 'object' && raw !== null && !Array.isArray(raw), fn, 'classifier', raw, 'true, false or { enabled, weight, seed, maxEntries, negatives }');
  const c: FaqClassifierConfig = { ...DEFAULT_FAQ_CLASSIFIER_CONFIG, ...(raw as Partial<FaqClassifierConfig>) };
  checkOption(typeof c.enabled === 'boolean', fn, 'classifier.enabled', c.enabled, 'a boolean');
  checkOption(typeof c.weight === 'number' && c.weight >= 0 && c.weight <= 1, fn, 'classifier.weight', c.weight, 'a number in [0, 1]');
  checkOption(Number.isInteger(c.seed), fn, 'classifier.seed', c.seed, 'an integer');
  checkOption(Number.isInteger(c.maxEntries) && c.maxEntries >= 0, fn, 'classifier.maxEntries', c.maxEntries, 'a non-negative integer');
  checkOption(Array.isArray(c.negatives) && c.negatives.every((x) => typeof x === 'string'), fn, 'classifier.negatives', c.negatives, 'an array of strings');
  return { enabled: c.enabled, weight: c.weight, seed: c.seed, maxEntries: c.maxEntries, negatives: [...c.negatives] };
}

/** Retrains (or drops) the classifier after a change; see `refreshClassifier`. */
export function afterChange(index: FaqIndex, state: FaqIndexState): void {
  state.version++;
  refreshClassifier(index, state);
  mutable(index).hasClassifier = state.classifier !== null;
}

/** Throws INVALID_OPTION unless `t` is a valid {@link FaqThresholds}. */
export function checkThresholds(t: unknown, fn: string): asserts t is FaqThresholds {
  const th = t as Partial<FaqThresholds> | null;
  const unit = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  checkOption(typeof th === 'object' && th !== null, fn, 'thresholds', t, 'an object { answer, margin, suggest }');
  const { answer, margin, suggest } = th as FaqThresholds;
  checkOption(unit(answer), fn, 'thresholds.answer', answer, 'a number in [0, 1]');
  checkOption(unit(margin), fn, 'thresholds.margin', margin, 'a number in [0, 1]');
  checkOption(unit(suggest) && suggest <= answer, fn, 'thresholds.suggest', suggest, `a number in [0, ${answer}] (not above thresholds.answer)`);
}

/**
 * Replaces the thresholds of an index (for example with the result of `tuneFaqThresholds`).
 *
 * @example
 * ```ts
 * setFaqThresholds(index, tuneFaqThresholds(index, { negatives: pack.outOfScope.map((e) => e.text) }).thresholds);
 * ```
 */
export function setFaqThresholds(index: FaqIndex, thresholds: FaqThresholds): void {
  stateOf(index, 'setFaqThresholds');
  checkThresholds(thresholds, 'setFaqThresholds');
  mutable(index).thresholds = { answer: thresholds.answer, margin: thresholds.margin, suggest: thresholds.suggest };
}

/**
 * Checks and copies FAQ entries; every problem of every entry is reported at once (INVALID_INPUT with
 * `details.issues`). `existing` ids count as taken unless `replacing`.
 */
function toRecords(entries: readonly FaqEntryInput[], fn: string, state: FaqIndexState, replacing: boolean): FaqRecord[] {
  checkOption(Array.isArray(entries), fn, 'entries', entries, 'an array of FAQ entries { id, question, answer, … }');
  const issues: string[] = [];
  const seen = new Set<string>();
  const out: FaqRecord[] = [];
  const isStr = (v: unknown): v is string => typeof v === 'string';
  const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
  const isDay = (v: unknown): boolean => isStr(v) && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
  entries.forEach((raw, i) => {
    const at = `entries[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      issues.push(`${at}: expected an object { id, question, answer }, got ${describe(raw)}`);
      return;
    }
    const e = raw as Partial<Record<keyof FaqEntryInput, unknown>>;
    const before = issues.length;
    if (!isStr(e.id) || e.id.trim() === '') issues.push(`${at}.id: must be a non-empty string, got ${describe(e.id)}`);
    if (!isStr(e.question) || e.question.trim() === '') issues.push(`${at}.question: must be a non-empty string, got ${describe(e.question)}`);
    if (!isStr(e.answer)) issues.push(`${at}.answer: must be a string, got ${describe(e.answer)}`);
    if (e.similar !== undefined && !isStrArr(e.similar)) issues.push(`${at}.similar: must be an array of strings`);
    if (e.category !== undefined && !isStrArr(e.category)) issues.push(`${at}.category: must be an array of strings (outermost first)`);
    if (e.tags !== undefined && !isStrArr(e.tags)) issues.push(`${at}.tags: must be an array of strings`);
    if (e.patterns !== undefined && !isStrArr(e.patterns)) issues.push(`${at}.patterns: must be an array of strings`);
    if (e.enabled !== undefined && typeof e.enabled !== 'boolean') issues.push(`${at}.enabled: must be true or false, got ${describe(e.enabled)}`);
    const channels = e.channels;
    if (
      channels !== undefined &&
      (typeof channels !== 'object' || channels === null || Array.isArray(channels) || !Object.values(channels).every(isStr))
    ) {
      issues.push(`${at}.channels: must map channel names to answer strings`);
    }
    if (e.validFrom !== undefined && !isDay(e.validFrom)) issues.push(`${at}.validFrom: must be a date YYYY-MM-DD, got ${describe(e.validFrom)}`);
    if (e.validTo !== undefined && !isDay(e.validTo)) issues.push(`${at}.validTo: must be a date YYYY-MM-DD, got ${describe(e.validTo)}`);
    if (isDay(e.validFrom) && isDay(e.validTo) && (e.validFrom as string) > (e.validTo as string)) {
      issues.push(`${at}.validTo: ${e.validTo as string} is before validFrom ${e.validFrom as string}`);
    }
    const match = e.match ?? 'smart';
    if (match !== 'smart' && match !== 'exact' && match !== 'contains' && match !== 'regex') {
      issues.push(`${at}.match: must be one of smart, exact, contains, regex; got ${describe(match)}`);
    }
    const patterns = isStrArr(e.patterns) ? e.patterns : [];
    if ((match === 'contains' || match === 'regex') && patterns.filter((p) => p.trim() !== '').length === 0) {
      issues.push(`${at}.patterns: match "${match}" needs at least one non-empty pattern`);
    }
    if (match === 'regex') {
      patterns.forEach((p, k) => {
        try {
          const r = checkRegexSafety(p, 'iu');
          if (!r.safe) issues.push(`${at}.patterns[${k}]: /${p}/ is unsafe (${r.reason ?? 'catastrophic backtracking'}); rewrite it without nested or overlapping repetition`);
        } catch (cause) {
          issues.push(`${at}.patterns[${k}]: /${p}/ does not compile (${(cause as Error).message})`);
        }
      });
    }
    if (isStr(e.id)) {
      if (seen.has(e.id)) issues.push(`${at}.id: "${e.id}" appears twice in this call`);
      else if (!replacing && state.slots.has(e.id)) issues.push(`${at}.id: "${e.id}" is already in the index; use updateFaqEntries to replace it`);
      else if (replacing && !state.slots.has(e.id)) issues.push(`${at}.id: "${e.id}" is not in the index; use addFaqEntries to add it`);
      seen.add(e.id);
    }
    if (issues.length > before) return;
    out.push({
      id: e.id as string,
      question: e.question as string,
      similar: [...((e.similar as string[] | undefined) ?? [])],
      answer: e.answer as string,
      channels: { ...((channels as Record<string, string> | undefined) ?? {}) },
      category: [...((e.category as string[] | undefined) ?? [])],
      tags: [...((e.tags as string[] | undefined) ?? [])],
      enabled: (e.enabled as boolean | undefined) ?? true,
      ...(e.validFrom === undefined ? {} : { validFrom: e.validFrom as string }),
      ...(e.validTo === undefined ? {} : { validTo: e.validTo as string }),
      match: match as FaqRecord['match'],
      patterns: [...patterns],
    });
  });
  if (issues.length > 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `${fn}: ${issues.length} problem(s) in the FAQ entries: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. Fix them and call again; nothing was changed.`,
      { issues },
    );
  }
  return out;
}

function insert(index: FaqIndex, state: FaqIndexState, record: FaqRecord): void {
  const slot: Slot = { record, docs: [], keys: [], contains: [], regexes: [], entryDoc: -1 };
  const texts = [record.question, ...record.similar];
  const keyOf = (t: string): string => state.analyzer.key(t);
  // Smart entries are analysed once; the analyses give the exact keys, the question documents and the entry document.
  const analyses = record.match === 'smart' ? texts.map((t) => state.analyzer.analyze(t)) : null;
  const textKeys = analyses ? analyses.map((a) => a.key) : texts.map(keyOf);
  for (const k of record.match === 'exact' ? [...textKeys, ...record.patterns.map(keyOf)] : textKeys) {
    if (k !== '' && !slot.keys.includes(k)) slot.keys.push(k);
  }
  if (record.match === 'contains') {
    for (const p of record.patterns) {
      const k = keyOf(p);
      if (k !== '' && !slot.contains.includes(k)) slot.contains.push(k);
    }
  }
  if (record.match === 'regex') for (const p of record.patterns) if (p.trim() !== '') slot.regexes.push(new RegExp(p, 'iu'));
  for (const k of slot.keys) {
    const ids = state.exact.get(k);
    if (ids) ids.push(record.id);
    else state.exact.set(k, [record.id]);
  }
  // Only smart entries are ranked; rule entries are found by their rule alone, as knowledge-base tools behave.
  if (record.match === 'smart') {
    setEntryDoc(state, slot, analyses && index.config.indexAnswers ? [...analyses, state.analyzer.analyze(record.answer)] : (analyses ?? []));
    for (const [k, text] of texts.entries()) {
      const terms = (analyses as FaqTerms[])[k] as FaqTerms;
      if (terms.key === '') continue;
      const doc = state.nextDoc++;
      addDoc(state, doc, terms);
      state.docSlot[doc] = slot;
      state.docText[doc] = text;
      state.vectors[doc] = null;
      slot.docs.push(doc);
    }
  }
  state.slots.set(record.id, slot);
  if (slot.contains.length > 0 || slot.regexes.length > 0) state.ruleSlots.add(slot);
  if (record.validFrom !== undefined || record.validTo !== undefined) state.windowed++;
  mutable(index).size = state.slots.size;
}

/**
 * (Re)writes the entry-level document of a smart entry from the analyses of its texts; the old one, if any, is
 * removed. Leave-one-out tuning uses it to drop one question and put it back.
 */
export function setEntryDoc(state: FaqIndexState, slot: Slot, analyses: readonly FaqTerms[]): void {
  if (slot.entryDoc >= 0) {
    for (const f of state.entryFamilies) bm25Remove(f, slot.entryDoc);
    state.entrySlot[slot.entryDoc] = null;
  }
  const entryDoc = state.nextEntryDoc++;
  FAMILIES.forEach((f, i) => bm25Add(state.entryFamilies[i] as Bm25, entryDoc, analyses.flatMap((a) => a[f])));
  state.entrySlot[entryDoc] = slot;
  slot.entryDoc = entryDoc;
  if (state.entryScratch.seen.length <= entryDoc) {
    state.entryScratch = createScratch(FAMILIES.length, Math.max(entryDoc + 1, state.entryScratch.seen.length * 2));
  }
}

function addDoc(state: FaqIndexState, doc: number, terms: FaqTerms): void {
  FAMILIES.forEach((f, i) => bm25Add(state.families[i] as Bm25, doc, terms[f]));
  const need = doc + 1;
  if (state.scratch.seen.length < need) state.scratch = createScratch(FAMILIES.length, Math.max(need, state.scratch.seen.length * 2));
}

function drop(index: FaqIndex, state: FaqIndexState, id: string): boolean {
  const slot = state.slots.get(id);
  if (!slot) return false;
  for (const doc of slot.docs) {
    for (const f of state.families) bm25Remove(f, doc);
    state.docSlot[doc] = null;
    state.docText[doc] = null;
    state.vectors[doc] = null;
  }
  if (slot.entryDoc >= 0) {
    for (const f of state.entryFamilies) bm25Remove(f, slot.entryDoc);
    state.entrySlot[slot.entryDoc] = null;
  }
  for (const k of slot.keys) {
    const ids = state.exact.get(k);
    if (!ids) continue;
    const rest = ids.filter((x) => x !== id);
    if (rest.length === 0) state.exact.delete(k);
    else state.exact.set(k, rest);
  }
  state.slots.delete(id);
  state.ruleSlots.delete(slot);
  if (slot.record.validFrom !== undefined || slot.record.validTo !== undefined) state.windowed--;
  mutable(index).size = state.slots.size;
  return true;
}

/**
 * Adds entries to an index in place (no rebuild: only their own postings are written). Entries are checked first
 * and nothing changes when any is invalid or its id is taken (INVALID_INPUT listing every problem). New entries have
 * no vectors until `addFaqVectors` runs again.
 *
 * @example
 * ```ts
 * addFaqEntries(index, [{ id: 'gift_card', question: '礼品卡怎么用？', answer: '在结算页选择礼品卡抵扣即可。' }]);
 * ```
 */
export function addFaqEntries(index: FaqIndex, entries: readonly FaqEntryInput[]): void {
  const state = stateOf(index, 'addFaqEntries');
  for (const r of toRecords(entries, 'addFaqEntries', state, false)) insert(index, state, r);
  afterChange(index, state);
}

/**
 * Replaces entries (matched by `id`) in place; each must already be in the index. Checked first as in
 * {@link addFaqEntries}. The replaced entries lose their vectors until `addFaqVectors` runs again.
 *
 * @example
 * ```ts
 * updateFaqEntries(index, [{ ...getFaqEntry(index, 'shipping_fee')!, answer: '满79元包邮。' }]);
 * ```
 */
export function updateFaqEntries(index: FaqIndex, entries: readonly FaqEntryInput[]): void {
  const state = stateOf(index, 'updateFaqEntries');
  for (const r of toRecords(entries, 'updateFaqEntries', state, true)) {
    drop(index, state, r.id);
    insert(index, state, r);
  }
  afterChange(index, state);
}

/**
 * Removes entries by id, in place; unknown ids are ignored. Returns how many were removed.
 *
 * @example
 * ```ts
 * removeFaqEntries(index, ['cod']); // 1
 * ```
 */
export function removeFaqEntries(index: FaqIndex, ids: readonly string[]): number {
  const state = stateOf(index, 'removeFaqEntries');
  checkOption(Array.isArray(ids) && ids.every((x) => typeof x === 'string'), 'removeFaqEntries', 'ids', ids, 'an array of entry ids');
  let n = 0;
  for (const id of ids) if (drop(index, state, id)) n++;
  if (n > 0) afterChange(index, state);
  return n;
}

/**
 * The stored entry with this id, or `null`.
 *
 * @example
 * ```ts
 * getFaqEntry(index, 'shipping_fee')?.answer;
 * ```
 */
export function getFaqEntry(index: FaqIndex, id: string): FaqRecord | null {
  return stateOf(index, 'getFaqEntry').slots.get(id)?.record ?? null;
}

/**
 * Every stored entry, in insertion order (an updated entry moves to the end).
 *
 * @example
 * ```ts
 * listFaqEntries(index).map((e) => e.id);
 * ```
 */
export function listFaqEntries(index: FaqIndex): FaqRecord[] {
  return [...stateOf(index, 'listFaqEntries').slots.values()].map((s) => s.record);
}
