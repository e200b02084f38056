import type { Entity } from '../entities/index.js';
import type { FlowDef, ResponseTemplate } from '../pack/index.js';

/** A slot value: canonical text or a number (money, quantity). */
export type SlotValue = string | number;

/** The dialogue policy with every default filled in (see {@link DEFAULT_DIALOGUE_POLICY}). */
export interface DialoguePolicy {
  readonly handoff: {
    /** Intents that ask for a person when no flow handles them. */
    readonly explicitIntents: readonly string[];
    /** Hand over after this many consecutive messages the bot could not understand; 0 disables. */
    readonly maxFallbacks: number;
    /** Intents that are complaints (handed over at once); [] disables. */
    readonly complaintIntents: readonly string[];
    /** Emotion labels that hand over when detected at or above `emotionThreshold`; [] disables. */
    readonly negativeEmotions: readonly string[];
    readonly emotionThreshold: number;
    /** Hand VIP users (`user.vip`) to a person at their first message. */
    readonly vip: boolean;
    /** Outside these hours a handoff is an offline ticket (留言); null = always staffed. */
    readonly serviceHours: {
      readonly timeZone: string;
      readonly open: string;
      readonly close: string;
      readonly days: readonly number[];
    } | null;
  };
  /** Intents that cancel the flow while a slot is being asked (deny: 不用了, 算了). */
  readonly cancelIntents: readonly string[];
  /** Regexes (matched on the normalised message) that cancel the flow at any step (不退了, 取消申请). */
  readonly cancelPatterns: readonly string[];
  /** Regexes that restart the active flow from its first slot (重新开始, 重来). */
  readonly restartPatterns: readonly string[];
  readonly affirmIntents: readonly string[];
  readonly denyIntents: readonly string[];
  /** Intents answered with the response of the same id (greet, thanks…), also mid-flow before a re-prompt. */
  readonly smalltalkIntents: readonly string[];
  /** A session idle longer than this ends its flows on the next message. */
  readonly timeoutMinutes: number;
  /** Turns kept in the state for the agent summary. */
  readonly historyTurns: number;
  /** Entity types masked in history, summaries and logs. */
  readonly maskEntities: readonly string[];
}

/**
 * Everything the reducer needs: flows, reply templates, policy and how entity values read to a customer. Plain JSON;
 * build it with {@link createFlowSet} or {@link flowSetFromPack}.
 */
export interface FlowSet {
  readonly flows: readonly FlowDef[];
  readonly responses: Readonly<Record<string, ResponseTemplate>>;
  readonly policy: DialoguePolicy;
  /** entity → canonical value → the words shown to the customer (reason `size_unfit` → 尺码不合适). */
  readonly display: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Intents known to the pack (to validate references); empty = not checked. */
  readonly intents: readonly string[];
  /** Normalise text before matching cancel/restart patterns; default true. */
  readonly normalize: boolean;
}

/** The emotion of a message, as `detectEmotion` reports it. */
export interface NluEmotion {
  readonly label: string;
  readonly confidence: number;
}

/** An FAQ answer chosen for the message (the caller arbitrated FAQ vs intent). */
export interface NluFaq {
  readonly id: string;
  readonly answer: string;
}

/** The intent part of the understanding, shaped like `IntentResult`. */
export interface NluIntent {
  readonly intent: string | null;
  readonly confidence: number;
  readonly ranking: readonly { readonly name: string; readonly confidence: number }[];
  readonly decision: 'accept' | 'clarify' | 'fallback';
}

/** A message already understood: the reducer never runs models. */
export interface Nlu {
  readonly intent: NluIntent;
  readonly entities: readonly Entity[];
  readonly faq?: NluFaq | null;
  readonly emotion?: NluEmotion | null;
  /** The message with PII masked, when the caller has a masker; otherwise the reducer masks entity spans. */
  readonly maskedText?: string;
}

/** Who is writing. */
export interface DialogueUser {
  readonly id?: string;
  readonly vip?: boolean;
}

/** The events the reducer consumes. `at` is an ISO 8601 time; the reducer has no clock of its own. */
export type DialogueEvent =
  | {
      readonly type: 'user';
      readonly text: string;
      readonly nlu: Nlu;
      readonly at: string;
      readonly channel?: string;
      readonly user?: DialogueUser;
    }
  | {
      readonly type: 'action_result';
      /** The `id` of the action effect this answers. */
      readonly id: string;
      readonly outcome: string;
      readonly data?: Readonly<Record<string, unknown>>;
      readonly at: string;
    }
  /** Ends flows of a session idle past the timeout, without a message. */
  | { readonly type: 'tick'; readonly at: string }
  /** Clears the session's flows (e.g. the agent finished and hands the customer back to the bot). */
  | { readonly type: 'reset'; readonly at: string };

/** The step a flow is at. */
export type FlowStep =
  | { readonly kind: 'slot'; readonly slot: string; readonly attempts: number; readonly offered?: SlotValue }
  | { readonly kind: 'confirm'; readonly attempts: number }
  | { readonly kind: 'action'; readonly id: string };

/** One running (or suspended) flow. */
export interface FlowFrame {
  readonly flow: string;
  readonly slots: Readonly<Record<string, SlotValue>>;
  readonly step: FlowStep;
}

/** A turn kept for the agent summary (PII masked). */
export interface HistoryTurn {
  readonly role: 'user' | 'bot';
  readonly text: string;
  readonly turn: number;
}

/** An entity seen in the session (PII masked). */
export interface SeenEntity {
  readonly entity: string;
  readonly value: string;
  readonly turn: number;
}

/** Session state: plain JSON, safe to persist. */
export interface DialogueState {
  readonly version: 1;
  readonly turn: number;
  readonly startedAt: string | null;
  readonly lastAt: string | null;
  readonly channel: string | null;
  readonly user: DialogueUser | null;
  /** Running flows; the last one is active, the others are suspended and resume in order. */
  readonly stack: readonly FlowFrame[];
  /** Slot values from earlier flows, offered again (an order id given once). */
  readonly memory: Readonly<Record<string, SlotValue>>;
  /** A pending clarification between intents, with the entities of the message that was ambiguous. */
  readonly clarify: { readonly options: readonly string[]; readonly entities: readonly Entity[] } | null;
  readonly fallbacks: number;
  /** Intents understood so far, in order (repeats collapsed). */
  readonly intents: readonly string[];
  readonly history: readonly HistoryTurn[];
  readonly entities: readonly SeenEntity[];
  readonly handoff: { readonly reason: string; readonly at: string; readonly offline: boolean } | null;
  readonly emotion: string | null;
}

/** The agent summary handed over with a handoff, so the agent never has to ask again. */
export interface AgentSummary {
  readonly reason: string;
  /** The reason in words for the agent. */
  readonly reasonText: string;
  readonly offline: boolean;
  readonly user: DialogueUser | null;
  readonly channel: string | null;
  readonly intents: readonly string[];
  /** The active flow at handoff, if any. */
  readonly flow: string | null;
  readonly filled: Readonly<Record<string, string>>;
  readonly missing: readonly string[];
  readonly lastTurns: readonly HistoryTurn[];
  readonly entities: readonly SeenEntity[];
  readonly emotion: string | null;
  readonly turns: number;
  readonly startedAt: string | null;
  /** The whole summary as readable Chinese text for the agent's console. */
  readonly text: string;
}

/** What the caller must do after a transition. */
export type DialogueEffect =
  | { readonly type: 'reply'; readonly text: string; readonly template: string | null }
  | { readonly type: 'action'; readonly id: string; readonly name: string; readonly flow: string; readonly slots: Readonly<Record<string, SlotValue>> }
  | { readonly type: 'fill'; readonly flow: string; readonly slot: string; readonly value: SlotValue; readonly correction: boolean }
  | { readonly type: 'start'; readonly flow: string }
  | { readonly type: 'complete'; readonly flow: string; readonly outcome: string; readonly slots: Readonly<Record<string, SlotValue>>; readonly resolved: boolean }
  | { readonly type: 'cancel'; readonly flow: string; readonly reason: 'user' | 'max_attempts' | 'timeout' | 'restart' | 'handoff' | 'reset' }
  | { readonly type: 'faq'; readonly id: string }
  | { readonly type: 'clarify'; readonly options: readonly string[] }
  | { readonly type: 'fallback'; readonly count: number }
  | { readonly type: 'timeout' }
  | { readonly type: 'handoff'; readonly reason: string; readonly offline: boolean; readonly summary: AgentSummary };

/** The reducer's result. */
export interface Transition {
  readonly state: DialogueState;
  readonly effects: readonly DialogueEffect[];
}
