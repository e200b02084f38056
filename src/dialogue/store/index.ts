export type { SessionStore, StoredSession, StoreWriteResult } from './types.js';
export {
  createMemoryStore,
  DEFAULT_MEMORY_STORE_OPTIONS,
  type MemorySessionStore,
  type MemoryStoreOptions,
} from './memory.js';
export {
  createRedisStore,
  DEFAULT_REDIS_STORE_OPTIONS,
  type RedisScriptClient,
  type RedisStoreOptions,
} from './redis.js';
export { findJsonStateIssues, serializeSessionState, type JsonStateIssue } from './json-state.js';
