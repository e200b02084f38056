import { assertOptions, assertText, checkOption } from '../internal/assert.js';
import type { IntentResult } from '../intent/index.js';
import type { FaqSearchResult } from './types.js';

/** Who handles the message: the knowledge base, the task intent, a clarifying question, or the fallback (handoff). */
export type ArbitrationRoute = 'faq' | 'intent' | 'clarify' | 'fallback';

/** Why the route was chosen; stable codes for logs and tests. */
export type ArbitrationReason =
  | 'faq_rule'
  | 'question_to_faq'
  | 'request_to_intent'
  | 'chat_opener'
  | 'faq_only'
  | 'intent_only'
  | 'faq_stronger'
  | 'intent_default'
  | 'faq_suggest'
  | 'intent_clarify'
  | 'nothing_matched';

/** The arbitration outcome. `faqId` / `intent` name the winner when the route is `faq` / `intent`. */
export interface Arbitration {
  readonly route: ArbitrationRoute;
  readonly reason: ArbitrationReason;
  readonly faqId: string | null;
  readonly intent: string | null;
}

/** Input of {@link arbitrate}: plain results of `classify` and `searchFaq` for the same message. */
export interface ArbitrateInput {
  readonly text: string;
  readonly intent: IntentResult;
  readonly faq: FaqSearchResult;
}

/** Options of {@link arbitrate}. */
export interface ArbitrateOptions {
  /**
   * Intents that start a task (退货, 改地址…). When given, an accepted intent outside this list (greetings, chit-chat)
   * never beats a confident FAQ answer. Default: every intent is a task.
   */
  readonly taskIntents?: readonly string[];
  /** With no cue either way, the FAQ wins when its score is at least this. Default 0.75. */
  readonly faqOverride?: number;
}

/** Defaults of {@link ArbitrateOptions}. */
export const DEFAULT_ARBITRATE_OPTIONS = { faqOverride: 0.75 } as const;

// A question about policy or facts: 谁/多久/多少/怎么/能不能/吗/？… Requests to act: 我要/帮我/申请/给我…
const QUESTION_CUE = /[?？吗呢么嘛]|谁|哪|什么|啥|怎么|怎样|如何|多久|多长|多少|几[天个次号点]|是否|能不能|可不可以|可以吗|会不会|有没有|是不是|为什么|为啥|要不要/u;
// The cue opens the message or a clause, or follows an order or tracking number (订单202611…我想换货); 想退/想换… is a
// request without 我; a message that opens with a task verb and its object (换42码, 换成XL, 改一下地址, 查一下订单) too.
const REQUEST_CUE =
  /(?:^|[\s,，。.!！;；:：、\d\p{Script=Latin}])(?:请|麻烦|亲)?[,，\s]*(?:我要|我想要?|我需要|帮我|给我|替我|申请|我申请|我得|麻烦你|请帮我)|想要?(?:退|换|改|取消|查|申请|开)|^(?:换|退|改|取消|查)(?:[\d\p{Script=Latin}]|成|个|一下)/u;
// Chat openers that end in 吗 but ask nothing: 在吗, 在嘛, 在不在, 有人吗.
const OPENER = /^(?:亲[,，\s]*)?(?:在[吗嗎嘛么麼]|在不在|有人[吗嗎]|有人在[吗嗎]|客服在[吗嗎])[\s?？!！~～。.…]*$/u;

/**
 * Decides between the knowledge base and a task intent for one message. The rule, in order:
 * 1. an `exact` / `contains` / `regex` FAQ entry that answered wins (the author pinned it);
 * 2. a chat opener alone (在吗, 有人吗) goes to the accepted intent (a greeting), whatever the FAQ found; a request to
 *    act (我要退货, 帮我改地址, 订单…我想换货, 想退换, 换42码) with an accepted task intent goes to the intent;
 * 3. a question (退货运费谁出, 多久到) the FAQ answers goes to the FAQ;
 * 4. when only one side is confident, it wins; when both are and nothing tells them apart, the intent wins unless
 *    the FAQ scores at least `faqOverride`;
 * 5. otherwise suggestions (`faq_suggest`) or an intent clarification (`intent_clarify`) ask the customer, and
 *    with nothing at all the route is `fallback` (hand over to a person rather than guess).
 *
 * @example
 * ```ts
 * arbitrate({ text: '退货运费谁出', intent: classify(model, '退货运费谁出'), faq: searchFaq(index, '退货运费谁出') });
 * // → { route: 'faq', reason: 'question_to_faq', faqId: 'return_shipping_fee', intent: null }
 * arbitrate({ text: '我要退货', intent: …, faq: … }); // → { route: 'intent', reason: 'request_to_intent', intent: 'return_goods', … }
 * ```
 */
export function arbitrate(input: ArbitrateInput, options?: ArbitrateOptions): Arbitration {
  const fn = 'arbitrate';
  checkOption(typeof input === 'object' && input !== null, fn, 'input', input, 'an object { text, intent, faq }');
  assertText(input.text, 'arbitrate(input.text)');
  checkOption(typeof input.intent === 'object' && input.intent !== null && typeof input.intent.decision === 'string', fn, 'intent', input.intent, 'an IntentResult from classify');
  checkOption(typeof input.faq === 'object' && input.faq !== null && typeof input.faq.decision === 'string', fn, 'faq', input.faq, 'a FaqSearchResult from searchFaq');
  assertOptions(options, fn);
  const faqOverride = options?.faqOverride ?? DEFAULT_ARBITRATE_OPTIONS.faqOverride;
  checkOption(typeof faqOverride === 'number' && faqOverride >= 0 && faqOverride <= 1, fn, 'faqOverride', faqOverride, 'a number in [0, 1]');
  const tasks = options?.taskIntents;
  checkOption(tasks === undefined || (Array.isArray(tasks) && tasks.every((t) => typeof t === 'string')), fn, 'taskIntents', tasks, 'an array of intent names');

  const { text, intent, faq } = input;
  const faqId = faq.decision === 'answer' ? (faq.faq?.id ?? null) : null;
  const intentName = intent.decision === 'accept' ? intent.intent : null;
  const isTask = intentName !== null && (tasks === undefined || tasks.includes(intentName));
  const toFaq = (reason: ArbitrationReason): Arbitration => ({ route: 'faq', reason, faqId, intent: null });
  const toIntent = (reason: ArbitrationReason): Arbitration => ({ route: 'intent', reason, faqId: null, intent: intentName });

  if (faqId !== null && faq.reason === 'rule') return toFaq('faq_rule');
  const trimmed = text.trim();
  const isRequest = REQUEST_CUE.test(trimmed);
  const isOpener = OPENER.test(trimmed);
  if (isOpener && intentName !== null) return toIntent('chat_opener');
  const isQuestion = QUESTION_CUE.test(trimmed) && !isOpener;
  if (isTask && isRequest && !isQuestion) return toIntent('request_to_intent');
  if (faqId !== null && isQuestion) return toFaq('question_to_faq');
  if (faqId !== null && intentName === null) return toFaq('faq_only');
  if (faqId === null && intentName !== null) return toIntent('intent_only');
  if (faqId !== null && intentName !== null) {
    if (!isTask) return toFaq('faq_stronger');
    return (faq.faq?.score ?? 0) >= faqOverride ? toFaq('faq_stronger') : toIntent('intent_default');
  }
  if (faq.decision === 'suggest') return { route: 'clarify', reason: 'faq_suggest', faqId: null, intent: null };
  if (intent.decision === 'clarify') return { route: 'clarify', reason: 'intent_clarify', faqId: null, intent: intent.intent };
  return { route: 'fallback', reason: 'nothing_matched', faqId: null, intent: null };
}
