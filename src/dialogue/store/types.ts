/** A stored session: its JSON state and the version that optimistic concurrency compares. */
export interface StoredSession<S = unknown> {
  readonly state: S;
  /** Starts at 1 on the first write and grows by one on every successful write. */
  readonly version: number;
}

/** The result of a conditional write: `ok: false` means another writer got there first (re-read and retry). */
export type StoreWriteResult = { readonly ok: true; readonly version: number } | { readonly ok: false };

/**
 * Where a bot keeps its sessions. Every implementation gives the same guarantees: `set` succeeds only when the stored
 * version still equals `expectedVersion` (0 = the session must not exist yet), so two messages of one session
 * handled at once never lose an update; sessions idle longer than the store's TTL read as absent.
 */
export interface SessionStore<S = unknown> {
  get(sessionId: string): Promise<StoredSession<S> | null>;
  set(sessionId: string, state: S, expectedVersion: number): Promise<StoreWriteResult>;
  delete(sessionId: string): Promise<void>;
  /** Releases connections and timers; safe to call twice. */
  close(): Promise<void>;
}
