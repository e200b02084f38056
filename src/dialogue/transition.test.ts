import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { Entity } from '../entities/index.js';
import { createFlowSet, defineFlow } from './define.js';
import { initialState, isDialogueState } from './state.js';
import { transition } from './transition.js';
import type { DialogueEvent, DialogueState, Nlu } from './types.js';

const returnGoods = defineFlow({
  name: 'return_goods',
  intents: ['return_goods'],
  label: '退货',
  slots: [
    { name: 'order_id', entity: 'order_id', prompt: '请问订单号是多少呢？', reprompts: ['订单号是 12 到 20 位数字哦～'], maxAttempts: 2 },
    { name: 'reason', entity: 'reason', prompt: '请问退货原因是什么呢？' },
    { name: 'phone', entity: 'phone', required: false },
  ],
  confirm: '确认退货订单 {order_id}（{reason}）吗？',
  action: 'create_return',
  outcomes: { ok: '已提交，退货单号 {return_id}', missing: { reply: '没有查到订单 {order_id}', retry: 'order_id' } },
});
const address = defineFlow({
  name: 'change_address',
  intents: ['change_address'],
  label: '改地址',
  slots: [{ name: 'addr', entity: 'address', fromText: true, prompt: '新地址是？', validate: { minLength: 4 }, onMaxAttempts: 'cancel', maxAttempts: 2 }],
});
const flowSet = createFlowSet({
  flows: [returnGoods, address],
  responses: { greet: '您好亲～' },
  display: { reason: { size_unfit: '尺码不合适' } },
  policy: { cancelPatterns: ['不退了'], restartPatterns: ['重新开始'], handoff: { serviceHours: { timeZone: 'Asia/Shanghai', open: '09:00', close: '22:00' } } },
});

const AT = '2026-11-21T02:00:00.000Z'; // 10:00 in Shanghai
const ent = (entity: string, value: string, text = value): Entity => ({ entity, value, start: 0, end: text.length, text, source: 'system', confidence: 1 });
const nlu = (intent: string | null, entities: Entity[] = [], extra: Partial<Nlu> = {}): Nlu => ({
  intent: { intent, confidence: intent ? 0.95 : 0.1, ranking: intent ? [{ name: intent, confidence: 0.95 }] : [], decision: intent ? 'accept' : 'fallback' },
  entities,
  ...extra,
});
const user = (text: string, n: Nlu, at = AT): DialogueEvent => ({ type: 'user', text, nlu: n, at });
const replies = (r: { effects: readonly { type: string }[] }): string[] =>
  r.effects.filter((e): e is { type: 'reply'; text: string } => e.type === 'reply').map((e) => e.text);

function run(state: DialogueState, ...events: DialogueEvent[]): { state: DialogueState; effects: ReturnType<typeof transition>['effects'] } {
  let r = { state, effects: [] as ReturnType<typeof transition>['effects'] };
  for (const e of events) r = transition(flowSet, r.state, e);
  return r;
}

describe('transition', () => {
  it('fills slots from the starting message and asks only what is missing', () => {
    const r = run(initialState(), user('订单202611210001234567要退货', nlu('return_goods', [ent('order_id', '202611210001234567')])));
    expect(r.state.stack).toEqual([{ flow: 'return_goods', slots: { order_id: '202611210001234567' }, step: { kind: 'slot', slot: 'reason', attempts: 0 } }]);
    expect(replies(r)).toEqual(['请问退货原因是什么呢？']);
  });

  it('renders display values in the confirmation and runs the action with the raw values', () => {
    const r = run(initialState(), user('x', nlu('return_goods', [ent('order_id', '1234567890123'), ent('reason', 'size_unfit', '大了')])), user('好', nlu('affirm')));
    const action = r.effects.find((e) => e.type === 'action');
    expect(action).toMatchObject({ type: 'action', name: 'create_return', slots: { order_id: '1234567890123', reason: 'size_unfit' } });
    const done = transition(flowSet, r.state, { type: 'action_result', id: (action as { id: string }).id, outcome: 'ok', data: { return_id: 'R9' }, at: AT });
    expect(replies(done)).toEqual(['已提交，退货单号 R9']);
    expect(done.state.stack).toEqual([]);
    expect(done.state.memory).toMatchObject({ order_id: '1234567890123' });
    expect(done.effects).toContainEqual(expect.objectContaining({ type: 'complete', flow: 'return_goods', outcome: 'ok', resolved: true }));
  });

  it('ignores a stale or unknown action result', () => {
    const r = run(initialState(), user('x', nlu('return_goods', [ent('order_id', '1234567890123'), ent('reason', 'size_unfit')])), user('好', nlu('affirm')));
    const stale = transition(flowSet, r.state, { type: 'action_result', id: 'nope', outcome: 'ok', at: AT });
    expect(stale.state.stack).toEqual(r.state.stack);
    expect(stale.effects).toEqual([]);
  });

  it('a retry outcome clears the slot and asks it again', () => {
    const r = run(initialState(), user('x', nlu('return_goods', [ent('order_id', '1234567890123'), ent('reason', 'size_unfit')])), user('好', nlu('affirm')));
    const id = (r.effects.find((e) => e.type === 'action') as { id: string }).id;
    const again = transition(flowSet, r.state, { type: 'action_result', id, outcome: 'missing', at: AT });
    expect(replies(again)).toEqual(['没有查到订单 1234567890123', '请问订单号是多少呢？']);
    expect(again.state.stack[0]?.slots).toEqual({ reason: 'size_unfit' });
  });

  it('re-prompts with the re-prompt and hands over after maxAttempts', () => {
    const start = run(initialState(), user('退货', nlu('return_goods')));
    const once = run(start.state, user('啊？', nlu(null)));
    expect(replies(once)).toEqual(['订单号是 12 到 20 位数字哦～']);
    const twice = run(once.state, user('不知道', nlu(null)));
    expect(twice.effects).toContainEqual(expect.objectContaining({ type: 'handoff', reason: 'max_attempts' }));
  });

  it('a free-text slot cancels after maxAttempts when so configured', () => {
    const r = run(initialState(), user('改地址', nlu('change_address')), user('家', nlu(null)), user('公司', nlu(null)));
    expect(r.state.stack).toEqual([]);
    expect(r.effects).toContainEqual({ type: 'cancel', flow: 'change_address', reason: 'max_attempts' });
  });

  it('outside service hours a handoff is offline', () => {
    const r = run(initialState(), user('转人工', nlu('transfer_human'), '2026-11-21T15:30:00.000Z'));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'handoff', reason: 'explicit', offline: true }));
    expect(r.state.handoff).toMatchObject({ reason: 'explicit', offline: true });
  });

  it('masks PII in history and the summary but keeps the slot value', () => {
    const text = '电话13812345678';
    const phone: Entity = { entity: 'phone', value: '13812345678', start: 2, end: 13, text: '13812345678', source: 'system', confidence: 1 };
    const r = run(initialState(), user('退货', nlu('return_goods')), user(text, nlu(null, [phone])));
    expect(r.state.history.find((h) => h.text.includes('电话'))?.text).toBe('电话138****5678');
    expect(r.state.stack[0]?.slots.phone).toBe('13812345678');
    const h = run(r.state, user('转人工', nlu('transfer_human')));
    const summary = h.effects.find((e) => e.type === 'handoff') as { summary: { text: string; filled: Record<string, string> } };
    expect(summary.summary.filled.phone).toBe('138****5678');
    expect(summary.summary.text).not.toContain('13812345678');
  });

  it('restart and cancel patterns are matched on the normalised text', () => {
    const r = run(initialState(), user('退货', nlu('return_goods', [ent('order_id', '1234567890123')])), user('重新開始', nlu(null)));
    expect(r.state.stack[0]?.slots).toEqual({});
    const c = run(r.state, user('不退了', nlu(null)));
    expect(c.state.stack).toEqual([]);
  });

  it('a tick after the timeout ends the flows without a reply', () => {
    const r = run(initialState(), user('退货', nlu('return_goods')), { type: 'tick', at: '2026-11-21T03:00:00.000Z' });
    expect(r.state.stack).toEqual([]);
    expect(r.effects).toEqual([{ type: 'cancel', flow: 'return_goods', reason: 'timeout' }, { type: 'timeout' }]);
  });

  it('does not mutate its inputs', () => {
    const state = run(initialState(), user('退货', nlu('return_goods'))).state;
    const frozen = JSON.stringify(state);
    const ev = user('1234567890123', nlu(null, [ent('order_id', '1234567890123')]));
    const evJson = JSON.stringify(ev);
    transition(flowSet, state, ev);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(JSON.stringify(ev)).toBe(evJson);
  });

  it('starts afresh from a corrupted state and survives malformed events', () => {
    const bad = { version: 1, turn: -3, stack: 'x' } as unknown as DialogueState;
    const r = transition(flowSet, bad, user('你好', nlu('greet')));
    expect(isDialogueState(r.state)).toBe(true);
    expect(replies(r)).toEqual(['您好亲～']);
    for (const ev of [null, 42, { type: 'user' }, { type: 'user', text: 5, nlu: 'x', at: 'never' }, { type: 'action_result', id: 3 }]) {
      const out = transition(flowSet, initialState(), ev as unknown as DialogueEvent);
      expect(isDialogueState(out.state)).toBe(true);
    }
  });
});

const INTENTS = ['return_goods', 'change_address', 'affirm', 'deny', 'greet', 'transfer_human', 'complaint', 'chitchat', null] as const;
const ENTITY = fc.record({
  entity: fc.constantFrom('order_id', 'reason', 'phone', 'address', 'email'),
  value: fc.oneof(fc.string(), fc.constantFrom('1234567890123', 'size_unfit', '上海市浦东新区'), fc.integer()),
});
const TEXT = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '😀😀', '\u0000\u0007', '\uD800x', '\uDC00', '不退了', '重新开始', '第一个', 'x'.repeat(100_000)));
const EVENT = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    text: TEXT,
    intent: fc.constantFrom(...INTENTS),
    decision: fc.constantFrom('accept', 'clarify', 'fallback'),
    entities: fc.array(ENTITY, { maxLength: 3 }),
    faq: fc.option(fc.constant({ id: 'shipping_time', answer: '48 小时内发货' })),
    emotion: fc.option(fc.record({ label: fc.constantFrom('angry', 'neutral', 'anxious'), confidence: fc.double({ min: 0, max: 1, noNaN: true }) })),
    minutes: fc.integer({ min: 0, max: 90 }),
    vip: fc.boolean(),
  }).map((x) => ({ kind: 'user' as const, ...x })) },
  { weight: 1, arbitrary: fc.record({ outcome: fc.constantFrom('ok', 'missing', 'error', 'weird'), minutes: fc.constant(0) }).map((x) => ({ kind: 'result' as const, ...x })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((minutes) => ({ kind: 'tick' as const, minutes })) },
);

describe('transition properties', () => {
  test.prop([fc.array(EVENT, { maxLength: 25 })], { numRuns: 100 })('any sequence leaves a valid, JSON-round-trippable, bounded state', (events) => {
    let state = initialState();
    let clock = Date.parse(AT);
    let lastAction: string | null = null;
    for (const e of events) {
      clock += e.minutes * 60_000;
      const at = new Date(clock).toISOString();
      let ev: DialogueEvent;
      if (e.kind === 'user') {
        const entities: Entity[] = e.entities.map((x) => ({ entity: x.entity, value: x.value, start: 0, end: 0, text: '', source: 'system', confidence: 1 }));
        const ranking = [{ name: 'return_goods', confidence: 0.4 }, { name: 'change_address', confidence: 0.38 }];
        ev = { type: 'user', text: e.text, at, user: { vip: e.vip }, nlu: { intent: { intent: e.intent, confidence: 0.5, ranking, decision: e.decision }, entities, faq: e.faq, emotion: e.emotion } };
      } else if (e.kind === 'result') {
        ev = { type: 'action_result', id: lastAction ?? 'none', outcome: e.outcome, at };
      } else ev = { type: 'tick', at };
      const r = transition(flowSet, state, ev);
      const action = r.effects.find((x) => x.type === 'action');
      if (action) lastAction = (action as { id: string }).id;
      expect(isDialogueState(r.state)).toBe(true);
      expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
      expect(JSON.stringify(r.state).length).toBeLessThan(60_000);
      for (const f of r.state.stack) expect(['return_goods', 'change_address']).toContain(f.flow);
      for (const x of r.effects) if (x.type === 'reply') expect(x.text).not.toMatch(/\{[a-z_]+\}/);
      state = r.state;
    }
  });
});
