import { checkOption } from '../internal/assert.js';
import { createRandom } from '../internal/random.js';

/**
 * A seeded subsample of `size` items, in their original order (so a subsample of a file reads like the file).
 * The same items, size and seed always give the same subsample; `size` ≥ length returns a copy of all items.
 *
 * @example
 * ```ts
 * const quickTest = subsample(test, { size: 500, seed: 42 });
 * ```
 */
export function subsample<T>(items: readonly T[], options: { readonly size: number; readonly seed: number }): T[] {
  const { size, seed } = options;
  checkOption(Number.isInteger(size) && size >= 0, 'subsample', 'size', size, 'a non-negative integer');
  checkOption(Number.isInteger(seed), 'subsample', 'seed', seed, 'an integer');
  if (size >= items.length) return [...items];
  // Partial Fisher–Yates over indices: the first `size` slots are a uniform sample without replacement.
  const index = Array.from(items, (_, i) => i);
  const random = createRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (index.length - i));
    const t = index[i] as number;
    index[i] = index[j] as number;
    index[j] = t;
  }
  return index
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((i) => items[i] as T);
}
