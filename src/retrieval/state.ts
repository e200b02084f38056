import type { IntentClassifier, IntentModel } from '../intent/index.js';
import type { FaqAnalyzer } from './analyze.js';
import type { Bm25, Bm25Scratch } from './bm25.js';
import type { FaqRecord } from './types.js';

// The private, mutable shapes behind a FaqIndex, in a file of their own so that the index and its classifier both
// depend on them without depending on each other.

/** The learned side of an index: a classifier over its smart entries (labels = entry ids). */
export interface FaqClassifierState {
  readonly model: IntentModel;
  readonly classifier: IntentClassifier;
}

/** One entry in the index: its record, its documents (question first, then similar), and its rule matchers. */
export interface Slot {
  record: FaqRecord;
  docs: number[];
  /** Exact-match keys (question and similar for every mode, plus patterns for `exact`). */
  keys: string[];
  /** `contains` patterns as keys. */
  contains: string[];
  regexes: RegExp[];
  /** Id of the entry-level document (all its questions together) in `entryFamilies`, or -1 for rule entries. */
  entryDoc: number;
}

/** The private, mutable side of a {@link FaqIndex}. */
export interface FaqIndexState {
  readonly analyzer: FaqAnalyzer;
  readonly families: readonly Bm25[];
  /** Entry slot of each document id, or null once removed. */
  docSlot: (Slot | null)[];
  /** Text of each document. */
  docText: (string | null)[];
  vectors: (Float32Array | null)[];
  nextDoc: number;
  /** Entry-level postings: each smart entry's questions as one document, per family. */
  readonly entryFamilies: readonly Bm25[];
  entrySlot: (Slot | null)[];
  nextEntryDoc: number;
  entryScratch: Bm25Scratch;
  readonly slots: Map<string, Slot>;
  /** Entries with `contains` or `regex` rules, checked on every search. */
  readonly ruleSlots: Set<Slot>;
  /** How many entries have a validity window (0: no date needs computing). */
  windowed: number;
  /** Exact key → ids of entries having it, in insertion order. */
  readonly exact: Map<string, string[]>;
  scratch: Bm25Scratch;
  /** Bumped on every change, so callers caching per-index data can tell. */
  version: number;
  /** The trained classifier, or null (disabled, too few or too many entries). */
  classifier: FaqClassifierState | null;
}

