import { describe, expect, it } from 'vitest';
import type { IntentResult } from '../intent/index.js';
import { arbitrate, createHotQuestions, createFaqIndex, recordFaqHit, removeFaqEntries, topHotQuestions, type FaqSearchResult } from './index.js';
import { createTextPipeline } from '../text/index.js';

const intent = (name: string | null, decision: IntentResult['decision'] = name === null ? 'fallback' : 'accept', confidence = 0.9): IntentResult => ({
  intent: name,
  confidence,
  ranking: name === null ? [] : [{ name, confidence }],
  decision,
  reason: decision === 'accept' ? 'matched' : decision === 'clarify' ? 'ambiguous' : 'below_threshold',
});

const faq = (id: string | null, decision: FaqSearchResult['decision'] = id === null ? 'none' : 'answer', score = 0.6, reason?: FaqSearchResult['reason']): FaqSearchResult => {
  const c = id === null ? [] : [{ id, question: id, score, matched: id, via: 'smart' as const }];
  return {
    decision,
    reason: reason ?? (decision === 'answer' ? 'confident' : decision === 'suggest' ? 'low_confidence' : 'below_threshold'),
    faq: decision === 'answer' && id !== null ? { ...(c[0] as (typeof c)[number]), answer: 'a', category: [], tags: [] } : null,
    candidates: c,
  };
};

describe('arbitrate: FAQ or task intent', () => {
  it('a policy question goes to the FAQ even when a task intent is accepted (退货运费谁出)', () => {
    expect(arbitrate({ text: '退货运费谁出', intent: intent('return_goods'), faq: faq('return_shipping_fee') })).toEqual({
      route: 'faq',
      reason: 'question_to_faq',
      faqId: 'return_shipping_fee',
      intent: null,
    });
  });

  it('a request after an order number, or in a later clause, is still a request (订单…我想换货)', () => {
    for (const text of ['订单202611150009876543我想换货', '衣服小了，我想换货', 'SF1311204578236帮我查一下']) {
      expect(arbitrate({ text, intent: intent('exchange_goods'), faq: faq('exchange_policy', 'answer', 0.9) }).route).toBe('intent');
    }
    // A word that merely contains the cue characters is not a request: 自我要求 has no clause break before 我要.
    expect(arbitrate({ text: '自我要求高的人适合这款', intent: intent('exchange_goods'), faq: faq('exchange_policy', 'answer', 0.9) }).route).toBe('faq');
  });

  it('a chat opener is a greeting, not a question the FAQ answers (在吗, 在嗎？？？)', () => {
    for (const text of ['在吗', '在嗎？？？', '亲，在么~', '有人吗?']) {
      expect(arbitrate({ text, intent: intent('greet'), faq: faq('customer_service_hours', 'answer', 0.82) })).toMatchObject({ route: 'intent', reason: 'chat_opener', intent: 'greet' });
    }
    // A question that merely starts like one still reaches the FAQ.
    expect(arbitrate({ text: '在吗，春节客服上班吗', intent: intent('greet'), faq: faq('customer_service_hours', 'answer', 0.82) }).route).toBe('faq');
  });

  it('想退换 and a task verb with its object (换42码, 改一下地址) are requests; 退货运费 is not', () => {
    for (const text of ['不合适想退换', '换42码', '换成XL', '改一下地址']) {
      expect(arbitrate({ text, intent: intent('exchange_goods'), faq: faq('exchange_policy', 'answer', 0.9) }).reason).toBe('request_to_intent');
    }
    expect(arbitrate({ text: '退货运费', intent: intent('return_goods'), faq: faq('return_shipping_fee', 'answer', 0.95) }).route).toBe('faq');
  });

  it('a request to act goes to the task intent even when the FAQ answers (我要退货)', () => {
    expect(arbitrate({ text: '我要退货', intent: intent('return_goods'), faq: faq('return_policy', 'answer', 0.9) })).toEqual({
      route: 'intent',
      reason: 'request_to_intent',
      faqId: null,
      intent: 'return_goods',
    });
    expect(arbitrate({ text: '帮我改一下地址', intent: intent('change_address'), faq: faq('modify_order') }).route).toBe('intent');
  });

  it('a request phrased as a question is a question', () => {
    expect(arbitrate({ text: '我想问下退货运费谁出？', intent: intent('return_goods'), faq: faq('return_shipping_fee') }).route).toBe('faq');
  });

  it('a pinned rule entry always wins', () => {
    expect(arbitrate({ text: '我要运费险', intent: intent('return_goods'), faq: faq('insurance', 'answer', 1, 'rule') }).reason).toBe('faq_rule');
  });

  it('one confident side wins; with no cue the intent wins unless the FAQ scores high', () => {
    expect(arbitrate({ text: '退货运费', intent: intent(null), faq: faq('return_shipping_fee') }).reason).toBe('faq_only');
    expect(arbitrate({ text: '退货', intent: intent('return_goods'), faq: faq(null) }).reason).toBe('intent_only');
    expect(arbitrate({ text: '退货运费', intent: intent('return_goods'), faq: faq('return_shipping_fee', 'answer', 0.6) }).reason).toBe('intent_default');
    expect(arbitrate({ text: '退货运费', intent: intent('return_goods'), faq: faq('return_shipping_fee', 'answer', 0.9) }).reason).toBe('faq_stronger');
    expect(arbitrate({ text: '你好 运费', intent: intent('greet'), faq: faq('shipping_fee', 'answer', 0.6) }, { taskIntents: ['return_goods'] }).route).toBe('faq');
  });

  it('asks or hands over when neither side is confident', () => {
    expect(arbitrate({ text: '运费', intent: intent(null), faq: faq('shipping_fee', 'suggest', 0.45) })).toMatchObject({ route: 'clarify', reason: 'faq_suggest' });
    expect(arbitrate({ text: '那个', intent: intent('a', 'clarify', 0.4), faq: faq(null) })).toMatchObject({ route: 'clarify', reason: 'intent_clarify', intent: 'a' });
    expect(arbitrate({ text: '天气', intent: intent(null), faq: faq(null) })).toMatchObject({ route: 'fallback', reason: 'nothing_matched' });
  });

  it('validates its input', () => {
    expect(() => arbitrate({ text: 1, intent: intent(null), faq: faq(null) } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => arbitrate({ text: 'x', intent: null, faq: faq(null) } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => arbitrate({ text: 'x', intent: intent(null), faq: faq(null) }, { faqOverride: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('hot questions', () => {
  const index = createFaqIndex(
    [
      { id: 'a', question: '问题A', answer: 'A' },
      { id: 'b', question: '问题B', answer: 'B' },
      { id: 'c', question: '问题C', answer: 'C', enabled: false },
    ],
    { pipeline: createTextPipeline({ language: 'en' }) },
  );
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 0, 10);

  it('ranks by time-decayed hits, skips entries that cannot be answered, and never mutates its input', () => {
    const empty = createHotQuestions({ halfLifeDays: 1 });
    let hot = empty;
    for (let i = 0; i < 4; i++) hot = recordFaqHit(hot, 'a', t0);
    hot = recordFaqHit(hot, 'b', t0 + 3 * day);
    hot = recordFaqHit(hot, 'c', t0 + 3 * day);
    expect(empty.counts).toEqual({});
    const top = topHotQuestions(index, hot, { now: t0 + 3 * day, k: 5 });
    expect(top.map((q) => q.id)).toEqual(['b', 'a']);
    expect(top[1]?.score).toBeCloseTo(0.5, 4); // 4 hits, three half-lives ago
    expect(topHotQuestions(index, hot, { now: t0, k: 1 }).map((q) => q.id)).toEqual(['a']);
    removeFaqEntries(index, ['b']);
    expect(topHotQuestions(index, hot, { now: t0 + 3 * day }).map((q) => q.id)).toEqual(['a']);
  });

  it('validates its options', () => {
    expect(() => createHotQuestions({ halfLifeDays: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => recordFaqHit(createHotQuestions(), '', t0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => recordFaqHit(createHotQuestions(), 'a', 'not a date')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
