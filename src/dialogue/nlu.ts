import { createEmotionDetector } from '../emotion/index.js';
import type { Entity } from '../entities/types.js';
import { createIntentClassifier, trainIntents, type IntentModel } from '../intent/index.js';
import type { Pack } from '../pack/index.js';
import { createFaqIndex, searchFaq } from '../retrieval/index.js';
import type { Nlu } from './types.js';

/** Context handed to an understanding function. */
export interface NluContext {
  readonly now: Date;
  readonly timeZone: string;
  readonly channel: string | null;
}

/** Turns a message into the reducer's pre-parsed {@link Nlu}; inject your own in `createBot({ nlu })`. */
export type NluFunction = (text: string, context: NluContext) => Nlu;

/** Options of {@link createPackNlu}. */
export interface PackNluOptions {
  /** A trained intent model; default: trained from the pack (seconds). */
  readonly model?: IntentModel;
  /** Extracts entities; default: none (pass the entity extractor's `extract`). */
  readonly extract?: (text: string, context: NluContext) => readonly Entity[];
  /** Answer from the pack's FAQ. Default true. */
  readonly faq?: boolean;
  /** Detect emotion for the negative-sentiment handoff. Default true. */
  readonly emotion?: boolean;
  readonly seed?: number;
}

/**
 * A question about the rules (退货运费谁出？) goes to the FAQ even when the intent model recognises the topic
 * (return_goods); a request (我要退货) goes to the intent. The FAQ wins when it answers and the message reads as a
 * question, or when no intent was accepted.
 */
const QUESTION = /[?？吗呢么]|怎么|怎样|如何|多久|多少|几天|什么|谁|哪|能不能|可不可以|是否|有没有|会不会|要不要/u;

/**
 * The default understanding of `createBot`: the pack's intent classifier, FAQ search over `pack.faq`, the emotion
 * detector, and entities from `extract` when given.
 *
 * @example
 * ```ts
 * const nlu = createPackNlu(pack, { model });
 * nlu('退货运费谁出', { now: new Date(), timeZone: 'Asia/Shanghai', channel: null }).faq?.id; // 'return_shipping_fee'
 * ```
 */
export function createPackNlu(pack: Pack, options: PackNluOptions = {}): NluFunction {
  const model = options.model ?? trainIntents(pack, { seed: options.seed ?? 42 });
  const classifier = createIntentClassifier(model);
  const index = options.faq === false || pack.faq.length === 0 ? null : createFaqIndex(pack.faq, { language: pack.language, dictionary: pack.dictionary, synonyms: pack.synonyms });
  const detector = options.emotion === false ? null : createEmotionDetector();
  return (text, context) => {
    const r = classifier.classify(text);
    const entities = options.extract ? options.extract(text, context) : [];
    let faq: Nlu['faq'] = null;
    if (index) {
      const hit = searchFaq(index, text, { now: context.now, ...(context.channel ? { channel: context.channel } : {}) });
      const wins = hit.decision === 'answer' && hit.faq !== null && (r.decision !== 'accept' || hit.reason === 'rule' || QUESTION.test(text));
      if (wins && hit.faq) faq = { id: hit.faq.id, answer: hit.faq.answer };
    }
    const e = detector ? detector.detect(text) : null;
    return {
      intent: { intent: r.intent, confidence: r.confidence, ranking: r.ranking.slice(0, 5), decision: r.decision },
      entities,
      faq,
      emotion: e ? { label: e.label, confidence: e.confidence } : null,
    };
  };
}
