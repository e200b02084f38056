import { KefuError } from '../errors.js';
import { assertText, checkOption } from '../internal/assert.js';
import type { Embedder } from '../embeddings/index.js';
import { mutable, stateOf } from './faq-index.js';
import { searchFaq } from './search.js';
import { normalized } from './vector-math.js';
import type { FaqEmbedderInfo, FaqIndex, FaqSearchResult, SearchFaqOptions } from './types.js';

/** Questions embedded per `embed` call, so a large knowledge base does not build one huge batch. */
const BATCH = 256;

function checkEmbedder(embedder: Embedder, fn: string): void {
  checkOption(
    typeof embedder === 'object' && embedder !== null && typeof embedder.embed === 'function' && typeof embedder.id === 'string' && Number.isInteger(embedder.dim) && embedder.dim > 0,
    fn,
    'embedder',
    embedder,
    'an Embedder { id, dim, embed() }',
  );
}

/** Throws unless `embedder` is the one the index's vectors came from. */
export function checkSameEmbedder(have: FaqEmbedderInfo | null, embedder: FaqEmbedderInfo, fn: string): void {
  if (have === null) return;
  if (have.id !== embedder.id) {
    throw new KefuError(
      'EMBEDDER_MISMATCH',
      `${fn}: the index holds vectors from embedder "${have.id}" but "${embedder.id}" was given. Pass the embedder the index was built with, or rebuild the index's vectors.`,
      { expected: have, got: { id: embedder.id, dim: embedder.dim } },
    );
  }
  if (have.dim !== embedder.dim) {
    throw new KefuError(
      'EMBEDDING_DIM_MISMATCH',
      `${fn}: the index was built with ${have.dim}-dim embeddings but the embedder produces ${embedder.dim}. Rebuild the index or pass the embedder it was built with.`,
      { expected: have.dim, got: embedder.dim },
    );
  }
}

/**
 * Embeds every indexed question that has no vector yet (all of them the first time; after `addFaqEntries` or
 * `updateFaqEntries`, only the new ones) and records the embedder's id and dimension in the index. From then on
 * `searchFaq` fuses the cosine similarity when given a `queryVector`. Re-tune thresholds afterwards
 * (`tuneFaqThresholds` with `negativeVectors`): vector scores shift the fused score. Returns how many were embedded.
 *
 * @example
 * ```ts
 * const embedder = createHashingEmbedder();
 * await addFaqVectors(index, embedder);
 * const result = await searchFaqWithEmbedder(index, embedder, '快递几天到');
 * ```
 */
export async function addFaqVectors(index: FaqIndex, embedder: Embedder): Promise<number> {
  const fn = 'addFaqVectors';
  const state = stateOf(index, fn);
  checkEmbedder(embedder, fn);
  checkSameEmbedder(index.embedder, embedder, fn);
  const todo: number[] = [];
  for (let d = 0; d < state.nextDoc; d++) if (state.docSlot[d] && !state.vectors[d]) todo.push(d);
  for (let i = 0; i < todo.length; i += BATCH) {
    const docs = todo.slice(i, i + BATCH);
    const vectors = await embedder.embed(docs.map((d) => state.docText[d] ?? ''));
    if (!Array.isArray(vectors) || vectors.length !== docs.length) {
      throw new KefuError('INVALID_INPUT', `${fn}: the embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${docs.length} texts.`, {});
    }
    vectors.forEach((v, k) => {
      if (!(v instanceof Float32Array) || v.length !== embedder.dim) {
        throw new KefuError('EMBEDDING_DIM_MISMATCH', `${fn}: embedder "${embedder.id}" declares dim ${embedder.dim} but returned a vector of ${v instanceof Float32Array ? v.length : 'another type'}.`, {});
      }
      // A document removed while the batch was embedding keeps no vector.
      const d = docs[k] as number;
      if (state.docSlot[d]) state.vectors[d] = normalized(v);
    });
  }
  mutable(index).embedder = { id: embedder.id, dim: embedder.dim };
  state.version++;
  return todo.length;
}

/**
 * Embeds a message for `searchFaq(index, text, { queryVector })`, checking the embedder is the index's.
 *
 * @example
 * ```ts
 * const queryVector = await embedFaqQuery(index, embedder, '快递几天到');
 * searchFaq(index, '快递几天到', { queryVector });
 * ```
 */
export async function embedFaqQuery(index: FaqIndex, embedder: Embedder, text: string): Promise<Float32Array> {
  const fn = 'embedFaqQuery';
  stateOf(index, fn);
  checkEmbedder(embedder, fn);
  assertText(text, 'embedFaqQuery(text)');
  if (index.embedder === null) {
    throw new KefuError('EMBEDDER_MISMATCH', `${fn}: the index has no vectors. Run addFaqVectors(index, embedder) first.`, {});
  }
  checkSameEmbedder(index.embedder, embedder, fn);
  const [v] = await embedder.embed([text]);
  if (!(v instanceof Float32Array) || v.length !== embedder.dim) {
    throw new KefuError('EMBEDDING_DIM_MISMATCH', `${fn}: embedder "${embedder.id}" returned a vector of the wrong size.`, {});
  }
  return normalized(v);
}

/**
 * `embedFaqQuery` then `searchFaq`: the one-call search when the index has vectors.
 *
 * @example
 * ```ts
 * (await searchFaqWithEmbedder(index, embedder, '包裹几天能到')).decision; // 'answer'
 * ```
 */
export async function searchFaqWithEmbedder(index: FaqIndex, embedder: Embedder, text: string, options?: SearchFaqOptions): Promise<FaqSearchResult> {
  const queryVector = await embedFaqQuery(index, embedder, text);
  return searchFaq(index, text, { ...(options ?? {}), queryVector });
}
