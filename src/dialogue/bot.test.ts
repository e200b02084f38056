import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type Pack } from '../pack/index.js';
import { trainIntents, type IntentModel } from '../intent/index.js';
import { createBot, type ActionHandler } from './bot.js';
import { pinnedNlu } from './conversation.js';
import type { TurnLogEvent } from './log-event.js';
import { createMemoryStore, type SessionStore } from './store/index.js';
import type { DialogueState } from './types.js';
import type { NluFunction } from './nlu.js';

let pack: Pack;
let model: IntentModel;
beforeAll(async () => {
  pack = await loadPack('fixtures/packs/ecommerce-zh');
  model = trainIntents(pack, { seed: 42 });
}, 120_000);

const AT = new Date('2026-11-21T10:00:00+08:00');
const actions: Record<string, ActionHandler> = {
  create_return: async () => ({ outcome: 'ok', data: { return_id: 'R1' } }),
  create_exchange: async () => ({}),
  update_address: async () => ({}),
  query_logistics: async () => ({ data: { courier: '顺丰', tracking: 'SF1', status: '运输中', eta: '明天' } }),
  cancel_order: async () => ({}),
  issue_invoice: async () => ({}),
};

/** An understanding keyed by the message text, so concurrency tests need no model. */
const scripted = (table: Record<string, Parameters<typeof pinnedNlu>[2]>): NluFunction => (text) => pinnedNlu(pack, text, table[text] ?? {});

describe('createBot', () => {
  it('validates its options', () => {
    expect(() => createBot({ pack, model, actions: {} })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createBot({ pack, model, actions, maxRetries: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createBot(null as unknown as Parameters<typeof createBot>[0])).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('understands with the pack model: FAQ for a question, a flow for a request, one-shot filling', async () => {
    const bot = createBot({ pack, model, actions, now: () => AT });
    const faq = await bot.handle('s1', '退货运费谁出呀');
    expect(faq.faq).toBe('return_shipping_fee');
    const flow = await bot.handle('s2', '我要退货');
    expect(flow.flow).toBe('return_goods');
    expect(flow.replies.join('')).toContain('订单号');
    const human = await bot.handle('s3', '转人工');
    expect(human.handoff?.reason).toBe('explicit');
    await bot.close();
  });

  it('runs the action once, after confirmation, and writes one log event per turn', async () => {
    const events: TurnLogEvent[] = [];
    let calls = 0;
    const bot = createBot({
      pack,
      actions: { ...actions, create_return: async ({ slots }) => ((calls += 1), { data: { return_id: `R-${String(slots.order_id).slice(-4)}` } }) },
      nlu: scripted({
        '订单202611210001234567尺码不合适要退货，电话13812345678': { intent: 'return_goods', entities: [{ entity: 'order_id', value: '202611210001234567' }, { entity: 'reason', value: 'size_unfit', text: '尺码不合适' }, { entity: 'phone', value: '13812345678' }] },
        确认: { intent: 'affirm' },
      }),
      log: { write: (e) => void events.push(e) },
      now: () => AT,
    });
    const first = await bot.handle('s', '订单202611210001234567尺码不合适要退货，电话13812345678', { channel: 'web', user: { id: 'u1' } });
    expect(first.decision).toBe('flow');
    const done = await bot.handle('s', '确认');
    expect(calls).toBe(1);
    expect(done.completed).toBe('return_goods');
    expect(done.replies.join('')).toContain('R-4567');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'turn', session: 's', turn: 1, channel: 'web', user: 'u1', intent: 'return_goods', decision: 'flow', flow: 'return_goods', completed: null, resolved: false, handoff: null, rating: null });
    expect(events[0]?.slotsFilled).toEqual(['order_id', 'reason']);
    expect(events[0]?.text).toContain('138****5678');
    expect(events[0]?.text).not.toContain('13812345678');
    expect(events[1]).toMatchObject({ turn: 2, completed: 'return_goods', resolved: true, flow: null });
    await bot.rate('s', 5);
    expect(events[2]).toMatchObject({ decision: 'rating', rating: 5 });
    await bot.close();
  });

  it('a failing action takes the error branch and the bot keeps working', async () => {
    const bot = createBot({
      pack,
      actions: { ...actions, create_return: async () => { throw new Error('backend down'); } },
      nlu: scripted({ a: { intent: 'return_goods', entities: [{ entity: 'order_id', value: '202611210001234567' }, { entity: 'reason', value: 'damaged' }] }, b: { intent: 'affirm' } }),
      now: () => AT,
    });
    await bot.handle('s', 'a');
    const r = await bot.handle('s', 'b');
    expect(r.handoff?.reason).toBe('action_error');
    await bot.close();
  });

  it('never loses an update when one session gets many messages at once', async () => {
    const store = createMemoryStore<DialogueState>();
    const bot = createBot({ pack, actions, store, nlu: scripted({}), now: () => AT });
    const n = 40;
    await Promise.all(Array.from({ length: n }, (_, i) => bot.handle('busy', `消息${i}`)));
    const state = await bot.getState('busy');
    expect(state?.turn).toBe(n);
    // Two bots (two processes) sharing one store: the conditional write and the retry keep every message.
    const other = createBot({ pack, actions, store, nlu: scripted({}), now: () => AT });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? bot : other).handle('shared', `消息${i}`)));
    expect((await bot.getState('shared'))?.turn).toBe(10);
    await bot.close();
  });

  it('retries on a conflicting write and re-runs the reducer on the fresh state', async () => {
    const inner = createMemoryStore<DialogueState>();
    let conflicts = 0;
    const racy: SessionStore<DialogueState> = {
      get: (id) => inner.get(id),
      async set(id, state, expected) {
        if (conflicts < 3) {
          conflicts += 1;
          return { ok: false };
        }
        return inner.set(id, state, expected);
      },
      delete: (id) => inner.delete(id),
      close: () => inner.close(),
    };
    const bot = createBot({ pack, actions, store: racy, nlu: scripted({}), now: () => AT });
    const r = await bot.handle('s', '你好');
    expect(conflicts).toBe(3);
    expect(r.turn).toBe(1);
    const stubborn = createBot({ pack, actions, maxRetries: 2, store: { ...racy, set: async () => ({ ok: false }) }, nlu: scripted({}) });
    await expect(stubborn.handle('s', '你好')).rejects.toMatchObject({ code: 'SESSION_CONFLICT' });
    await bot.close();
  });

  it('handles hostile text without throwing', async () => {
    const bot = createBot({ pack, model, actions, now: () => AT });
    for (const text of ['', '😀'.repeat(500), '\u0000\u0007\u001b', '\uD800abc', 'x'.repeat(100_000)]) {
      const r = await bot.handle('h', text);
      expect(Array.isArray(r.replies)).toBe(true);
      expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
    }
    await expect(bot.handle('', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await bot.close();
  });
});
