import { assertOptions, checkOption } from '../internal/assert.js';
import type { Pack } from '../pack/index.js';
import { createFaqIndex, setFaqThresholds } from './faq-index.js';
import { tuneFaqThresholds, type FaqTuning, type TuneFaqThresholdsOptions } from './thresholds.js';
import type { CreateFaqIndexOptions, FaqIndex } from './types.js';

/** Options of {@link createPackFaqIndex}: index options (language, dictionary and synonyms default to the pack's) and tuning options. */
export interface CreatePackFaqIndexOptions extends Omit<CreateFaqIndexOptions, 'thresholds'> {
  /** Tune thresholds by leave-one-out with the pack's `outOfScope` examples as negatives. Default true. */
  readonly tune?: boolean;
  readonly tuneOptions?: Omit<TuneFaqThresholdsOptions, 'negatives' | 'negativeVectors'>;
}

/**
 * Builds the FAQ index of a pack (its `faq` entries, dictionary and synonyms) and tunes its thresholds without
 * touching the pack's tests: leave-one-out over the similar questions, the `outOfScope` examples as negatives.
 *
 * @example
 * ```ts
 * const { index, tuning } = createPackFaqIndex(await loadPack('fixtures/packs/ecommerce-zh'));
 * tuning?.thresholds; // { answer: …, margin: …, suggest: … }
 * ```
 */
export function createPackFaqIndex(pack: Pack, options?: CreatePackFaqIndexOptions): { readonly index: FaqIndex; readonly tuning: FaqTuning | null } {
  const fn = 'createPackFaqIndex';
  checkOption(typeof pack === 'object' && pack !== null && Array.isArray(pack.faq), fn, 'pack', pack, 'a Pack from loadPack');
  assertOptions(options, fn);
  const { tune = true, tuneOptions, ...indexOptions } = options ?? {};
  checkOption(typeof tune === 'boolean', fn, 'tune', tune, 'a boolean');
  const negatives = pack.outOfScope.map((e) => e.text);
  const { classifier: classifierOption, ...rest } = indexOptions;
  // The pack's out-of-scope examples train the classifier's out-of-scope class unless the caller names negatives.
  const classifier =
    classifierOption === false
      ? false
      : { negatives, ...(typeof classifierOption === 'object' && classifierOption !== null ? classifierOption : {}) };
  const index = createFaqIndex(pack.faq, { language: pack.language, dictionary: pack.dictionary, synonyms: pack.synonyms, ...rest, classifier });
  if (!tune || !pack.faq.some((e) => e.similar.length > 0 && e.match === 'smart')) return { index, tuning: null };
  const tuning = tuneFaqThresholds(index, { ...(tuneOptions ?? {}), negatives });
  setFaqThresholds(index, tuning.thresholds);
  return { index, tuning };
}
