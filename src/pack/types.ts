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
  /** Dialogue flows (multi-turn tasks), see docs/dialogue.md. `loadPack` always sets it (`[]` when none). */
  readonly flows?: readonly FlowDef[];
  /** Dialogue policy (handoff triggers, cancel/restart phrases, timeout, masking); `loadPack` sets `{}` when none. */
  readonly dialogue?: DialoguePolicyDef;
  /** Scripted conversations that `kefu test` plays against the pack's bot; `loadPack` sets `[]` when none. */
  readonly conversations?: readonly Conversation[];
}

/**
 * A reply in a flow: inline template text (`{variable}` placeholders), or the id of a `responses` entry (a string
 * that is a valid id, such as `ask_order_id`, always names a response).
 */
export type ReplyRef = string;

/** Validation of a slot value (applied to its text form). */
export interface SlotValidation {
  /** A regular expression the value must match (ReDoS-checked at load time). */
  readonly pattern?: string;
  readonly flags?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Allowed values (canonical). */
  readonly values?: readonly string[];
}

/** One piece of information a flow collects. */
export interface SlotDef {
  readonly name: string;
  /** The entity (pack or system) whose values fill the slot. */
  readonly entity: string;
  /** When the entity fills several slots, only entities with this `role` fill this one. */
  readonly role?: string;
  readonly required: boolean;
  /** The slot is not needed once any of these slots is filled (e.g. order_id unless tracking_number). */
  readonly requiredUnless: readonly string[];
  /** What to ask. Required for required slots. */
  readonly prompt?: ReplyRef;
  /** Asked after a failed attempt, in order (the last one repeats); default: the prompt. */
  readonly reprompts: readonly ReplyRef[];
  /** When the slot is being asked and no entity matches, the whole message is the value (addresses, free text). */
  readonly fromText: boolean;
  readonly validate?: SlotValidation;
  /** Said when a value fails validation (before the re-prompt). */
  readonly invalid?: ReplyRef;
  /** Failed attempts before `onMaxAttempts`. Default 3. */
  readonly maxAttempts: number;
  readonly onMaxAttempts: 'handoff' | 'cancel';
  /** Offer the value given earlier in the session (in another flow) instead of asking afresh. Default true. */
  readonly carry: boolean;
  readonly loc?: SourceLocation;
}

/** What happens after an action returns an outcome (or throws: outcome `error`). */
export interface FlowOutcome {
  readonly reply?: ReplyRef;
  /** Clear this slot and ask it again (e.g. the order was not found). */
  readonly retry?: string;
  /** Hand over to a person with this reason. */
  readonly handoff?: string;
  /** Start this flow next, carrying the slots. */
  readonly next?: string;
  /** Whether the user's need counts as met (default: true for `ok`, false otherwise). */
  readonly resolved?: boolean;
}

/** A multi-turn task: collect slots, confirm, run an action, branch on its outcome. */
export interface FlowDef {
  readonly name: string;
  /** Intents that start the flow. */
  readonly intents: readonly string[];
  /** How the flow is named to the customer in clarifications and resumptions, e.g. 退货. */
  readonly label: string;
  readonly description?: string;
  readonly slots: readonly SlotDef[];
  /** Confirmation question asked once every required slot is filled. */
  readonly confirm?: ReplyRef;
  /** Name of the developer-registered action run after confirmation. */
  readonly action?: string;
  readonly outcomes: Readonly<Record<string, FlowOutcome>>;
  /** Reply when the flow completes without an action (or the action's outcome has no reply). */
  readonly reply?: ReplyRef;
  /** Reply when the customer cancels. */
  readonly cancelled?: ReplyRef;
  /** Hand over to a person when the flow completes, with this reason (e.g. `explicit` for transfer_human). */
  readonly handoff?: string;
  readonly loc?: SourceLocation;
}

/** Service hours: outside them a handoff becomes an offline ticket (留言) instead of a live transfer. */
export interface ServiceHoursDef {
  readonly timeZone: string;
  /** HH:MM, 24-hour. */
  readonly open: string;
  readonly close: string;
  /** ISO weekdays 1 (Monday) … 7 (Sunday). Default all. */
  readonly days?: readonly number[];
}

/** Handoff policy: every trigger can be switched off. */
export interface HandoffPolicyDef {
  readonly explicitIntents?: readonly string[];
  readonly maxFallbacks?: number;
  readonly complaintIntents?: readonly string[];
  readonly negativeEmotions?: readonly string[];
  readonly emotionThreshold?: number;
  readonly vip?: boolean;
  readonly serviceHours?: ServiceHoursDef | null;
}

/** The pack's dialogue policy; everything optional, defaults in docs/dialogue.md. */
export interface DialoguePolicyDef {
  readonly handoff?: HandoffPolicyDef;
  readonly cancelIntents?: readonly string[];
  readonly cancelPatterns?: readonly string[];
  readonly restartPatterns?: readonly string[];
  readonly affirmIntents?: readonly string[];
  readonly denyIntents?: readonly string[];
  readonly smalltalkIntents?: readonly string[];
  readonly timeoutMinutes?: number;
  readonly historyTurns?: number;
  readonly maskEntities?: readonly string[];
}

/** Pinned understanding of one scripted message (so a conversation does not depend on model drift). */
export interface ConversationNlu {
  readonly intent?: string | null;
  readonly decision?: 'accept' | 'clarify' | 'fallback';
  readonly ranking?: readonly string[];
  readonly confidence?: number;
  readonly entities?: readonly { readonly entity: string; readonly value: string | number; readonly text?: string; readonly role?: string }[];
  readonly faq?: string | null;
  readonly emotion?: { readonly label: string; readonly confidence: number } | null;
}

/** What must hold after a scripted turn; absent keys are not checked. */
export interface ConversationExpect {
  readonly intent?: string | null;
  readonly flow?: string | null;
  readonly slots?: Readonly<Record<string, string | number>>;
  readonly completed?: string | null;
  readonly faq?: string | null;
  /** A handoff reason, or null for none. */
  readonly handoff?: string | null;
  readonly offline?: boolean;
  /** Substrings the turn's replies (joined) must contain. */
  readonly replies?: readonly string[];
  /** Substrings the replies must not contain. */
  readonly notReplies?: readonly string[];
  /** Substrings the agent summary text must contain (with a handoff). */
  readonly summary?: readonly string[];
  /** Action names run this turn, in order. */
  readonly actions?: readonly string[];
}

export interface ConversationTurn {
  readonly user: string;
  /** ISO time of the message; default: one minute after the previous turn. */
  readonly at?: string;
  readonly channel?: string;
  readonly nlu?: ConversationNlu;
  readonly expect: ConversationExpect;
  readonly loc?: SourceLocation;
}

/** A scripted conversation with the expected outcome of every turn. */
export interface Conversation {
  readonly name: string;
  readonly description?: string;
  /** ISO time of the first turn. Default 2026-11-21T10:00:00+08:00. */
  readonly start?: string;
  readonly channel?: string;
  readonly user?: { readonly id?: string; readonly vip?: boolean };
  /** Scripted action results: action name → outcome (and data), used instead of the developer's handlers. */
  readonly actions: Readonly<Record<string, { readonly outcome: string; readonly data?: Readonly<Record<string, string | number | boolean>> }>>;
  readonly turns: readonly ConversationTurn[];
  readonly loc?: SourceLocation;
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
  | 'undefined_flow'
  | 'undefined_response'
  | 'undefined_slot'
  | 'flow_invalid'
  | 'bad_regex'
  | 'unsafe_regex'
  | 'annotation'
  | 'test_leak'
  | 'duplicate_example'
  | 'few_examples'
  | 'near_duplicate'
  | 'near_test_leak'
  | 'unused_entity_value';
