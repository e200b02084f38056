import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import { SYSTEM_ENTITIES, type EntityDef, type Pack, type SystemEntityName } from '../pack/index.js';
import { createTextPipeline, parseDictionary, type DictionaryEntry, type TextPipeline } from '../text/index.js';
import { createDictionaryMatcher, type DictionaryEntityDef, type DictionaryMatcher } from './dictionary.js';
import { createRegexMatcher, type RegexMatcher } from './regex.js';
import { extractSystemEntities, type SystemEntityOptions } from './system/index.js';
import { createSlotTagger, trainSlotTagger, type SlotTagger, type SlotTaggerModel } from './tagger/index.js';
import type { Entity } from './types.js';

/** Options of {@link createEntityExtractor}. */
export interface EntityExtractorOptions {
  /** The pack whose regex, dictionary, lookup and learned entities are extracted. */
  readonly pack?: Pack;
  /**
   * The slot tagger for learned entities. Default: when the pack declares `learned` entities with annotated
   * examples, one is trained from the pack at creation (tens of milliseconds for a pack); `null`: no tagger.
   */
  readonly tagger?: SlotTaggerModel | null;
  /** System entities (phone, order id, money, dates, …): `true` (default), `false`, or their default options. */
  readonly system?: boolean | SystemEntityOptions;
  /**
   * Dictionary typo and homophone tolerance: `true` (default) uses each entity's `fuzzy` threshold, a number in
   * (0, 1] overrides every threshold, `false` matches exactly.
   */
  readonly fuzzy?: boolean | number;
  /**
   * Text pipeline (normaliser + tokenizer). Default: the tagger's, else the pack's language with the pack's
   * dictionary plus its Chinese entity surfaces as jieba user words, so jieba keeps `顺丰` whole instead of gluing it to
   * a neighbour, and a surface is only refused inside words jieba knows (`手机` in `手机号`). A caller pipeline
   * without those words (e.g. the intent classifier's) works, with slightly lower dictionary recall.
   */
  readonly pipeline?: TextPipeline;
}

/** Per-message options of {@link EntityExtractor.extract}. */
export interface ExtractOptions {
  /** The instant relative dates resolve against. Default: the extractor's `system.now`, else the current time. */
  readonly now?: Date | string;
  /** IANA time zone of dates. Default: the extractor's `system.timeZone`, else `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Only these entities are returned (others still claim their text, so a phone number never becomes a `number`). */
  readonly include?: readonly string[];
}

/** Extracts every kind of entity from messages; create once per pack. */
export interface EntityExtractor {
  /** Every entity name this extractor can return. */
  readonly entities: readonly string[];
  readonly pipeline: TextPipeline;
  /** The learned-slot tagger in use, or null. */
  readonly tagger: SlotTaggerModel | null;
  /** Entities of `text`, sorted by start, non-overlapping, spans into the original `text`. Never throws on a string. */
  extract(text: string, options?: ExtractOptions): Entity[];
}

/**
 * Overlap priority of sources (lower wins): deterministic system detectors, then pack regexes, exact dictionary
 * matches, fuzzy dictionary matches, and the learned tagger. Inside a tier the longer span wins, then the earlier.
 * One exception: a span that strictly contains a generic system value (`number`, `quantity`, `date`, `datetime`)
 * beats it, so `漕宝路1555弄12号` stays one address instead of losing to the number 1555; a pack regex or exact
 * dictionary match of the very same span beats it too (`换45` with `45` listed as a size).
 */
export const ENTITY_SOURCE_TIERS = ['system', 'regex', 'dictionary', 'dictionary-fuzzy', 'learned'] as const;

const GENERIC_SYSTEM: ReadonlySet<string> = new Set(['number', 'quantity', 'date', 'datetime']);

/**
 * Creates the combined extractor: system entities, the pack's regex, dictionary and lookup entities, and the learned
 * slot tagger, merged into one non-overlapping list by an explicit priority ({@link ENTITY_SOURCE_TIERS}). A pack
 * entity that reuses a system entity's name (`order_id` with the shop's own pattern) replaces the system detector
 * for that name, while the system's match still keeps the digits from becoming a `number`.
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * const extractor = createEntityExtractor({ pack });
 * extractor.extract('用顺丰寄到杭州市西湖区文三路478号，电话13812345678', { now: '2026-11-20T10:00:00+08:00' });
 * // → courier SF (dictionary), address (learned), phone 13812345678 (system)
 * ```
 */
export function createEntityExtractor(options?: EntityExtractorOptions): EntityExtractor {
  assertOptions(options, 'createEntityExtractor');
  const fn = 'createEntityExtractor';
  const pack = options?.pack;
  checkOption(pack === undefined || (typeof pack === 'object' && pack !== null && Array.isArray(pack.entities)), fn, 'pack', pack, 'a Pack from loadPack()');
  const systemOption = options?.system ?? true;
  checkOption(typeof systemOption === 'boolean' || (typeof systemOption === 'object' && systemOption !== null && !Array.isArray(systemOption)), fn, 'system', systemOption, 'a boolean or system entity options');
  const systemDefaults: SystemEntityOptions = typeof systemOption === 'object' ? systemOption : {};
  if (typeof systemOption === 'object') extractSystemEntities('', systemDefaults);
  const useSystem = systemOption !== false;

  const defs: readonly EntityDef[] = pack?.entities ?? [];
  const given = options?.tagger;
  checkOption(given === undefined || given === null || (typeof given === 'object' && !Array.isArray(given)), fn, 'tagger', given, 'a SlotTaggerModel, or null');
  let pipeline = options?.pipeline;
  let tagger: SlotTagger | null = null;
  let model: SlotTaggerModel | null = null;
  if (given !== undefined && given !== null) {
    tagger = createSlotTagger(given, pipeline === undefined ? {} : { pipeline });
  } else if (given === undefined && pack !== undefined) {
    const learnable = learnableEntities(pack);
    if (learnable.length > 0) {
      if (pipeline === undefined) {
        // One pipeline (one jieba dictionary load) for training, tagging and dictionary matching. The model records
        // the dictionary it was built with, so `extractor.tagger` can be saved and reloaded on its own.
        const dictionary = extractorDictionary(pack);
        pipeline = createTextPipeline({ language: pack.language, dictionary });
        const trained = trainSlotTagger(pack, { entities: learnable, pipeline });
        tagger = createSlotTagger({ ...trained, text: { ...trained.text, dictionary } }, { pipeline });
      } else {
        tagger = createSlotTagger(trainSlotTagger(pack, { entities: learnable, pipeline }), { pipeline });
      }
    }
  }
  if (tagger !== null) {
    model = tagger.model;
    pipeline ??= tagger.pipeline;
  }
  pipeline ??= createTextPipeline({ language: pack?.language ?? 'zh', ...(pack !== undefined ? { dictionary: extractorDictionary(pack) } : {}) });
  const fuzzy = options?.fuzzy ?? true;
  const dictionary: DictionaryMatcher = createDictionaryMatcher(
    defs.filter((d): d is DictionaryEntityDef => d.type === 'dictionary' || d.type === 'lookup'),
    { normalizer: pipeline.normalizer, fuzzy },
  );
  const regex: RegexMatcher = createRegexMatcher(defs.filter((d): d is Extract<EntityDef, { type: 'regex' }> => d.type === 'regex'));
  const packNames = new Set(defs.map((d) => d.name));
  const systemNames = useSystem ? SYSTEM_ENTITIES.filter((s) => !packNames.has(s)) : [];
  const entities = [...new Set([...systemNames, ...regex.entities, ...dictionary.entities, ...(model?.entities ?? [])])];
  const textPipeline = pipeline;

  return {
    entities,
    pipeline: textPipeline,
    tagger: model,
    extract(text: string, extractOptions?: ExtractOptions): Entity[] {
      assertText(text, 'extract(text)');
      assertOptions(extractOptions, 'extract');
      const include = extractOptions?.include;
      checkOption(include === undefined || (Array.isArray(include) && include.every((e) => typeof e === 'string')), 'extract', 'include', include, 'an array of entity names');
      if (text === '') return [];
      const candidates: Ranked[] = [];
      if (useSystem) {
        const sys = extractSystemEntities(text, {
          ...systemDefaults,
          ...(extractOptions?.now !== undefined ? { now: extractOptions.now } : {}),
          ...(extractOptions?.timeZone !== undefined ? { timeZone: extractOptions.timeZone } : {}),
        });
        // A system match whose name the pack overrides still claims its text (tier 0) but is never reported.
        for (const e of sys) candidates.push({ e, tier: 0, hidden: packNames.has(e.entity as SystemEntityName) });
      }
      const analysis = textPipeline.analyze(text);
      for (const e of regex.match(analysis.normalized)) candidates.push({ e, tier: 1, hidden: false });
      for (const e of dictionary.match(analysis.normalized, analysis.tokens)) candidates.push({ e, tier: e.confidence === 1 ? 2 : 3, hidden: false });
      // The tagger shares the pipeline (checked at creation), so it reuses this analysis.
      if (tagger !== null) for (const e of tagger.tagAnalysis(analysis)) candidates.push({ e, tier: 4, hidden: false });
      const resolved = resolveOverlaps(candidates, packNames);
      const wanted = include === undefined ? null : new Set(include);
      return resolved.filter((e) => wanted === null || wanted.has(e.entity));
    },
  };
}

interface Ranked {
  readonly e: Entity;
  readonly tier: number;
  readonly hidden: boolean;
}

/** Applies {@link ENTITY_SOURCE_TIERS}; a hidden system match whose span a pack regex of the same name matches yields to it. */
function resolveOverlaps(candidates: Ranked[], packNames: ReadonlySet<string>): Entity[] {
  const live = candidates.filter((c) => {
    if (c.e.source !== 'system') return true;
    if (c.hidden && candidates.some((o) => o.tier === 1 && o.e.entity === c.e.entity && o.e.start <= c.e.end && c.e.start <= o.e.end)) return false;
    if (!GENERIC_SYSTEM.has(c.e.entity)) return true;
    return !candidates.some((o) => {
      if (o.e.source === 'system' || o.hidden || o.e.start > c.e.start || c.e.end > o.e.end) return false;
      const longer = o.e.end - o.e.start > c.e.end - c.e.start;
      // Same span: a pack regex or an exact dictionary value the author listed (`45` as a size) is more specific.
      return longer || o.tier <= 2;
    });
  });
  live.sort((a, b) => a.tier - b.tier || b.e.end - b.e.start - (a.e.end - a.e.start) || a.e.start - b.e.start);
  const chosen: Ranked[] = [];
  for (const c of live) {
    if (chosen.some((o) => c.e.start < o.e.end && o.e.start < c.e.end)) continue;
    chosen.push(c);
  }
  return chosen
    .filter((c) => !c.hidden && !(c.e.source === 'system' && packNames.has(c.e.entity)))
    .map((c) => c.e)
    .sort((a, b) => a.start - b.start);
}

function learnableEntities(pack: Pack): string[] {
  const learned = new Set(pack.entities.filter((e) => e.type === 'learned').map((e) => e.name));
  const annotated = new Set<string>();
  for (const intent of pack.intents) for (const ex of intent.examples) for (const s of ex.spans) if (learned.has(s.entity)) annotated.add(s.entity);
  return [...learned].filter((e) => annotated.has(e));
}

const HAN = /\p{Script=Han}/u;

/** The pack's jieba dictionary plus every Chinese dictionary and lookup surface not already in it. */
function extractorDictionary(pack: Pack): DictionaryEntry[] {
  const base = parseDictionary(pack.dictionary);
  const known = new Set(base.map((e) => e.word));
  const extra: string[] = [];
  for (const d of pack.entities) {
    const surfaces = d.type === 'dictionary' ? d.values.flatMap((v) => [v.value, ...v.synonyms]) : d.type === 'lookup' ? d.values : [];
    for (const s of surfaces) {
      const word = s.trim();
      if (word === '' || /\s/.test(word) || !HAN.test(word) || known.has(word)) continue;
      known.add(word);
      extra.push(word);
    }
  }
  return [...base, ...parseDictionary(extra)];
}
