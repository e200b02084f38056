import { KefuError } from '../errors.js';
import { assertOptions, checkOption } from '../internal/assert.js';
import type { IntentModel } from '../intent/index.js';
import type { Pack } from '../pack/index.js';
import type { Logger } from '../types.js';
import { flowSetFromPack, type DialoguePolicyInput } from './define.js';
import type { TurnDecision, TurnLogEvent, TurnLogSink } from './log-event.js';
import { createPackNlu, type NluContext, type NluFunction } from './nlu.js';
import { initialState, isDialogueState } from './state.js';
import { createMemoryStore, type SessionStore } from './store/index.js';
import { transition } from './transition.js';
import type { AgentSummary, DialogueEffect, DialogueEvent, DialogueState, DialogueUser, FlowSet, Nlu, SlotValue } from './types.js';

/** What an action handler returns: an outcome name (default `ok`) selecting the flow's branch, and template data. */
export interface ActionResult {
  readonly outcome?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What an action handler receives. */
export interface ActionInput {
  readonly slots: Readonly<Record<string, SlotValue>>;
  readonly flow: string;
  readonly session: string;
  readonly user: DialogueUser | null;
}

/** A developer action such as `create_return`: I/O, so async. A thrown error selects the `error` outcome. */
export type ActionHandler = (input: ActionInput) => Promise<ActionResult | void>;

/** Options of {@link createBot}. */
export interface CreateBotOptions {
  readonly pack: Pack;
  /** Handlers for the actions the flows name. */
  readonly actions?: Readonly<Record<string, ActionHandler>>;
  /** Where sessions live. Default: `createMemoryStore()`. */
  readonly store?: SessionStore<DialogueState>;
  /** Flows and policy; default `flowSetFromPack(pack, policy)`. */
  readonly flowSet?: FlowSet;
  /** Policy overrides on top of the pack's `dialogue:` section. */
  readonly policy?: DialoguePolicyInput;
  /** How messages are understood; default {@link createPackNlu} (trains the intent model unless `model` is given). */
  readonly nlu?: NluFunction;
  /** A trained intent model for the default understanding. */
  readonly model?: IntentModel;
  /** One event per turn. */
  readonly log?: TurnLogSink;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Time zone for relative dates and FAQ validity. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Flows naming an action without a handler: `error` (default) refuses to start; `mock` answers `ok` with no data. */
  readonly missingActions?: 'error' | 'mock';
  /** Retries of one message when its session changed concurrently. Default 20. */
  readonly maxRetries?: number;
  /**
   * Only the first this-many UTF-16 units of a message are given to the understanding (the rest is still recorded,
   * clipped). Default 2,000: customer messages are short, and the cost of some models grows faster than linearly.
   */
  readonly maxMessageLength?: number;
  /** Told about action failures and log-sink failures; kefu never prints. */
  readonly logger?: Logger;
}

/** Options of one `handle` call. */
export interface HandleOptions {
  /** The channel (`wechat`, `web`, `sms`…): picks per-channel reply variants. */
  readonly channel?: string;
  readonly user?: DialogueUser;
  /** The message time; default the bot's clock. */
  readonly at?: Date | string;
}

/** The bot's answer to one message. */
export interface BotReply {
  readonly session: string;
  readonly turn: number;
  readonly replies: readonly string[];
  /** The accepted intent of the message, or null. */
  readonly intent: string | null;
  readonly decision: TurnDecision;
  /** The active flow after the turn. */
  readonly flow: string | null;
  /** Slots of the flow completed this turn, else of the active flow. */
  readonly slots: Readonly<Record<string, SlotValue>>;
  readonly completed: string | null;
  readonly faq: string | null;
  readonly handoff: null | { readonly reason: string; readonly offline: boolean; readonly summary: AgentSummary };
  /** Actions run this turn, by name. */
  readonly actions: readonly string[];
  readonly effects: readonly DialogueEffect[];
  readonly state: DialogueState;
}

/** A customer-service bot over a session store. */
export interface Bot {
  readonly flowSet: FlowSet;
  /** Handles one customer message: understand, run the reducer, run actions, persist, log. */
  handle(sessionId: string, text: string, options?: HandleOptions): Promise<BotReply>;
  /** Records a satisfaction rating (1–5) for the session in the log. */
  rate(sessionId: string, rating: number, options?: HandleOptions): Promise<void>;
  /** Clears a session's flows and handoff (the agent hands the customer back). */
  reset(sessionId: string): Promise<void>;
  /** The stored state of a session, or null. */
  getState(sessionId: string): Promise<DialogueState | null>;
  /** Closes the store. */
  close(): Promise<void>;
}

const MAX_ACTION_ROUNDS = 5;

/**
 * A bot: the pack's understanding, the pure reducer, the developer's actions and a session store. Concurrent
 * messages of one session never lose an update: each write is conditional on the version read, and a conflict
 * re-reads and re-runs the (pure) reducer. Actions run once, after the state that requested them is stored.
 *
 * @example
 * ```ts
 * const bot = createBot({ pack, actions: { create_return: async ({ slots }) => ({ outcome: 'ok', data: { return_id: 'R1' } }) } });
 * const r = await bot.handle('wechat:u1', '订单202611210001234567的衣服尺码不合适，我要退货');
 * r.replies; // ['亲，为您确认一下：订单 202611210001234567，退货原因“尺码不合适”……确认提交吗？']
 * ```
 */
export function createBot(options: CreateBotOptions): Bot {
  assertOptions(options, 'createBot');
  const pack = options?.pack;
  checkOption(typeof pack === 'object' && pack !== null && Array.isArray(pack.intents), 'createBot', 'pack', pack, 'a pack from loadPack()');
  const actions = options.actions ?? {};
  checkOption(typeof actions === 'object' && Object.values(actions).every((a) => typeof a === 'function'), 'createBot', 'actions', actions, 'an object of async functions');
  const missingActions = options.missingActions ?? 'error';
  checkOption(missingActions === 'error' || missingActions === 'mock', 'createBot', 'missingActions', missingActions, '"error" or "mock"');
  const maxRetries = options.maxRetries ?? 20;
  checkOption(Number.isInteger(maxRetries) && maxRetries >= 0, 'createBot', 'maxRetries', maxRetries, 'a non-negative integer');
  const maxMessageLength = options.maxMessageLength ?? 2000;
  checkOption(Number.isInteger(maxMessageLength) && maxMessageLength > 0, 'createBot', 'maxMessageLength', maxMessageLength, 'a positive integer');
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const now = options.now ?? (() => new Date());
  checkOption(typeof now === 'function', 'createBot', 'now', now, 'a function returning a Date');
  const flowSet = options.flowSet ?? flowSetFromPack(pack, options.policy);
  const missing = [...new Set(flowSet.flows.map((f) => f.action).filter((a): a is string => a !== undefined && !(a in actions)))];
  if (missing.length > 0 && missingActions === 'error') {
    throw new KefuError(
      'INVALID_OPTION',
      `createBot: the flows name actions with no handler: ${missing.join(', ')}. Pass them in options.actions, or missingActions: 'mock' to try the pack without them.`,
      { option: 'actions', missing },
    );
  }
  const nlu = options.nlu ?? createPackNlu(pack, options.model ? { model: options.model } : {});
  checkOption(typeof nlu === 'function', 'createBot', 'nlu', nlu, 'a function (text, context) => Nlu');
  const store: SessionStore<DialogueState> = options.store ?? createMemoryStore<DialogueState>();
  const logger = options.logger;

  /** Read, reduce, conditionally write; on a conflict read again and reduce again (the reducer is pure). */
  async function apply(sessionId: string, event: DialogueEvent): Promise<{ state: DialogueState; effects: readonly DialogueEffect[] }> {
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      const stored = await store.get(sessionId);
      const state = stored !== null && isDialogueState(stored.state) ? stored.state : initialState();
      const r = transition(flowSet, state, event);
      const w = await store.set(sessionId, r.state, stored?.version ?? 0);
      if (w.ok) return r;
    }
    throw new KefuError('SESSION_CONFLICT', `Session "${sessionId}" changed under ${maxRetries + 1} concurrent writes in a row; the message was not applied. Send it again.`, { sessionId, retries: maxRetries });
  }

  async function runAction(sessionId: string, effect: Extract<DialogueEffect, { type: 'action' }>, user: DialogueUser | null): Promise<{ outcome: string; data: Readonly<Record<string, unknown>> }> {
    const handler = actions[effect.name];
    if (!handler) return { outcome: 'ok', data: {} };
    try {
      const r = await handler({ slots: effect.slots, flow: effect.flow, session: sessionId, user });
      const outcome = r && typeof r.outcome === 'string' && r.outcome !== '' ? r.outcome : 'ok';
      const data = r && typeof r.data === 'object' && r.data !== null ? r.data : {};
      return { outcome, data };
    } catch (cause) {
      logger?.('warn', `action "${effect.name}" of flow "${effect.flow}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, 'ACTION_FAILED');
      return { outcome: 'error', data: {} };
    }
  }

  async function writeLog(event: TurnLogEvent): Promise<void> {
    if (!options.log) return;
    try {
      await options.log.write(event);
    } catch (cause) {
      logger?.('warn', `log sink failed: ${cause instanceof Error ? cause.message : String(cause)}`, 'LOG_WRITE_FAILED');
    }
  }

  const toIso = (at: Date | string | undefined): string => {
    if (at === undefined) return now().toISOString();
    const t = at instanceof Date ? at.getTime() : Date.parse(at);
    if (Number.isNaN(t)) throw new KefuError('INVALID_OPTION', `handle: option "at" must be a Date or an ISO 8601 time, got ${String(at)}.`, { option: 'at' });
    return new Date(t).toISOString();
  };

  const checkSession = (sessionId: unknown, fn: string): void => {
    if (typeof sessionId !== 'string' || sessionId === '') {
      throw new KefuError('INVALID_INPUT', `${fn}: sessionId must be a non-empty string, e.g. "wechat:<openid>".`, { name: 'sessionId' });
    }
  };

  /**
   * Messages of one session handled by this bot run one after another (a per-session promise chain), so they do not
   * burn retries on each other; the store's conditional write still protects against other processes.
   */
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(sessionId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(sessionId, tail);
    void tail.then(() => {
      if (queues.get(sessionId) === tail) queues.delete(sessionId);
    });
    return run;
  }

  async function handle(sessionId: string, text: string, opts: HandleOptions = {}): Promise<BotReply> {
    checkSession(sessionId, 'bot.handle');
    return serialized(sessionId, () => handleNow(sessionId, text, opts));
  }

  async function handleNow(sessionId: string, text: string, opts: HandleOptions = {}): Promise<BotReply> {
    assertOptions(opts, 'bot.handle');
    const message = typeof text === 'string' ? text : '';
    const at = toIso(opts.at);
    const channel = opts.channel ?? null;
    const context: NluContext = { now: new Date(at), timeZone, channel };
    let understood: Nlu;
    try {
      understood = nlu(message.length > maxMessageLength ? message.slice(0, maxMessageLength) : message, context);
    } catch (cause) {
      if (typeof text === 'string' && !(cause instanceof KefuError && cause.code === 'INVALID_INPUT')) throw cause;
      understood = { intent: { intent: null, confidence: 0, ranking: [], decision: 'fallback' }, entities: [] };
    }
    const event: DialogueEvent = {
      type: 'user',
      text: message,
      nlu: understood,
      at,
      ...(opts.channel === undefined ? {} : { channel: opts.channel }),
      ...(opts.user === undefined ? {} : { user: opts.user }),
    };
    let r = await apply(sessionId, event);
    const effects: DialogueEffect[] = [...r.effects];
    let pending = r.effects.filter((e): e is Extract<DialogueEffect, { type: 'action' }> => e.type === 'action');
    const ran: string[] = [];
    for (let round = 0; pending.length > 0 && round < MAX_ACTION_ROUNDS; round++) {
      const next: typeof pending = [];
      for (const a of pending) {
        ran.push(a.name);
        const result = await runAction(sessionId, a, r.state.user);
        r = await apply(sessionId, { type: 'action_result', id: a.id, outcome: result.outcome, data: result.data, at });
        effects.push(...r.effects);
        next.push(...r.effects.filter((e): e is Extract<DialogueEffect, { type: 'action' }> => e.type === 'action'));
      }
      pending = next;
    }
    const reply = summarize(sessionId, understood, effects, r.state, ran);
    const lastUser = [...r.state.history].reverse().find((h) => h.role === 'user');
    await writeLog({
      type: 'turn',
      session: sessionId,
      turn: reply.turn,
      time: at,
      channel: r.state.channel,
      user: r.state.user?.id ?? null,
      text: lastUser?.text ?? '',
      intent: reply.intent,
      confidence: understood.intent.confidence,
      decision: reply.decision,
      faq: reply.faq,
      flow: reply.flow,
      slotsFilled: [...new Set(effects.filter((e) => e.type === 'fill').map((e) => (e as Extract<DialogueEffect, { type: 'fill' }>).slot))],
      completed: reply.completed,
      resolved: effects.some((e) => e.type === 'complete' && e.resolved) || reply.faq !== null,
      handoff: reply.handoff ? { reason: reply.handoff.reason } : null,
      emotion: understood.emotion?.label ?? null,
      rating: null,
    });
    return reply;
  }

  async function rate(sessionId: string, rating: number, opts: HandleOptions = {}): Promise<void> {
    checkSession(sessionId, 'bot.rate');
    checkOption(typeof rating === 'number' && Number.isFinite(rating) && rating >= 1 && rating <= 5, 'bot.rate', 'rating', rating, 'a number from 1 to 5');
    const stored = await store.get(sessionId);
    const state = stored !== null && isDialogueState(stored.state) ? stored.state : initialState();
    await writeLog({
      type: 'turn',
      session: sessionId,
      turn: state.turn,
      time: toIso(opts.at),
      channel: opts.channel ?? state.channel,
      user: opts.user?.id ?? state.user?.id ?? null,
      text: '',
      intent: null,
      confidence: 0,
      decision: 'rating',
      faq: null,
      flow: state.stack[state.stack.length - 1]?.flow ?? null,
      slotsFilled: [],
      completed: null,
      resolved: false,
      handoff: null,
      emotion: null,
      rating,
    });
  }

  return {
    flowSet,
    handle,
    rate,
    async reset(sessionId) {
      checkSession(sessionId, 'bot.reset');
      await apply(sessionId, { type: 'reset', at: now().toISOString() });
    },
    async getState(sessionId) {
      checkSession(sessionId, 'bot.getState');
      const stored = await store.get(sessionId);
      return stored !== null && isDialogueState(stored.state) ? stored.state : null;
    },
    close: () => store.close(),
  };
}

function summarize(session: string, nlu: Nlu, effects: readonly DialogueEffect[], state: DialogueState, ran: readonly string[]): BotReply {
  const completedEffect = [...effects].reverse().find((e): e is Extract<DialogueEffect, { type: 'complete' }> => e.type === 'complete');
  const handoffEffect = effects.find((e): e is Extract<DialogueEffect, { type: 'handoff' }> => e.type === 'handoff');
  const faqEffect = effects.find((e): e is Extract<DialogueEffect, { type: 'faq' }> => e.type === 'faq');
  const top = state.stack[state.stack.length - 1];
  const flow = state.handoff === null ? (top?.flow ?? null) : null;
  const replies = effects.filter((e): e is Extract<DialogueEffect, { type: 'reply' }> => e.type === 'reply');
  const has = (type: DialogueEffect['type']): boolean => effects.some((e) => e.type === type);
  const templates = new Set(replies.map((r) => r.template));
  const decision: TurnDecision = handoffEffect
    ? 'handoff'
    : templates.has('handoff_waiting')
      ? 'waiting'
      : has('start') || has('fill') || has('complete') || has('cancel') || has('action') || (top !== undefined && !faqEffect && !has('clarify') && !has('fallback'))
        ? faqEffect && !has('fill') ? 'faq' : 'flow'
        : faqEffect
          ? 'faq'
          : has('clarify')
            ? 'clarify'
            : has('fallback')
              ? 'fallback'
              : templates.has('unhandled') || templates.has('ack')
                ? 'unhandled'
                : 'smalltalk';
  return {
    session,
    turn: state.turn,
    replies: replies.map((r) => r.text),
    intent: nlu.intent.decision === 'accept' ? nlu.intent.intent : null,
    decision,
    flow,
    slots: completedEffect ? completedEffect.slots : (top?.slots ?? {}),
    completed: completedEffect?.flow ?? null,
    faq: faqEffect?.id ?? null,
    handoff: handoffEffect ? { reason: handoffEffect.reason, offline: handoffEffect.offline, summary: handoffEffect.summary } : null,
    actions: ran,
    effects,
    state,
  };
}
