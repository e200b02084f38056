import type { Entity } from '../entities/index.js';
import type { FlowDef, SlotDef } from '../pack/index.js';
import { createNormalizer, type Normalizer } from '../text/index.js';
import { isWithinServiceHours } from './hours.js';
import { maskEntities, maskValue } from './mask.js';
import { initialState, isDialogueState } from './state.js';
import { renderTemplate, resolveReply, type TemplateVars } from './template.js';
import type {
  AgentSummary,
  DialogueEffect,
  DialogueEvent,
  DialogueState,
  FlowFrame,
  FlowSet,
  FlowStep,
  HistoryTurn,
  Nlu,
  SeenEntity,
  SlotValue,
  Transition,
} from './types.js';

/**
 * Replies the reducer needs when the pack has no response of that id. A pack overrides any of them under
 * `responses:` with the same id (and may add per-channel variants).
 */
export const DEFAULT_REPLIES: Readonly<Record<string, string>> = {
  fallback: '抱歉亲，小客没太理解您的意思，能换个说法再描述一下吗？',
  clarify: '亲，请问您是想{option_a}，还是想{option_b}呢？',
  handoff: '好的亲，正在为您转接人工客服，请稍候～',
  handoff_complaint: '非常抱歉给您带来了不好的体验，小客马上为您转接人工客服专员处理，请稍候～',
  handoff_offline: '亲，现在是人工客服的休息时间（服务时间 {open}-{close}），您的问题小客已经为您留言登记，人工客服上班后会第一时间联系您～',
  handoff_waiting: '亲，正在为您转接人工客服，请稍候，您可以先把问题详细描述一下哦～',
  flow_cancelled: '好的亲，{flow}已为您取消～还有其他可以帮您的吗？',
  flow_resume: '咱们继续刚才的{flow}哦～',
  flow_restart: '好的亲，咱们重新办理{flow}～',
  flow_done: '好的亲，{flow}已为您办理好了～',
  flow_error: '抱歉亲，系统开了个小差，{flow}暂时没有办成，请您稍后再试，或者说“转人工”由人工客服为您处理～',
  flow_busy: '亲，正在为您处理中，请稍候～',
  confirm_reprompt: '亲，请回复“确认”继续办理，或者回复“取消”放弃哦～',
  slot_offer: '亲，请问还是刚才的{value}吗？',
  slot_invalid: '亲，“{value}”好像不太对哦～',
  timeout: '亲，由于您较长时间没有回复，刚才的{flow}已自动结束了～',
  unhandled: '亲，这个问题小客暂时还不能直接为您办理，您可以说“转人工”由人工客服为您处理哦～',
  ack: '好的亲～请问还有什么可以帮您的吗？',
};

const REASON_TEXT: Readonly<Record<string, string>> = {
  explicit: '客户主动要求转人工',
  fallback: '机器人连续多次未能理解客户的问题',
  complaint: '客户投诉',
  negative_sentiment: '客户情绪激动',
  vip: 'VIP 客户优先由人工服务',
  max_attempts: '多次未能收集到办理所需信息',
  action_error: '业务办理失败',
  not_eligible: '不符合自助办理条件，需要人工处理',
};

const MAX_STACK = 4;
const MAX_INTENTS = 20;
const MAX_ENTITIES = 20;
const MAX_TEXT = 500;
const MAX_SLOT_TEXT = 200;
const ACTIONS_PER_TURN = 5;

interface Compiled {
  readonly cancel: readonly RegExp[];
  readonly restart: readonly RegExp[];
  readonly normalizer: Normalizer | null;
  readonly byName: ReadonlyMap<string, FlowDef>;
  readonly byIntent: ReadonlyMap<string, FlowDef>;
  readonly validators: ReadonlyMap<string, RegExp>;
}

/** Per-flow-set compiled regexes and indexes; the flow set itself stays plain data. */
const compiledCache = new WeakMap<FlowSet, Compiled>();

function compile(set: FlowSet): Compiled {
  const hit = compiledCache.get(set);
  if (hit) return hit;
  const re = (p: string, flags: string): RegExp | null => {
    try {
      return new RegExp(p, flags.includes('u') ? flags : `${flags}u`);
    } catch {
      return null;
    }
  };
  const validators = new Map<string, RegExp>();
  for (const f of set.flows) {
    for (const s of f.slots) {
      if (s.validate?.pattern === undefined) continue;
      const r = re(s.validate.pattern, s.validate.flags ?? '');
      if (r) validators.set(`${f.name}\u0000${s.name}`, r);
    }
  }
  const c: Compiled = {
    cancel: set.policy.cancelPatterns.map((p) => re(p, 'i')).filter((r): r is RegExp => r !== null),
    restart: set.policy.restartPatterns.map((p) => re(p, 'i')).filter((r): r is RegExp => r !== null),
    normalizer: set.normalize ? createNormalizer() : null,
    byName: new Map(set.flows.map((f) => [f.name, f])),
    byIntent: new Map(set.flows.flatMap((f) => f.intents.map((i) => [i, f] as const))),
    validators,
  };
  compiledCache.set(set, c);
  return c;
}

interface Draft {
  turn: number;
  startedAt: string | null;
  lastAt: string | null;
  channel: string | null;
  user: DialogueState['user'];
  stack: FlowFrame[];
  memory: Record<string, SlotValue>;
  clarify: DialogueState['clarify'];
  fallbacks: number;
  intents: string[];
  history: HistoryTurn[];
  entities: SeenEntity[];
  handoff: DialogueState['handoff'];
  emotion: string | null;
}

/** Everything one transition works with; `effects` collects what the caller must do. */
class Turn {
  readonly effects: DialogueEffect[] = [];
  readonly c: Compiled;
  constructor(
    readonly set: FlowSet,
    readonly s: Draft,
    readonly at: string,
  ) {
    this.c = compile(set);
  }

  get top(): FlowFrame | undefined {
    return this.s.stack[this.s.stack.length - 1];
  }

  flowOf(frame: FlowFrame | undefined): FlowDef | undefined {
    return frame ? this.c.byName.get(frame.flow) : undefined;
  }

  setTop(frame: FlowFrame): void {
    this.s.stack[this.s.stack.length - 1] = frame;
  }

  display(flow: FlowDef, slot: string, value: SlotValue): string {
    const def = flow.slots.find((x) => x.name === slot);
    const map = def ? this.set.display[def.entity] : undefined;
    return map?.[String(value)] ?? String(value);
  }

  vars(frame: FlowFrame | undefined, extra: TemplateVars = {}): TemplateVars {
    const flow = this.flowOf(frame);
    const v: Record<string, unknown> = {};
    if (flow && frame) {
      v.flow = flow.label;
      for (const [k, x] of Object.entries(frame.slots)) v[k] = this.display(flow, k, x);
    }
    return { ...v, ...extra };
  }

  say(ref: string, vars: TemplateVars = {}): void {
    const seed = this.s.turn + this.effects.length;
    const r = resolveReply(ref, this.set.responses, { channel: this.s.channel, seed }) ??
      (DEFAULT_REPLIES[ref] !== undefined ? { text: DEFAULT_REPLIES[ref], template: ref } : { text: ref, template: null });
    const text = renderTemplate(r.text, vars).trim();
    if (text !== '') this.effects.push({ type: 'reply', text, template: r.template });
  }

  /** True when a response id exists in the pack (or as a default reply). */
  hasReply(id: string): boolean {
    return id in this.set.responses || id in DEFAULT_REPLIES;
  }

  // ---- slots -------------------------------------------------------------------------------------------------

  isNeeded(flow: FlowDef, frame: FlowFrame, slot: SlotDef): boolean {
    if (!slot.required || slot.name in frame.slots) return false;
    return !slot.requiredUnless.some((o) => o in frame.slots);
  }

  validate(flow: FlowDef, slot: SlotDef, value: SlotValue): boolean {
    const text = String(value);
    const v = slot.validate;
    if (!v) return true;
    const len = [...text].length;
    if (v.minLength !== undefined && len < v.minLength) return false;
    if (v.maxLength !== undefined && len > v.maxLength) return false;
    if (v.values !== undefined && !v.values.includes(text)) return false;
    const re = this.c.validators.get(`${flow.name}\u0000${slot.name}`);
    if (re) {
      re.lastIndex = 0;
      if (!re.test(text)) return false;
    }
    return true;
  }

  /**
   * Fills slots of the active flow from the message's entities: first the empty slots, then corrections of filled
   * ones with entities left over. Returns the names filled and the values rejected by validation.
   */
  fill(entities: readonly Entity[]): { filled: string[]; invalid: { slot: string; value: SlotValue }[] } {
    const frame = this.top;
    const flow = this.flowOf(frame);
    const filled: string[] = [];
    const invalid: { slot: string; value: SlotValue }[] = [];
    if (!frame || !flow) return { filled, invalid };
    const used = new Set<number>();
    const slots = { ...frame.slots };
    const pass = (empty: boolean): void => {
      for (const slot of flow.slots) {
        if (empty === slot.name in slots) continue;
        const i = entities.findIndex((e, j) => !used.has(j) && e.entity === slot.entity && (slot.role === undefined || e.role === slot.role));
        if (i < 0) continue;
        used.add(i);
        const value = (entities[i] as Entity).value;
        if (!empty && slots[slot.name] === value) continue;
        if (!this.validate(flow, slot, value)) {
          invalid.push({ slot: slot.name, value });
          continue;
        }
        slots[slot.name] = value;
        filled.push(slot.name);
        this.effects.push({ type: 'fill', flow: flow.name, slot: slot.name, value, correction: !empty });
      }
    };
    pass(true);
    pass(false);
    if (filled.length > 0) this.setTop({ ...frame, slots });
    return { filled, invalid };
  }

  fillOne(slot: SlotDef, value: SlotValue, correction = false): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    this.setTop({ ...frame, slots: { ...frame.slots, [slot.name]: value } });
    this.effects.push({ type: 'fill', flow: flow.name, slot: slot.name, value, correction });
  }

  /** Says what the active flow needs now (the pending slot's prompt, the confirmation, …). */
  prompt(): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    const step = frame.step;
    if (step.kind === 'slot') {
      const slot = flow.slots.find((x) => x.name === step.slot);
      if (!slot) return;
      if (step.offered !== undefined) {
        this.say('slot_offer', this.vars(frame, { value: this.display(flow, slot.name, step.offered) }));
        return;
      }
      const ref = step.attempts > 0 ? (slot.reprompts[Math.min(step.attempts, slot.reprompts.length) - 1] ?? slot.prompt) : slot.prompt;
      if (ref !== undefined) this.say(ref, this.vars(frame));
    } else if (step.kind === 'confirm') {
      if (step.attempts > 0) this.say('confirm_reprompt', this.vars(frame));
      if (flow.confirm !== undefined) this.say(flow.confirm, this.vars(frame));
    } else {
      this.say('flow_busy', this.vars(frame));
    }
  }

  /** Moves the active flow to its next step: the next missing slot, the confirmation, the action or completion. */
  advance(): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    const next = flow.slots.find((slot) => this.isNeeded(flow, frame, slot));
    if (next) {
      const suspended = this.s.stack.slice(0, -1).reverse().find((f) => f.slots[next.name] !== undefined);
      const remembered = suspended?.slots[next.name] ?? this.s.memory[next.name];
      const offered = next.carry && remembered !== undefined && this.validate(flow, next, remembered) ? remembered : undefined;
      const step: FlowStep = offered === undefined ? { kind: 'slot', slot: next.name, attempts: 0 } : { kind: 'slot', slot: next.name, attempts: 0, offered };
      this.setTop({ ...frame, step });
      this.prompt();
      return;
    }
    if (flow.confirm !== undefined && frame.step.kind !== 'confirm') {
      this.setTop({ ...frame, step: { kind: 'confirm', attempts: 0 } });
      this.prompt();
      return;
    }
    this.execute();
  }

  /** Runs the flow's action (as an effect for the caller), or completes a flow without one. */
  execute(): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    const actionsThisTurn = this.effects.filter((e) => e.type === 'action').length;
    if (flow.action !== undefined && actionsThisTurn < ACTIONS_PER_TURN) {
      const id = `${flow.name}#${this.s.turn}.${this.effects.length}`;
      this.setTop({ ...frame, step: { kind: 'action', id } });
      this.effects.push({ type: 'action', id, name: flow.action, flow: flow.name, slots: frame.slots });
      return;
    }
    this.complete('ok', {});
  }

  /** Applies an action's outcome (or completes with `ok` when the flow has no action). */
  complete(outcome: string, data: Readonly<Record<string, unknown>>): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    const declared = flow.outcomes[outcome];
    const vars = this.vars(frame, data);
    if (declared?.retry !== undefined) {
      const slots = { ...frame.slots };
      delete slots[declared.retry];
      if (declared.reply !== undefined) this.say(declared.reply, vars);
      this.setTop({ flow: frame.flow, slots, step: { kind: 'slot', slot: declared.retry, attempts: 0 } });
      this.prompt();
      return;
    }
    const ok = outcome === 'ok';
    const resolved = declared?.resolved ?? ok;
    const reply = declared?.reply ?? (ok ? (flow.reply ?? (flow.handoff === undefined ? 'flow_done' : undefined)) : (flow.outcomes.error?.reply ?? 'flow_error'));
    this.s.stack.pop();
    this.remember(flow, frame);
    this.effects.push({ type: 'complete', flow: flow.name, outcome, slots: frame.slots, resolved });
    const handoff = declared?.handoff ?? (ok ? flow.handoff : flow.outcomes.error?.handoff);
    // Outside service hours the offline notice replaces a "transferring you now" reply.
    const offline = handoff !== undefined && !isWithinServiceHours(this.set.policy.handoff.serviceHours, this.at);
    if (reply !== undefined && !(offline && reply === 'handoff')) this.say(reply, vars);
    if (handoff !== undefined) {
      // A pure handoff flow (转人工) is not what the agent needs to see: the interrupted task is.
      this.handoff(handoff, flow.slots.length === 0 ? (this.top ?? frame) : frame);
      return;
    }
    if (declared?.next !== undefined) {
      this.start(declared.next, [], frame.slots);
      return;
    }
    this.resume();
  }

  /** After a flow ends, the suspended one (if any) continues with its pending question. */
  resume(): void {
    if (!this.top) return;
    this.say('flow_resume', this.vars(this.top));
    this.prompt();
  }

  cancel(reason: 'user' | 'max_attempts', quiet = false): void {
    const frame = this.top;
    const flow = this.flowOf(frame);
    if (!frame || !flow) return;
    this.s.stack.pop();
    this.remember(flow, frame);
    this.effects.push({ type: 'cancel', flow: flow.name, reason });
    if (quiet) this.say('flow_cancelled', this.vars(frame));
    else {
      this.say(flow.cancelled ?? 'flow_cancelled', this.vars(frame));
      this.resume();
    }
  }

  /** Keeps the flow's carried slot values for later flows of the session (an order id given once). */
  remember(flow: FlowDef, frame: FlowFrame): void {
    for (const slot of flow.slots) {
      const v = frame.slots[slot.name];
      if (slot.carry && v !== undefined) this.s.memory[slot.name] = v;
    }
  }

  /** Starts a flow, filling its slots from the message (and slots carried from a previous flow). */
  start(name: string, entities: readonly Entity[], carried: Readonly<Record<string, SlotValue>> = {}): void {
    const flow = this.c.byName.get(name);
    if (!flow) return;
    const top = this.top;
    if (top?.flow === name) {
      this.fill(entities);
      this.advance();
      return;
    }
    if (this.s.stack.length >= MAX_STACK) this.s.stack.shift();
    const slots: Record<string, SlotValue> = {};
    for (const slot of flow.slots) {
      const v = carried[slot.name];
      if (v !== undefined && this.validate(flow, slot, v)) slots[slot.name] = v;
    }
    this.s.stack.push({ flow: name, slots, step: { kind: 'slot', slot: flow.slots[0]?.name ?? '', attempts: 0 } });
    this.effects.push({ type: 'start', flow: name });
    const { invalid } = this.fill(entities);
    for (const x of invalid) this.say(flow.slots.find((s) => s.name === x.slot)?.invalid ?? 'slot_invalid', this.vars(this.top, { value: String(x.value) }));
    this.advance();
  }

  // ---- handoff -----------------------------------------------------------------------------------------------

  handoff(reason: string, context?: FlowFrame): void {
    const hours = this.set.policy.handoff.serviceHours;
    const offline = !isWithinServiceHours(hours, this.at);
    const summary = this.summary(reason, offline, context ?? this.top);
    this.s.handoff = { reason, at: this.at, offline };
    this.s.clarify = null;
    if (offline) this.say('handoff_offline', { open: hours?.open ?? '', close: hours?.close ?? '' });
    else if ((reason === 'complaint' || reason === 'negative_sentiment') && this.hasReply('handoff_complaint')) this.say('handoff_complaint');
    else if (!this.effects.some((e) => e.type === 'reply' && e.template === 'handoff')) this.say('handoff');
    this.effects.push({ type: 'handoff', reason, offline, summary });
  }

  summary(reason: string, offline: boolean, frame: FlowFrame | undefined): AgentSummary {
    const flow = this.flowOf(frame);
    const mask = this.set.policy.maskEntities;
    const filled: Record<string, string> = {};
    const missing: string[] = [];
    if (flow && frame) {
      for (const slot of flow.slots) {
        const v = frame.slots[slot.name];
        if (v !== undefined) {
          const shown = this.display(flow, slot.name, v);
          filled[slot.name] = mask.includes(slot.entity) ? maskValue(slot.entity, String(v)) : shown;
        } else if (this.isNeeded(flow, frame, slot)) missing.push(slot.name);
      }
    }
    const lastTurns = this.s.history.slice(-this.set.policy.historyTurns);
    const reasonText = REASON_TEXT[reason] ?? reason;
    const lines = [
      `转人工原因：${reasonText}${offline ? '（非服务时间，已转留言）' : ''}`,
      this.s.user?.id !== undefined ? `客户：${this.s.user.id}${this.s.user.vip ? '（VIP）' : ''}` : this.s.user?.vip ? '客户：VIP' : '',
      `意图：${this.s.intents.join('、') || '无'}`,
      flow ? `办理中：${flow.label}（${flow.name}）` : '',
      Object.keys(filled).length ? `已收集：${Object.entries(filled).map(([k, v]) => `${k}=${v}`).join('，')}` : '',
      missing.length ? `待收集：${missing.join('，')}` : '',
      this.s.entities.length ? `识别到：${this.s.entities.map((e) => `${e.entity}=${e.value}`).join('，')}` : '',
      this.s.emotion && this.s.emotion !== 'neutral' ? `情绪：${this.s.emotion}` : '',
      '最近对话：',
      ...lastTurns.map((h) => `  ${h.role === 'user' ? '客户' : '客服'}：${h.text}`),
    ].filter((l) => l !== '');
    return {
      reason,
      reasonText,
      offline,
      user: this.s.user,
      channel: this.s.channel,
      intents: [...this.s.intents],
      flow: flow?.name ?? null,
      filled,
      missing,
      lastTurns,
      entities: [...this.s.entities],
      emotion: this.s.emotion,
      turns: this.s.turn,
      startedAt: this.s.startedAt,
      text: lines.join('\n'),
    };
  }
}

function toDraft(state: DialogueState): Draft {
  const copy = JSON.parse(JSON.stringify(state)) as DialogueState;
  return {
    turn: copy.turn,
    startedAt: copy.startedAt,
    lastAt: copy.lastAt,
    channel: copy.channel,
    user: copy.user,
    stack: [...copy.stack],
    memory: { ...copy.memory },
    clarify: copy.clarify,
    fallbacks: copy.fallbacks,
    intents: [...copy.intents],
    history: [...copy.history],
    entities: [...copy.entities],
    handoff: copy.handoff,
    emotion: copy.emotion,
  };
}

function fromDraft(d: Draft, historyTurns: number): DialogueState {
  return {
    version: 1,
    turn: d.turn,
    startedAt: d.startedAt,
    lastAt: d.lastAt,
    channel: d.channel,
    user: d.user,
    stack: d.stack,
    memory: d.memory,
    clarify: d.clarify,
    fallbacks: d.fallbacks,
    intents: d.intents.slice(-MAX_INTENTS),
    history: d.history.slice(-historyTurns * 2),
    entities: d.entities.slice(-MAX_ENTITIES),
    handoff: d.handoff,
    emotion: d.emotion,
  };
}

const clip = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
};

/** Drops lone surrogates and control characters so stored text always survives JSON and terminals. */
const clean = (text: string): string =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '').split('').filter((ch) => {
    const c = ch.charCodeAt(0);
    return c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127);
  }).join('');

const validTime = (at: unknown): at is string => typeof at === 'string' && !Number.isNaN(Date.parse(at));

/** Repairs an NLU result from outside: unknown shapes read as "not understood", bad entities are dropped. */
function sanitizeNlu(nlu: unknown, text: string): Nlu {
  const o = (typeof nlu === 'object' && nlu !== null ? nlu : {}) as Partial<Record<keyof Nlu, unknown>>;
  const i = (typeof o.intent === 'object' && o.intent !== null ? o.intent : {}) as Record<string, unknown>;
  const decision = i.decision === 'accept' || i.decision === 'clarify' ? i.decision : 'fallback';
  const ranking = Array.isArray(i.ranking)
    ? i.ranking.filter((r): r is { name: string; confidence: number } => typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string').map((r) => ({ name: r.name, confidence: Number.isFinite(r.confidence) ? r.confidence : 0 }))
    : [];
  const entities = Array.isArray(o.entities)
    ? (o.entities as unknown[]).filter((e): e is Entity => {
        if (typeof e !== 'object' || e === null) return false;
        const x = e as Record<string, unknown>;
        return typeof x.entity === 'string' && (typeof x.value === 'string' || (typeof x.value === 'number' && Number.isFinite(x.value)));
      }).map((e) => (typeof e.value === 'string' ? { ...e, value: clean(clip(e.value, MAX_SLOT_TEXT)) } : e))
    : [];
  const faq = typeof o.faq === 'object' && o.faq !== null && typeof (o.faq as { id?: unknown }).id === 'string' && typeof (o.faq as { answer?: unknown }).answer === 'string' ? (o.faq as { id: string; answer: string }) : null;
  const emotion = typeof o.emotion === 'object' && o.emotion !== null && typeof (o.emotion as { label?: unknown }).label === 'string' ? (o.emotion as { label: string; confidence: number }) : null;
  return {
    intent: {
      intent: typeof i.intent === 'string' && decision !== 'fallback' ? i.intent : null,
      confidence: typeof i.confidence === 'number' && Number.isFinite(i.confidence) ? i.confidence : 0,
      ranking,
      decision,
    },
    entities,
    faq,
    emotion,
    ...(typeof o.maskedText === 'string' ? { maskedText: o.maskedText } : { maskedText: text }),
  };
}

/**
 * The dialogue reducer: a pure function from a state and an event to the next state and the effects the caller must
 * carry out (send replies, run actions, hand over). It never throws on bad input: a malformed state starts afresh,
 * a malformed event is read as an empty or not-understood message.
 *
 * @example
 * ```ts
 * let state = initialState();
 * const { state: next, effects } = transition(flowSet, state, {
 *   type: 'user', text: '我要退货', at: new Date().toISOString(),
 *   nlu: { intent: { intent: 'return_goods', confidence: 0.98, ranking: [], decision: 'accept' }, entities: [] },
 * });
 * // effects: [{ type: 'start', flow: 'return_goods' }, { type: 'reply', text: '请问您的订单号是多少呢？', … }]
 * ```
 */
export function transition(flowSet: FlowSet, state: DialogueState, event: DialogueEvent): Transition {
  const start = isDialogueState(state) ? state : initialState();
  const ev = (typeof event === 'object' && event !== null ? event : { type: 'tick', at: '' }) as DialogueEvent;
  const at = validTime(ev.at) ? new Date(Date.parse(ev.at)).toISOString() : (start.lastAt ?? new Date(0).toISOString());
  const t = new Turn(flowSet, toDraft(start), at);
  const historyTurns = flowSet.policy.historyTurns;

  // Session timeout: an idle session starts over before the new event is read.
  const last = t.s.lastAt === null ? NaN : Date.parse(t.s.lastAt);
  if (!Number.isNaN(last) && Date.parse(at) - last > flowSet.policy.timeoutMinutes * 60_000) {
    const active = t.top;
    const flow = t.flowOf(active);
    const hadWork = t.s.stack.length > 0 || t.s.handoff !== null;
    for (const f of [...t.s.stack].reverse()) t.effects.push({ type: 'cancel', flow: f.flow, reason: 'timeout' });
    if (hadWork) t.effects.push({ type: 'timeout' });
    if (flow && ev.type === 'user') t.say('timeout', t.vars(active));
    const fresh = toDraft(initialState());
    Object.assign(t.s, { ...fresh, user: t.s.user, channel: t.s.channel, turn: t.s.turn });
  }

  if (ev.type === 'user') onUser(t, ev);
  else if (ev.type === 'action_result') onActionResult(t, ev);
  else if (ev.type === 'reset') {
    for (const f of [...t.s.stack].reverse()) t.effects.push({ type: 'cancel', flow: f.flow, reason: 'reset' });
    Object.assign(t.s, { stack: [], clarify: null, handoff: null, fallbacks: 0 });
  }
  if (ev.type !== 'action_result' || t.s.lastAt === null) t.s.lastAt = at;

  const replies = t.effects.filter((e): e is Extract<DialogueEffect, { type: 'reply' }> => e.type === 'reply').map((e) => e.text);
  if (replies.length > 0 && ev.type !== 'tick') t.s.history.push({ role: 'bot', text: clip(replies.join('\n'), MAX_TEXT), turn: t.s.turn });
  return { state: fromDraft(t.s, historyTurns), effects: t.effects };
}

function onActionResult(t: Turn, ev: Extract<DialogueEvent, { type: 'action_result' }>): void {
  const frame = t.top;
  if (!frame || frame.step.kind !== 'action' || frame.step.id !== ev.id) return;
  const data = typeof ev.data === 'object' && ev.data !== null ? ev.data : {};
  t.complete(typeof ev.outcome === 'string' && ev.outcome !== '' ? ev.outcome : 'error', data);
}

function onUser(t: Turn, ev: Extract<DialogueEvent, { type: 'user' }>): void {
  const policy = t.set.policy;
  const raw = typeof ev.text === 'string' ? ev.text : '';
  const nlu = sanitizeNlu(ev.nlu, raw);
  const firstMessage = t.s.turn === 0 || t.s.startedAt === null;
  t.s.turn += 1;
  t.s.startedAt ??= t.at;
  if (typeof ev.channel === 'string') t.s.channel = ev.channel;
  if (typeof ev.user === 'object' && ev.user !== null) {
    t.s.user = {
      ...(typeof ev.user.id === 'string' ? { id: clip(clean(ev.user.id), 100) } : {}),
      ...(typeof ev.user.vip === 'boolean' ? { vip: ev.user.vip } : {}),
    };
  }

  // Record the turn (masked) for the agent summary.
  const masked = nlu.maskedText !== raw && nlu.maskedText !== undefined ? nlu.maskedText : maskEntities(raw, nlu.entities, policy.maskEntities);
  t.s.history.push({ role: 'user', text: clip(clean(masked), MAX_TEXT), turn: t.s.turn });
  const relevant = new Set([...policy.maskEntities, ...t.set.flows.flatMap((f) => f.slots.map((x) => x.entity))]);
  for (const e of nlu.entities) {
    if (!relevant.has(e.entity)) continue;
    const value = policy.maskEntities.includes(e.entity) ? maskValue(e.entity, String(e.value)) : String(e.value);
    t.s.entities.push({ entity: e.entity, value, turn: t.s.turn });
  }
  const intent = nlu.intent.decision === 'accept' ? nlu.intent.intent : null;
  if (intent !== null && t.s.intents[t.s.intents.length - 1] !== intent) t.s.intents.push(intent);
  t.s.emotion = nlu.emotion?.label ?? null;

  // Already with a person: the bot only acknowledges.
  if (t.s.handoff !== null) {
    t.say('handoff_waiting');
    return;
  }

  // Handoff triggers that override everything else.
  const h = policy.handoff;
  if (h.vip && firstMessage && t.s.user?.vip === true) return t.handoff('vip');
  if (intent !== null && h.complaintIntents.includes(intent)) return t.handoff('complaint');
  if (nlu.emotion && h.negativeEmotions.includes(nlu.emotion.label) && nlu.emotion.confidence >= h.emotionThreshold) return t.handoff('negative_sentiment');
  if (intent !== null && h.explicitIntents.includes(intent) && !t.c.byIntent.has(intent)) return t.handoff('explicit');

  const text = t.c.normalizer ? t.c.normalizer.normalize(raw).text : raw;
  const matches = (res: readonly RegExp[]): boolean => res.some((r) => ((r.lastIndex = 0), r.test(text)));

  // A pending clarification: the answer picks one of the options.
  if (t.s.clarify !== null) {
    const { options, entities } = t.s.clarify;
    t.s.clarify = null;
    const chosen = pickOption(t, options, intent, text);
    if (chosen !== null) {
      t.s.fallbacks = 0;
      return startIntent(t, chosen, [...entities, ...nlu.entities]);
    }
    if (intent !== null && policy.denyIntents.includes(intent)) {
      t.s.fallbacks = 0;
      if (t.top) t.prompt();
      else t.say('ack');
      return;
    }
  }

  const frame = t.top;
  const flow = t.flowOf(frame);
  if (frame && flow) return inFlow(t, frame, flow, nlu, intent, raw, matches);
  return outOfFlow(t, nlu, intent);
}

function pickOption(t: Turn, options: readonly string[], intent: string | null, text: string): string | null {
  if (intent !== null && options.includes(intent)) return intent;
  const labels = options.map((o) => t.c.byIntent.get(o)?.label ?? o);
  const hits = options.filter((_, i) => text.includes(labels[i] as string));
  if (hits.length === 1) return hits[0] as string;
  if (/第一|前者|第1|^1$|上一个|前面/.test(text)) return options[0] ?? null;
  if (/第二|后者|第2|^2$|后面/.test(text)) return options[1] ?? null;
  return null;
}

/** Acts on an understood intent: start its flow, answer small talk, or say it cannot be handled here. */
function startIntent(t: Turn, intent: string, entities: readonly Entity[]): void {
  const flow = t.c.byIntent.get(intent);
  if (flow) return t.start(flow.name, entities);
  if (t.set.policy.smalltalkIntents.includes(intent) && intent in t.set.responses) return t.say(intent);
  if (t.set.policy.handoff.explicitIntents.includes(intent)) return t.handoff('explicit');
  if (t.set.policy.affirmIntents.includes(intent) || t.set.policy.denyIntents.includes(intent)) return t.say('ack');
  t.say('unhandled');
}

function answerFaq(t: Turn, faq: NonNullable<Nlu['faq']>): void {
  t.effects.push({ type: 'faq', id: faq.id });
  const text = faq.answer.trim();
  if (text !== '') t.effects.push({ type: 'reply', text, template: null });
}

function clarifyOptions(t: Turn, nlu: Nlu): string[] {
  const handled = (name: string): boolean => t.c.byIntent.has(name) || (t.set.policy.smalltalkIntents.includes(name) && name in t.set.responses);
  // The classifier hesitated among its top three; only options the bot can act on are offered.
  return nlu.intent.ranking.slice(0, 3).map((r) => r.name).filter(handled).slice(0, 2);
}

function askClarify(t: Turn, options: readonly string[], entities: readonly Entity[]): void {
  const label = (o: string): string => t.c.byIntent.get(o)?.label ?? o;
  t.s.clarify = { options: [...options], entities: [...entities] };
  t.effects.push({ type: 'clarify', options: [...options] });
  t.say('clarify', { option_a: label(options[0] as string), option_b: label(options[1] as string) });
}

function fallback(t: Turn): void {
  t.s.fallbacks += 1;
  const max = t.set.policy.handoff.maxFallbacks;
  t.effects.push({ type: 'fallback', count: t.s.fallbacks });
  if (max > 0 && t.s.fallbacks >= max) return t.handoff('fallback');
  t.say('fallback');
}

function outOfFlow(t: Turn, nlu: Nlu, intent: string | null): void {
  if (nlu.faq) {
    t.s.fallbacks = 0;
    return answerFaq(t, nlu.faq);
  }
  if (nlu.intent.decision === 'clarify') {
    const options = clarifyOptions(t, nlu);
    if (options.length === 2) {
      t.s.fallbacks = 0;
      return askClarify(t, options, nlu.entities);
    }
    const top = options[0];
    if (top !== undefined) {
      t.s.fallbacks = 0;
      return startIntent(t, top, nlu.entities);
    }
  }
  if (intent === null) return fallback(t);
  t.s.fallbacks = 0;
  startIntent(t, intent, nlu.entities);
}

function inFlow(
  t: Turn,
  frame: FlowFrame,
  flow: FlowDef,
  nlu: Nlu,
  intent: string | null,
  raw: string,
  matches: (res: readonly RegExp[]) => boolean,
): void {
  const policy = t.set.policy;
  const step = frame.step;
  if (step.kind === 'action') {
    t.say('flow_busy', t.vars(frame));
    return;
  }
  if (matches(t.c.restart)) {
    t.effects.push({ type: 'cancel', flow: flow.name, reason: 'restart' });
    t.s.stack.pop();
    t.say('flow_restart', t.vars(frame));
    t.start(flow.name, nlu.entities);
    return;
  }
  const isAffirm = intent !== null && policy.affirmIntents.includes(intent);
  const isDeny = intent !== null && policy.denyIntents.includes(intent);
  const otherFlow = intent !== null ? t.c.byIntent.get(intent) : undefined;
  const switching = otherFlow !== undefined && otherFlow.name !== flow.name;
  const smalltalk = intent !== null && policy.smalltalkIntents.includes(intent) && intent in t.set.responses;

  // 算了，不退了（帮我开发票）: cancel, then take up what else the message asks for.
  if (matches(t.c.cancel)) {
    t.cancel('user', switching);
    if (switching && intent !== null) startIntent(t, intent, nlu.entities);
    return;
  }

  // Entities of the message fill (or correct) the active flow's slots, unless it asks for another flow.
  const { filled, invalid } = switching ? { filled: [], invalid: [] } : t.fill(nlu.entities);
  if (filled.length > 0) t.s.fallbacks = 0;

  if (step.kind === 'confirm') {
    if (filled.length > 0) {
      const updated = t.top as FlowFrame;
      t.setTop({ ...updated, step: { kind: 'slot', slot: '', attempts: 0 } });
      return t.advance();
    }
    if (isAffirm) return t.execute();
    if (isDeny || (intent !== null && policy.cancelIntents.includes(intent))) return t.cancel('user');
    return sideTurn(t, frame, flow, nlu, intent, switching, smalltalk, () => {
      const attempts = step.attempts + 1;
      if (attempts >= 3) {
        t.s.stack.pop();
        t.effects.push({ type: 'cancel', flow: flow.name, reason: 'max_attempts' });
        return t.handoff('max_attempts', frame);
      }
      t.setTop({ ...frame, step: { kind: 'confirm', attempts } });
      t.prompt();
    });
  }

  // step.kind === 'slot'
  const slot = flow.slots.find((x) => x.name === step.slot);
  if (filled.length > 0) {
    // A learned entity that caught only part of a free-text answer (西湖区文三路478号2 of 杭州市西湖区文三路478号2幢301)
    // gives way to the whole message.
    const whole = clip(clean(raw).trim(), MAX_SLOT_TEXT);
    const caught = slot ? (t.top as FlowFrame).slots[slot.name] : undefined;
    if (slot?.fromText && filled.includes(slot.name) && typeof caught === 'string' && [...caught].length < 0.7 * [...whole].length && t.validate(flow, slot, whole)) {
      t.fillOne(slot, whole, true);
    }
    return t.advance();
  }
  if (slot && step.offered !== undefined) {
    if (isAffirm) {
      t.fillOne(slot, step.offered);
      return t.advance();
    }
    if (isDeny) {
      t.setTop({ ...frame, step: { kind: 'slot', slot: slot.name, attempts: 0 } });
      return t.prompt();
    }
  }
  if (invalid.length > 0 && slot) {
    const bad = invalid[0] as { slot: string; value: SlotValue };
    const def = flow.slots.find((x) => x.name === bad.slot);
    t.say(def?.invalid ?? 'slot_invalid', t.vars(frame, { value: String(bad.value) }));
    return failedAttempt(t, frame, flow, slot);
  }
  if (intent !== null && policy.cancelIntents.includes(intent) && step.offered === undefined) return t.cancel('user');

  // Free-text slots take the message itself unless it is clearly about something else.
  if (slot?.fromText && !nlu.faq && !switching && !smalltalk && !isAffirm && !isDeny && nlu.intent.decision !== 'clarify') {
    const value = clip(clean(raw).trim(), MAX_SLOT_TEXT);
    if (value !== '' && t.validate(flow, slot, value)) {
      t.s.fallbacks = 0;
      t.fillOne(slot, value);
      return t.advance();
    }
    if (value !== '') {
      t.say(slot.invalid ?? 'slot_invalid', t.vars(frame, { value }));
      return failedAttempt(t, frame, flow, slot);
    }
  }
  return sideTurn(t, frame, flow, nlu, intent, switching, smalltalk, () => {
    if (slot) failedAttempt(t, frame, flow, slot);
    else t.advance();
  });
}

/** A message that does not advance the flow: an FAQ, small talk, another task, a clarification, or not understood. */
function sideTurn(
  t: Turn,
  frame: FlowFrame,
  flow: FlowDef,
  nlu: Nlu,
  intent: string | null,
  switching: boolean,
  smalltalk: boolean,
  notUnderstood: () => void,
): void {
  if (nlu.faq) {
    t.s.fallbacks = 0;
    answerFaq(t, nlu.faq);
    return t.prompt();
  }
  if (switching && intent !== null) {
    t.s.fallbacks = 0;
    return startIntent(t, intent, nlu.entities);
  }
  if (nlu.intent.decision === 'clarify') {
    const options = clarifyOptions(t, nlu);
    if (options.length === 2 && !options.includes(flow.intents[0] ?? '')) {
      t.s.fallbacks = 0;
      return askClarify(t, options, nlu.entities);
    }
  }
  if (smalltalk && intent !== null) {
    t.s.fallbacks = 0;
    t.say(intent);
    return t.prompt();
  }
  if (intent !== null && flow.intents.includes(intent)) {
    t.s.fallbacks = 0;
    return t.prompt();
  }
  notUnderstood();
}

function failedAttempt(t: Turn, frame: FlowFrame, flow: FlowDef, slot: SlotDef): void {
  const step = frame.step;
  const attempts = (step.kind === 'slot' ? step.attempts : 0) + 1;
  if (attempts >= slot.maxAttempts) {
    if (slot.onMaxAttempts === 'cancel') {
      t.setTop({ ...(t.top as FlowFrame), step: { kind: 'slot', slot: slot.name, attempts } });
      return t.cancel('max_attempts');
    }
    return t.handoff('max_attempts', t.top ?? frame);
  }
  t.setTop({ ...(t.top as FlowFrame), step: { kind: 'slot', slot: slot.name, attempts } });
  t.prompt();
}
