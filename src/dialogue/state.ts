import type { DialogueState } from './types.js';

/**
 * The state of a new session.
 *
 * @example
 * ```ts
 * const { state, effects } = transition(flowSet, initialState(), event);
 * ```
 */
export function initialState(): DialogueState {
  return {
    version: 1,
    turn: 0,
    startedAt: null,
    lastAt: null,
    channel: null,
    user: null,
    stack: [],
    memory: {},
    clarify: null,
    fallbacks: 0,
    intents: [],
    history: [],
    entities: [],
    handoff: null,
    emotion: null,
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const isSlotValue = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function isFrame(v: unknown): boolean {
  if (!isObj(v) || typeof v.flow !== 'string' || !isObj(v.slots) || !isObj(v.step)) return false;
  if (!Object.values(v.slots).every(isSlotValue)) return false;
  const step = v.step;
  if (step.kind === 'slot') return typeof step.slot === 'string' && Number.isInteger(step.attempts) && (step.offered === undefined || isSlotValue(step.offered));
  if (step.kind === 'confirm') return Number.isInteger(step.attempts);
  if (step.kind === 'action') return typeof step.id === 'string';
  return false;
}

/**
 * Whether a value (e.g. read back from a store) is a well-formed dialogue state. The reducer starts afresh from
 * anything that is not, so a corrupted session never crashes the bot.
 *
 * @example
 * ```ts
 * const state = isDialogueState(stored) ? stored : initialState();
 * ```
 */
export function isDialogueState(v: unknown): v is DialogueState {
  if (!isObj(v) || v.version !== 1 || !Number.isInteger(v.turn) || (v.turn as number) < 0) return false;
  if (!isStrOrNull(v.startedAt) || !isStrOrNull(v.lastAt) || !isStrOrNull(v.channel) || !isStrOrNull(v.emotion)) return false;
  if (!(v.user === null || isObj(v.user))) return false;
  if (!Array.isArray(v.stack) || !v.stack.every(isFrame)) return false;
  if (!isObj(v.memory) || !Object.values(v.memory).every(isSlotValue)) return false;
  if (!(v.clarify === null || (isObj(v.clarify) && Array.isArray(v.clarify.options) && Array.isArray(v.clarify.entities)))) return false;
  if (!Number.isInteger(v.fallbacks)) return false;
  if (!Array.isArray(v.intents) || !v.intents.every((x) => typeof x === 'string')) return false;
  if (!Array.isArray(v.history) || !v.history.every((h) => isObj(h) && (h.role === 'user' || h.role === 'bot') && typeof h.text === 'string')) return false;
  if (!Array.isArray(v.entities) || !v.entities.every((e) => isObj(e) && typeof e.entity === 'string' && typeof e.value === 'string')) return false;
  if (!(v.handoff === null || (isObj(v.handoff) && typeof v.handoff.reason === 'string'))) return false;
  return true;
}
