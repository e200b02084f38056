import type { Lang } from '../types.js';
import type { DictionaryEntry } from '../text/dictionary.js';
import type { AnnotatedSpan } from './annotate.js';

/** Where something was declared: file path (as given to the loader), 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A training or test example with its annotation markup removed. */
export interface Example {
  readonly text: string;
  readonly spans: readonly AnnotatedSpan[];
  readonly loc?: SourceLocation;
}

export interface Intent {
  readonly name: string;
  readonly description?: string;
  readonly examples: readonly Example[];
  readonly loc?: SourceLocation;
}

export interface DictionaryValue {
  readonly value: string;
  readonly synonyms: readonly string[];
}

/** A pack entity, discriminated on `type`. */
export type EntityDef =
  | { readonly type: 'dictionary'; readonly name: string; readonly description?: string; readonly fuzzy?: number; readonly values: readonly DictionaryValue[]; readonly loc?: SourceLocation }
  | { readonly type: 'lookup'; readonly name: string; readonly description?: string; readonly values: readonly string[]; readonly loc?: SourceLocation }
  | { readonly type: 'regex'; readonly name: string; readonly description?: string; readonly pattern: string; readonly flags: string; readonly loc?: SourceLocation }
  | { readonly type: 'learned'; readonly name: string; readonly description?: string; readonly loc?: SourceLocation };

export type FaqMatchMode = 'smart' | 'exact' | 'contains' | 'regex';

export interface FaqEntry {
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
  readonly loc?: SourceLocation;
}

/** A reply template: variants (one is chosen) and optional per-channel variants. */
export interface ResponseTemplate {
  readonly variants: readonly string[];
  readonly channels: Readonly<Record<string, readonly string[]>>;
}

/**
 * A held-out test case. `intent` present means an intent expectation (`null` = out of scope); `faq` present means a
 * knowledge-base expectation (`null` = must not be answered).
 */
export interface PackTest {
  readonly text: string;
  readonly spans: readonly AnnotatedSpan[];
  readonly intent?: string | null;
  readonly faq?: string | null;
  readonly loc?: SourceLocation;
}

/** A loaded, validated pack: plain JSON data. */
export interface Pack {
  readonly version: 1;
  readonly name: string;
  readonly language: Lang;
  readonly description?: string;
  readonly dictionary: readonly DictionaryEntry[];
  readonly synonyms: readonly (readonly string[])[];
  readonly intents: readonly Intent[];
  readonly outOfScope: readonly Example[];
  readonly entities: readonly EntityDef[];
  readonly faq: readonly FaqEntry[];
  readonly responses: Readonly<Record<string, ResponseTemplate>>;
  readonly tests: readonly PackTest[];
}

/** System entities every pack can use in annotations without declaring them. */
export const SYSTEM_ENTITIES = [
  'phone',
  'email',
  'url',
  'order_id',
  'tracking_number',
  'id_card',
  'bank_card',
  'money',
  'number',
  'quantity',
  'date',
  'datetime',
] as const;

export type SystemEntityName = (typeof SYSTEM_ENTITIES)[number];

/** One problem found in a pack. Errors make the pack invalid; warnings come from `lintPack`. */
export interface PackIssue {
  readonly severity: 'error' | 'warning';
  readonly code: PackIssueCode;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Path of the offending value inside its file, e.g. `['intents', 3, 'examples', 0]`. */
  readonly path: readonly (string | number)[];
}

export type PackIssueCode =
  | 'yaml_syntax'
  | 'schema'
  | 'unknown_key'
  | 'manifest'
  | 'duplicate_id'
  | 'undefined_entity'
  | 'undefined_entity_value'
  | 'undefined_intent'
  | 'undefined_faq'
  | 'bad_regex'
  | 'unsafe_regex'
  | 'annotation'
  | 'test_leak'
  | 'duplicate_example'
  | 'few_examples'
  | 'near_duplicate'
  | 'near_test_leak'
  | 'unused_entity_value';
