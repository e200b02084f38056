/**
 * What the bot did with a turn, as `TurnLogEvent.decision`:
 * - `flow`: the message started, advanced, completed or cancelled a flow (slot filled, confirmation, action);
 * - `faq`: answered from the knowledge base;
 * - `clarify`: asked which of two intents the customer meant;
 * - `fallback`: not understood;
 * - `handoff`: handed over to a person this turn;
 * - `waiting`: already with a person, the bot only acknowledged;
 * - `smalltalk`: greeting, thanks, chit-chat answered from a response;
 * - `unhandled`: an intent understood that no flow or response handles;
 * - `rating`: a satisfaction rating (`bot.rate`), no message.
 */
export type TurnDecision = 'flow' | 'faq' | 'clarify' | 'fallback' | 'handoff' | 'waiting' | 'smalltalk' | 'unhandled' | 'rating';

/**
 * One log line per turn, written to the `log` sink of `createBot`. Reports read these fields; see docs/dialogue.md.
 *
 * @example
 * ```ts
 * const events: TurnLogEvent[] = [];
 * const bot = createBot({ pack, log: { write: (e) => void events.push(e) } });
 * ```
 */
export interface TurnLogEvent {
  readonly type: 'turn';
  readonly session: string;
  /** 1-based turn number within the session. */
  readonly turn: number;
  /** ISO time of the message. */
  readonly time: string;
  readonly channel: string | null;
  /** The user id, or null. */
  readonly user: string | null;
  /** The message with PII masked. */
  readonly text: string;
  /** The accepted intent, or null (fallback, clarify, FAQ-only). */
  readonly intent: string | null;
  /** The classifier's confidence in its top intent (0 when none ran). */
  readonly confidence: number;
  readonly decision: TurnDecision;
  /** The FAQ id answered this turn. */
  readonly faq: string | null;
  /** The active flow after the turn. */
  readonly flow: string | null;
  /** Slots filled this turn. */
  readonly slotsFilled: readonly string[];
  /** The flow completed this turn. */
  readonly completed: string | null;
  /** Whether the customer's need was met this turn (a flow completed with a resolving outcome, or an FAQ answer). */
  readonly resolved: boolean;
  readonly handoff: null | { readonly reason: string };
  readonly emotion: string | null;
  /** A satisfaction rating (1–5) given this turn, else null. */
  readonly rating: number | null;
}

/** Where `createBot` writes its turn events (a file, a queue, an array in tests). */
export interface TurnLogSink {
  write(event: TurnLogEvent): void | Promise<void>;
}
