import type { FaqMatchMode } from '../pack/index.js';
import type { DictionaryEntry, NormalizeOptions, TextPipeline } from '../text/index.js';
import type { Lang } from '../types.js';

/**
 * A knowledge-base entry as the index takes it: the pack's `FaqEntry` fits, and every field but `id`, `question`
 * and `answer` is optional. `match` picks how it is found: `smart` (ranked retrieval over `question` and `similar`,
 * the default), `exact` (the message equals the question, a similar question or a pattern, ignoring punctuation,
 * spaces, case, width and traditional characters), `contains` (the message contains one of `patterns`) or `regex`
 * (one of `patterns` matches the normalised message, case-insensitively).
 */
export interface FaqEntryInput {
  readonly id: string;
  /** 标准问: the standard question. */
  readonly question: string;
  /** 相似问: other ways customers ask it. */
  readonly similar?: readonly string[];
  readonly answer: string;
  /** Per-channel answers (`wechat`, `sms`…); `searchFaq(…, { channel })` picks one, else `answer`. */
  readonly channels?: Readonly<Record<string, string>>;
  /** Multi-level category, outermost first: `['物流', '发货']`. */
  readonly category?: readonly string[];
  readonly tags?: readonly string[];
  /** A disabled entry is kept in the index but never returned. Default true. */
  readonly enabled?: boolean;
  /** First day the entry is valid, `YYYY-MM-DD` (inclusive, in the search's time zone). */
  readonly validFrom?: string;
  /** Last day the entry is valid, `YYYY-MM-DD` (inclusive). */
  readonly validTo?: string;
  readonly match?: FaqMatchMode;
  /** Keywords (`contains`), regular expressions (`regex`) or extra exact phrasings (`exact`). */
  readonly patterns?: readonly string[];
}

/** An entry as the index stores and returns it: every field present, plain JSON. */
export interface FaqRecord {
  readonly id: string;
  readonly question: string;
  readonly similar: readonly string[];
  readonly answer: string;
  readonly channels: Readonly<Record<string, string>>;
  readonly category: readonly string[];
  readonly tags: readonly string[];
  readonly enabled: boolean;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly match: FaqMatchMode;
  readonly patterns: readonly string[];
}

/** Weights of the fused score's parts; they are normalised to sum to 1 over the parts in use. */
export interface FaqWeights {
  /** jieba words with synonyms. */
  readonly words: number;
  /** Character unigrams and bigrams. */
  readonly chars: number;
  /** Pinyin syllable bigrams (homophones and typos). */
  readonly pinyin: number;
  /** Cosine similarity of sentence embeddings, when the index has vectors and the search a query vector. */
  readonly vector: number;
}

/**
 * How the parts are fused. `weighted`: entries ranked by the weighted score. `rrf`: ranked by reciprocal-rank fusion
 * of each part's ranking (k = 60); the decision still reads the weighted score, which is the calibrated one.
 */
export type FaqFusion = 'weighted' | 'rrf';

/** Decision thresholds on the fused score (0–1). */
export interface FaqThresholds {
  /** Answer with the top entry at or above this score… */
  readonly answer: number;
  /** …when it leads the second entry by at least this much; otherwise suggest. */
  readonly margin: number;
  /** Suggest the top candidates ("猜你想问") at or above this score; below it the decision is `none`. */
  readonly suggest: number;
}

/**
 * The learned component of an index: a calibrated classifier (`trainIntents`) whose labels are the entry ids,
 * trained on each enabled smart entry's question, similar questions and answer, with `negatives` as the out-of-scope
 * class. Its probability `p` is fused with the lexical score: `score = weight · p + (1 − weight) · lexical`.
 */
export interface FaqClassifierConfig {
  /** Train and use the classifier. `false` = lexical only (the behaviour before it existed). */
  readonly enabled: boolean;
  /** Share of the fused score given to the classifier's probability (0–1). */
  readonly weight: number;
  /** Training seed (the same entries, negatives and seed give the same model). */
  readonly seed: number;
  /** Above this many entries the classifier is not trained (cost grows with examples × entries); search is lexical. */
  readonly maxEntries: number;
  /** Out-of-scope examples (e.g. the pack's `outOfScope`), kept so changes can retrain with them. */
  readonly negatives: readonly string[];
}

/** The settings an index is built with; recorded in a saved index. */
export interface FaqIndexConfig {
  readonly language: Lang;
  readonly dictionary: readonly (string | DictionaryEntry)[];
  readonly synonyms: readonly (readonly string[])[];
  readonly normalize: NormalizeOptions;
  readonly weights: FaqWeights;
  readonly fusion: FaqFusion;
  /** BM25 term-frequency saturation and length normalisation. */
  readonly k1: number;
  readonly b: number;
  /** Blend of query coverage and document coverage in each lexical part: `sim = q^α · d^(1−α)`. */
  readonly alpha: number;
  /**
   * Share of the lexical score given to the entry as a whole (all its questions as one document: how much of the
   * message's vocabulary the entry knows) against its single best-matching question.
   */
  readonly entryWeight: number;
  /** Also index each answer's text in the entry-level document. */
  readonly indexAnswers: boolean;
  readonly classifier: FaqClassifierConfig;
}

/** Options of {@link createFaqIndex}. */
export interface CreateFaqIndexOptions {
  /** Default `zh`. */
  readonly language?: Lang;
  /** jieba user words (usually the pack's `dictionary`). */
  readonly dictionary?: readonly (string | DictionaryEntry)[];
  /** Synonym groups, first word canonical (usually the pack's `synonyms`). */
  readonly synonyms?: readonly (readonly string[])[];
  readonly normalize?: NormalizeOptions;
  /** A ready pipeline to share with other modules; it must match `language`, `dictionary` and `normalize`. */
  readonly pipeline?: TextPipeline;
  readonly weights?: Partial<FaqWeights>;
  readonly fusion?: FaqFusion;
  readonly k1?: number;
  readonly b?: number;
  readonly alpha?: number;
  readonly entryWeight?: number;
  readonly indexAnswers?: boolean;
  /**
   * The learned component (see {@link FaqClassifierConfig}): `true` (default) or settings to train it, `false` for
   * lexical-only search.
   */
  readonly classifier?: boolean | Partial<FaqClassifierConfig>;
  /**
   * Default {@link DEFAULT_FAQ_THRESHOLDS} with the classifier, {@link DEFAULT_LEXICAL_FAQ_THRESHOLDS} without;
   * tune them with `tuneFaqThresholds`.
   */
  readonly thresholds?: FaqThresholds;
}

/** The embedder an index's vectors came from. */
export interface FaqEmbedderInfo {
  readonly id: string;
  readonly dim: number;
}

/**
 * A FAQ index: entries, their lexical postings and optional vectors. Create with `createFaqIndex`, change with
 * `addFaqEntries` / `updateFaqEntries` / `removeFaqEntries` (in place, no rebuild), search with `searchFaq`.
 * The fields are read-only views; the postings are private to the retrieval module.
 */
export interface FaqIndex {
  readonly kind: 'faq-index';
  readonly config: FaqIndexConfig;
  readonly pipeline: TextPipeline;
  /** Current thresholds; change with `setFaqThresholds`. */
  readonly thresholds: FaqThresholds;
  /** Set once vectors are added; later vectors must come from the same embedder. */
  readonly embedder: FaqEmbedderInfo | null;
  /** Number of entries (enabled or not). */
  readonly size: number;
  /**
   * Whether searches fuse the classifier: `true` when it is enabled and trained (2 to `maxEntries` smart entries).
   * It is retrained on every add / update / remove.
   */
  readonly hasClassifier: boolean;
}

/** How the top entry was found. */
export type FaqMatchKind = 'exact' | 'regex' | 'contains' | 'smart';

/** One ranked entry. `score` is the fused score (1 for a rule match); `matched` is the question text that matched best. */
export interface FaqCandidate {
  readonly id: string;
  readonly question: string;
  readonly score: number;
  readonly matched: string;
  readonly via: FaqMatchKind;
}

/** The entry to answer with. `answer` is the channel's variant when one was asked for and exists. */
export interface FaqHit extends FaqCandidate {
  readonly answer: string;
  readonly category: readonly string[];
  readonly tags: readonly string[];
}

/** `answer`: reply with `faq`; `suggest`: show `candidates` as "猜你想问"; `none`: not in the knowledge base. */
export type FaqDecision = 'answer' | 'suggest' | 'none';

/**
 * Why: `rule` (an exact/contains/regex entry matched), `confident` (answer), `ambiguous` (the top two are too close
 * to answer), `low_confidence` (suggest), `below_threshold` (none), `no_match` (nothing shares a term),
 * `empty_input` (nothing to search with).
 */
export type FaqReason = 'rule' | 'confident' | 'ambiguous' | 'low_confidence' | 'below_threshold' | 'no_match' | 'empty_input';

/**
 * The result of one search. `faq` is the top entry when `decision` is `answer`, else `null`. `candidates` are the
 * best entries (default 3), also for `none`, where they are only informative (for logs, never to show).
 */
export interface FaqSearchResult {
  readonly decision: FaqDecision;
  readonly reason: FaqReason;
  readonly faq: FaqHit | null;
  readonly candidates: readonly FaqCandidate[];
}

/** Options of `searchFaq`. */
export interface SearchFaqOptions {
  /** How many candidates to return. Default 3. */
  readonly topK?: number;
  /** Answer variant to return (`wechat`, `sms`…). */
  readonly channel?: string;
  /** The moment validity windows are checked at. Default: the current time. */
  readonly now?: Date | string | number;
  /** IANA time zone the `validFrom`/`validTo` days are read in. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** The message's embedding (from `embedFaqQuery`), fused when the index has vectors. */
  readonly queryVector?: Float32Array;
  /** Override the index thresholds for this call. */
  readonly thresholds?: FaqThresholds;
}
