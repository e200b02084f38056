import type { Entity } from '../entities/index.js';
import type { Conversation, ConversationNlu, ConversationTurn, Pack } from '../pack/index.js';
import { createBot, type ActionHandler, type BotReply } from './bot.js';
import type { NluContext, NluFunction } from './nlu.js';
import { createMemoryStore } from './store/index.js';
import type { FlowSet, Nlu } from './types.js';

/** The outcome of one scripted turn. */
export interface ConversationTurnResult {
  readonly turn: number;
  readonly user: string;
  readonly replies: readonly string[];
  readonly flow: string | null;
  readonly slots: Readonly<Record<string, string | number>>;
  /** Every expectation that did not hold, in words; empty when the turn passed. */
  readonly failures: readonly string[];
}

/** The outcome of one conversation. */
export interface ConversationResult {
  readonly name: string;
  readonly passed: boolean;
  readonly turns: readonly ConversationTurnResult[];
}

/** Options of {@link runConversation}. */
export interface RunConversationOptions {
  readonly pack: Pack;
  /** The understanding for turns that do not pin theirs; without it such turns fail. */
  readonly nlu?: NluFunction;
  readonly flowSet?: FlowSet;
}

/** Default start of a scripted conversation: a Saturday morning, inside the bundled pack's service hours. */
export const DEFAULT_CONVERSATION_START = '2026-11-21T10:00:00+08:00';

/** Builds the reducer's understanding from a turn's pinned `nlu:` (entities are located in the text). */
export function pinnedNlu(pack: Pack, text: string, pinned: ConversationNlu): Nlu {
  const intent = pinned.intent ?? null;
  const decision = pinned.decision ?? (intent === null ? 'fallback' : 'accept');
  const names = pinned.ranking ?? (intent === null ? [] : [intent]);
  const ranking = names.map((name, i) => ({ name, confidence: Math.max(0, (pinned.confidence ?? 0.95) - i * 0.05) }));
  const entities: Entity[] = (pinned.entities ?? []).map((e) => {
    const surface = e.text ?? String(e.value);
    const start = text.indexOf(surface);
    return {
      entity: e.entity,
      value: e.value,
      start: start < 0 ? 0 : start,
      end: start < 0 ? 0 : start + surface.length,
      text: start < 0 ? '' : surface,
      source: 'system',
      confidence: 1,
      ...(e.role === undefined ? {} : { role: e.role }),
    };
  });
  const faqEntry = typeof pinned.faq === 'string' ? pack.faq.find((f) => f.id === pinned.faq) : undefined;
  return {
    intent: { intent: decision === 'fallback' ? null : intent, confidence: pinned.confidence ?? (intent === null ? 0.2 : 0.95), ranking, decision },
    entities,
    faq: faqEntry ? { id: faqEntry.id, answer: faqEntry.answer } : null,
    emotion: pinned.emotion ?? null,
  };
}

const sameValue = (a: unknown, b: unknown): boolean => String(a) === String(b);

function check(turn: ConversationTurn, r: BotReply): string[] {
  const e = turn.expect;
  const out: string[] = [];
  const joined = r.replies.join('\n');
  const eq = (what: string, want: unknown, got: unknown): void => {
    if (want !== undefined && want !== got) out.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  eq('intent', e.intent, r.intent);
  eq('flow', e.flow, r.flow);
  eq('completed', e.completed, r.completed);
  eq('faq', e.faq, r.faq);
  eq('handoff', e.handoff, r.handoff?.reason ?? null);
  eq('offline', e.offline, r.handoff?.offline);
  if (e.slots !== undefined) {
    const want = Object.keys(e.slots).sort();
    const got = Object.keys(r.slots).sort();
    const same = want.length === got.length && want.every((k, i) => k === got[i] && sameValue(e.slots?.[k], r.slots[k]));
    if (!same) out.push(`slots: expected ${JSON.stringify(e.slots)}, got ${JSON.stringify(r.slots)}`);
  }
  for (const s of e.replies ?? []) if (!joined.includes(s)) out.push(`replies should contain "${s}": ${JSON.stringify(r.replies)}`);
  for (const s of e.notReplies ?? []) if (joined.includes(s)) out.push(`replies should not contain "${s}": ${JSON.stringify(r.replies)}`);
  for (const s of e.summary ?? []) {
    if (!r.handoff) out.push(`summary should contain "${s}", but there was no handoff`);
    else if (!r.handoff.summary.text.includes(s)) out.push(`summary should contain "${s}":\n${r.handoff.summary.text}`);
  }
  if (e.actions !== undefined && JSON.stringify(e.actions) !== JSON.stringify(r.actions)) {
    out.push(`actions: expected ${JSON.stringify(e.actions)}, got ${JSON.stringify(r.actions)}`);
  }
  return out;
}

/**
 * Plays a scripted conversation against a bot built from the pack (memory store, scripted action results) and
 * checks the expectations of every turn. Turns with a pinned `nlu:` do not depend on any model.
 *
 * @example
 * ```ts
 * const results = await Promise.all(pack.conversations.map((c) => runConversation(c, { pack, nlu })));
 * const failed = results.filter((r) => !r.passed);
 * ```
 */
export async function runConversation(conversation: Conversation, options: RunConversationOptions): Promise<ConversationResult> {
  const { pack } = options;
  let current: ConversationTurn | undefined;
  const nlu: NluFunction = (text: string, context: NluContext) => {
    if (current?.nlu) return pinnedNlu(pack, text, current.nlu);
    if (options.nlu) return options.nlu(text, context);
    return { intent: { intent: null, confidence: 0, ranking: [], decision: 'fallback' }, entities: [] };
  };
  const actions: Record<string, ActionHandler> = {};
  for (const flow of options.flowSet?.flows ?? pack.flows ?? []) {
    if (flow.action === undefined) continue;
    const scripted = conversation.actions[flow.action];
    actions[flow.action] = async () => (scripted ? { outcome: scripted.outcome, data: scripted.data ?? {} } : { outcome: 'ok', data: {} });
  }
  const bot = createBot({
    pack,
    nlu,
    actions,
    store: createMemoryStore(),
    ...(options.flowSet ? { flowSet: options.flowSet } : {}),
  });
  const turns: ConversationTurnResult[] = [];
  let at = Date.parse(conversation.start ?? DEFAULT_CONVERSATION_START);
  try {
    for (const [i, turn] of conversation.turns.entries()) {
      current = turn;
      at = turn.at !== undefined ? Date.parse(turn.at) : i === 0 ? at : at + 60_000;
      const failures: string[] = [];
      if (!turn.nlu && !options.nlu) failures.push('this turn pins no nlu: and no model was given');
      const channel = turn.channel ?? conversation.channel;
      const r = await bot.handle('conversation', turn.user, {
        at: new Date(at),
        ...(channel === undefined ? {} : { channel }),
        ...(conversation.user === undefined ? {} : { user: conversation.user }),
      });
      failures.push(...check(turn, r));
      turns.push({ turn: i + 1, user: turn.user, replies: r.replies, flow: r.flow, slots: r.slots, failures });
    }
  } finally {
    await bot.close();
  }
  return { name: conversation.name, passed: turns.every((t) => t.failures.length === 0), turns };
}
