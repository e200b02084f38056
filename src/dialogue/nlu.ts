import { createEmotionDetector } from '../emotion/index.js';
import { createEntityExtractor, maskPii, type Entity } from '../entities/index.js';
import { createIntentClassifier, trainIntents, type IntentModel } from '../intent/index.js';
import type { Pack } from '../pack/index.js';
import { arbitrate, createFaqIndex, searchFaq } from '../retrieval/index.js';
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
  /** Extracts entities; default: `createEntityExtractor({ pack })` (system entities, pack entities, learned slots). */
  readonly extract?: (text: string, context: NluContext) => readonly Entity[];
  /** Intents that start tasks, for FAQ-vs-intent arbitration; default: every intent that starts a pack flow. */
  readonly taskIntents?: readonly string[];
  /** Answer from the pack's FAQ. Default true. */
  readonly faq?: boolean;
  /** Detect emotion for the negative-sentiment handoff. Default true. */
  readonly emotion?: boolean;
  readonly seed?: number;
}

/**
 * The default understanding of `createBot`: the pack's intent classifier, FAQ search over `pack.faq` arbitrated
 * against the intent, the entity extractor, the emotion detector, and PII masking of the recorded text.
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
  const extractor = options.extract ? null : createEntityExtractor({ pack });
  const extract = options.extract ?? ((text: string, context: NluContext) => (extractor as NonNullable<typeof extractor>).extract(text, { now: context.now, timeZone: context.timeZone }));
  const taskIntents = options.taskIntents ?? (pack.flows ?? []).flatMap((f) => f.intents);
  return (text, context) => {
    const r = classifier.classify(text);
    const entities = extract(text, context);
    let faq: Nlu['faq'] = null;
    if (index) {
      // One place decides FAQ vs task: 退货运费谁出 → FAQ, 我要退货 → the return flow.
      const hit = searchFaq(index, text, { now: context.now, timeZone: context.timeZone, ...(context.channel ? { channel: context.channel } : {}) });
      const route = arbitrate({ text, intent: r, faq: hit }, { taskIntents });
      // When the classifier hesitates between tasks, asking which one beats answering a related FAQ entry.
      const hesitating = route.reason === 'faq_only' && r.decision === 'clarify' && r.ranking.slice(0, 3).filter((x) => taskIntents.includes(x.name)).length >= 2;
      if (route.route === 'faq' && hit.faq && !hesitating) faq = { id: hit.faq.id, answer: hit.faq.answer };
    }
    const e = detector ? detector.detect(text) : null;
    return {
      intent: { intent: r.intent, confidence: r.confidence, ranking: r.ranking.slice(0, 5), decision: r.decision },
      entities,
      faq,
      emotion: e ? { label: e.label, confidence: e.confidence } : null,
      maskedText: maskPii(text),
    };
  };
}
