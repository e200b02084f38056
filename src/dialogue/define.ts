import { KefuError } from '../errors.js';
import { assertOptions } from '../internal/assert.js';
import { checkRegexSafety } from '../internal/regex-safety.js';
import type { DialoguePolicyDef, FlowDef, FlowOutcome, Pack, ResponseTemplate, SlotDef } from '../pack/index.js';
import type { DialoguePolicy, FlowSet } from './types.js';

/** The dialogue policy used where a pack or `createFlowSet` sets nothing. */
export const DEFAULT_DIALOGUE_POLICY: DialoguePolicy = {
  handoff: {
    explicitIntents: ['transfer_human'],
    maxFallbacks: 2,
    complaintIntents: ['complaint'],
    negativeEmotions: ['angry'],
    emotionThreshold: 0.75,
    vip: false,
    serviceHours: null,
  },
  cancelIntents: ['deny'],
  cancelPatterns: [],
  restartPatterns: [],
  affirmIntents: ['affirm'],
  denyIntents: ['deny'],
  smalltalkIntents: ['greet', 'goodbye', 'thanks', 'chitchat'],
  timeoutMinutes: 30,
  historyTurns: 10,
  maskEntities: ['phone', 'id_card', 'bank_card', 'email'],
};

/** A slot as written in code: only `name` and `entity` are needed, the rest has the pack's defaults. */
export type SlotInput = Pick<SlotDef, 'name' | 'entity'> & Partial<Omit<SlotDef, 'name' | 'entity' | 'loc'>>;

/** A flow as written in code. */
export interface FlowInput {
  readonly name: string;
  readonly intents?: readonly string[];
  readonly label?: string;
  readonly description?: string;
  readonly slots?: readonly SlotInput[];
  readonly confirm?: string;
  readonly action?: string;
  readonly outcomes?: Readonly<Record<string, FlowOutcome | string>>;
  readonly reply?: string;
  readonly cancelled?: string;
  readonly handoff?: string;
}

/** A policy as written in code: any subset of {@link DialoguePolicy}. */
export type DialoguePolicyInput = DialoguePolicyDef;

/** Input of {@link createFlowSet}. */
export interface CreateFlowSetOptions {
  readonly flows: readonly (FlowInput | FlowDef)[];
  /** Reply templates: id → text, list of variants, or a full template. */
  readonly responses?: Readonly<Record<string, string | readonly string[] | ResponseTemplate>>;
  readonly policy?: DialoguePolicyInput;
  readonly display?: FlowSet['display'];
  /** Known intents, to check flow and policy references; omit to skip the check. */
  readonly intents?: readonly string[];
  /** Known entities (pack and system), to check slot references; omit to skip the check. */
  readonly entities?: readonly string[];
  readonly normalize?: boolean;
}

/**
 * Identity helper that types a flow written in code.
 *
 * @example
 * ```ts
 * const returnGoods = defineFlow({
 *   name: 'return_goods', intents: ['return_goods'], label: '退货',
 *   slots: [{ name: 'order_id', entity: 'order_id', prompt: '请问您的订单号是多少呢？' }],
 *   confirm: '确认为您提交订单 {order_id} 的退货申请吗？', action: 'create_return',
 * });
 * ```
 */
export function defineFlow<const T extends FlowInput>(flow: T): T {
  return flow;
}

const ID = /^[a-z][a-z0-9_.]*$/;

function normalizeSlot(s: SlotInput | SlotDef): SlotDef {
  return {
    name: s.name,
    entity: s.entity,
    ...(s.role === undefined ? {} : { role: s.role }),
    required: s.required ?? true,
    requiredUnless: s.requiredUnless ?? [],
    ...(s.prompt === undefined ? {} : { prompt: s.prompt }),
    reprompts: s.reprompts ?? [],
    fromText: s.fromText ?? false,
    ...(s.validate === undefined ? {} : { validate: s.validate }),
    ...(s.invalid === undefined ? {} : { invalid: s.invalid }),
    maxAttempts: s.maxAttempts ?? 3,
    onMaxAttempts: s.onMaxAttempts ?? 'handoff',
    carry: s.carry ?? true,
  };
}

function normalizeFlow(f: FlowInput | FlowDef): FlowDef {
  const outcomes: Record<string, FlowOutcome> = {};
  for (const [k, v] of Object.entries(f.outcomes ?? {})) outcomes[k] = typeof v === 'string' ? { reply: v } : v;
  return {
    name: f.name,
    intents: f.intents ?? [],
    label: f.label ?? f.name,
    ...(f.description === undefined ? {} : { description: f.description }),
    slots: (f.slots ?? []).map(normalizeSlot),
    ...(f.confirm === undefined ? {} : { confirm: f.confirm }),
    ...(f.action === undefined ? {} : { action: f.action }),
    outcomes,
    ...(f.reply === undefined ? {} : { reply: f.reply }),
    ...(f.cancelled === undefined ? {} : { cancelled: f.cancelled }),
    ...(f.handoff === undefined ? {} : { handoff: f.handoff }),
  };
}

function mergePolicy(p: DialoguePolicyInput | undefined): DialoguePolicy {
  const d = DEFAULT_DIALOGUE_POLICY;
  const h = p?.handoff ?? {};
  return {
    handoff: {
      explicitIntents: h.explicitIntents ?? d.handoff.explicitIntents,
      maxFallbacks: h.maxFallbacks ?? d.handoff.maxFallbacks,
      complaintIntents: h.complaintIntents ?? d.handoff.complaintIntents,
      negativeEmotions: h.negativeEmotions ?? d.handoff.negativeEmotions,
      emotionThreshold: h.emotionThreshold ?? d.handoff.emotionThreshold,
      vip: h.vip ?? d.handoff.vip,
      serviceHours: h.serviceHours ? { ...h.serviceHours, days: h.serviceHours.days ?? [1, 2, 3, 4, 5, 6, 7] } : null,
    },
    cancelIntents: p?.cancelIntents ?? d.cancelIntents,
    cancelPatterns: p?.cancelPatterns ?? d.cancelPatterns,
    restartPatterns: p?.restartPatterns ?? d.restartPatterns,
    affirmIntents: p?.affirmIntents ?? d.affirmIntents,
    denyIntents: p?.denyIntents ?? d.denyIntents,
    smalltalkIntents: p?.smalltalkIntents ?? d.smalltalkIntents,
    timeoutMinutes: p?.timeoutMinutes ?? d.timeoutMinutes,
    historyTurns: p?.historyTurns ?? d.historyTurns,
    maskEntities: p?.maskEntities ?? d.maskEntities,
  };
}

function toTemplate(v: string | readonly string[] | ResponseTemplate): ResponseTemplate {
  if (typeof v === 'string') return { variants: [v], channels: {} };
  if (Array.isArray(v)) return { variants: v as readonly string[], channels: {} };
  return v as ResponseTemplate;
}

/** Every structural problem of a flow set, as messages (empty when valid). */
function problems(set: FlowSet, entities: readonly string[] | undefined): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  const startedBy = new Map<string, string>();
  const intents = new Set(set.intents);
  const checkReply = (where: string, r: string | undefined): void => {
    if (r !== undefined && ID.test(r) && !(r in set.responses)) out.push(`${where}: response "${r}" is not defined`);
  };
  const checkPattern = (where: string, p: string, flags: string): void => {
    try {
      const r = checkRegexSafety(p, flags.includes('u') ? flags : `${flags}u`);
      if (!r.safe) out.push(`${where}: pattern /${p}/ is unsafe: ${r.reason}`);
    } catch (cause) {
      out.push(`${where}: pattern /${p}/ does not compile (${(cause as Error).message})`);
    }
  };
  for (const f of set.flows) {
    if (!ID.test(f.name)) out.push(`flow "${f.name}": a flow name is lower-case letters, digits, "_" or "."`);
    if (names.has(f.name)) out.push(`flow "${f.name}" is defined twice`);
    names.add(f.name);
    for (const i of f.intents) {
      if (intents.size > 0 && !intents.has(i)) out.push(`flow "${f.name}": intent "${i}" is not defined`);
      const other = startedBy.get(i);
      if (other !== undefined) out.push(`flow "${f.name}": intent "${i}" already starts flow "${other}"`);
      startedBy.set(i, f.name);
    }
    const slotNames = new Set(f.slots.map((s) => s.name));
    if (slotNames.size !== f.slots.length) out.push(`flow "${f.name}": a slot name is used twice`);
    for (const s of f.slots) {
      const where = `flow "${f.name}", slot "${s.name}"`;
      if (entities && !entities.includes(s.entity)) out.push(`${where}: entity "${s.entity}" is not defined`);
      if (s.required && s.prompt === undefined) out.push(`${where}: a required slot needs a prompt`);
      checkReply(where, s.prompt);
      s.reprompts.forEach((r) => checkReply(where, r));
      checkReply(where, s.invalid);
      if (!(Number.isInteger(s.maxAttempts) && s.maxAttempts >= 1)) out.push(`${where}: maxAttempts must be a positive integer`);
      for (const u of s.requiredUnless) if (!slotNames.has(u)) out.push(`${where}: requiredUnless names "${u}", not a slot of the flow`);
      if (s.validate?.pattern !== undefined) checkPattern(where, s.validate.pattern, s.validate.flags ?? '');
    }
    checkReply(`flow "${f.name}" confirm`, f.confirm);
    checkReply(`flow "${f.name}" reply`, f.reply);
    checkReply(`flow "${f.name}" cancelled`, f.cancelled);
    for (const [k, o] of Object.entries(f.outcomes)) {
      checkReply(`flow "${f.name}", outcome "${k}"`, o.reply);
      if (o.retry !== undefined && !slotNames.has(o.retry)) out.push(`flow "${f.name}", outcome "${k}": retry slot "${o.retry}" is not a slot of the flow`);
    }
  }
  for (const f of set.flows) {
    for (const [k, o] of Object.entries(f.outcomes)) {
      if (o.next !== undefined && !names.has(o.next)) out.push(`flow "${f.name}", outcome "${k}": next flow "${o.next}" is not defined`);
    }
  }
  const p = set.policy;
  p.cancelPatterns.forEach((x) => checkPattern('policy.cancelPatterns', x, 'i'));
  p.restartPatterns.forEach((x) => checkPattern('policy.restartPatterns', x, 'i'));
  if (!(Number.isInteger(p.handoff.maxFallbacks) && p.handoff.maxFallbacks >= 0)) out.push('policy.handoff.maxFallbacks must be a non-negative integer');
  if (!(p.handoff.emotionThreshold >= 0 && p.handoff.emotionThreshold <= 1)) out.push('policy.handoff.emotionThreshold must be in [0, 1]');
  if (!(p.timeoutMinutes > 0)) out.push('policy.timeoutMinutes must be positive');
  if (!(Number.isInteger(p.historyTurns) && p.historyTurns >= 1)) out.push('policy.historyTurns must be a positive integer');
  const hours = p.handoff.serviceHours;
  if (hours) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: hours.timeZone });
    } catch {
      out.push(`policy.handoff.serviceHours.timeZone "${hours.timeZone}" is not an IANA time zone`);
    }
    for (const t of [hours.open, hours.close]) if (!/^([01]\d|2[0-4]):[0-5]\d$/.test(t)) out.push(`policy.handoff.serviceHours: "${t}" is not HH:MM`);
  }
  return out;
}

/**
 * Builds a validated {@link FlowSet} from flows written in code. Throws `FLOW_INVALID` listing every problem.
 *
 * @example
 * ```ts
 * const flows = createFlowSet({ flows: [returnGoods], responses: { ask_order_id: '请问您的订单号是多少呢？' } });
 * ```
 */
export function createFlowSet(options: CreateFlowSetOptions): FlowSet {
  assertOptions(options, 'createFlowSet');
  if (!Array.isArray(options?.flows)) {
    throw new KefuError('INVALID_OPTION', 'createFlowSet: option "flows" must be an array of flows (see defineFlow).', { option: 'flows' });
  }
  const responses: Record<string, ResponseTemplate> = {};
  for (const [k, v] of Object.entries(options.responses ?? {})) responses[k] = toTemplate(v);
  const set: FlowSet = {
    flows: options.flows.map(normalizeFlow),
    responses,
    policy: mergePolicy(options.policy),
    display: options.display ?? {},
    intents: options.intents ?? [],
    normalize: options.normalize ?? true,
  };
  const found = problems(set, options.entities);
  if (found.length > 0) {
    throw new KefuError('FLOW_INVALID', `The dialogue flows have ${found.length} problem(s); fix them:\n${found.slice(0, 10).join('\n')}`, { issues: found });
  }
  return set;
}

/** Snake-case canonical values (reason codes such as `size_unfit`) read to the customer as their first synonym. */
function displayMap(pack: Pack): FlowSet['display'] {
  const out: Record<string, Record<string, string>> = {};
  for (const e of pack.entities) {
    if (e.type !== 'dictionary') continue;
    for (const v of e.values) {
      const first = v.synonyms[0];
      if (first !== undefined && /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(v.value)) (out[e.name] ??= {})[v.value] = first;
    }
  }
  return out;
}

/**
 * The pack's flows, responses and dialogue policy as a {@link FlowSet}; `overrides` replaces parts of the policy.
 *
 * @example
 * ```ts
 * const flowSet = flowSetFromPack(await loadPack('fixtures/packs/ecommerce-zh'));
 * ```
 */
export function flowSetFromPack(pack: Pack, overrides?: DialoguePolicyInput): FlowSet {
  assertOptions(overrides, 'flowSetFromPack');
  if (typeof pack !== 'object' || pack === null || !Array.isArray(pack.intents)) {
    throw new KefuError('INVALID_INPUT', 'flowSetFromPack(pack) takes a pack from loadPack().');
  }
  const policy: DialoguePolicyInput = {
    ...(pack.dialogue ?? {}),
    ...(overrides ?? {}),
    handoff: { ...(pack.dialogue?.handoff ?? {}), ...(overrides?.handoff ?? {}) },
  };
  return createFlowSet({
    flows: pack.flows ?? [],
    responses: pack.responses,
    policy,
    display: displayMap(pack),
    intents: pack.intents.map((i) => i.name),
  });
}
