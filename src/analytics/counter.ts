/**
 * A bounded frequency counter (lossy counting): exact while it holds at most `capacity` distinct keys; past
 * `2 × capacity` it keeps the `capacity` most frequent and forgets the rest, recording the largest forgotten count
 * as `errorBound` (any reported count may be that much too low, and a key with at most that many may be missing).
 * Amortised O(1) per add; memory O(capacity).
 */
export interface BoundedCounter<T> {
  add(key: string, n?: number, payload?: T): void;
  get(key: string): number;
  /** Entries by count, descending, ties by key. */
  top(k?: number): { key: string; count: number; payload: T | undefined }[];
  readonly size: number;
  /** 0 while exact. */
  readonly errorBound: number;
  /** Distinct keys forgotten so far. */
  readonly dropped: number;
}

export function createBoundedCounter<T = undefined>(capacity: number): BoundedCounter<T> {
  const counts = new Map<string, { count: number; payload: T | undefined }>();
  let errorBound = 0;
  let dropped = 0;
  const prune = (): void => {
    const sorted = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    for (const [key, v] of sorted.slice(capacity)) {
      counts.delete(key);
      dropped += 1;
      if (v.count > errorBound) errorBound = v.count;
    }
  };
  return {
    add(key, n = 1, payload) {
      const prev = counts.get(key);
      if (prev !== undefined) prev.count += n;
      else {
        counts.set(key, { count: n, payload });
        if (counts.size > 2 * capacity) prune();
      }
    },
    get: (key) => counts.get(key)?.count ?? 0,
    top(k = Infinity) {
      return [...counts.entries()]
        .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
        .slice(0, k)
        .map(([key, v]) => ({ key, count: v.count, payload: v.payload }));
    },
    get size() {
      return counts.size;
    },
    get errorBound() {
      return errorBound;
    },
    get dropped() {
      return dropped;
    },
  };
}
