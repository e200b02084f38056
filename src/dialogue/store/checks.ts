import { KefuError } from '../../errors.js';
import { checkOption, describe } from '../../internal/assert.js';

/** Thirty minutes: a customer who has not written for that long starts a new conversation. */
export const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;

/** Argument checks shared by the bundled stores, so both reject the same calls with the same codes. */
export function checkSessionId(sessionId: unknown, fn: string): asserts sessionId is string {
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new KefuError(
      'INVALID_INPUT',
      `${fn}: sessionId must be a non-empty string, got ${describe(sessionId)}. Pass a stable id per conversation, e.g. "wechat:<openid>".`,
      { name: 'sessionId', got: describe(sessionId) },
    );
  }
}

export function checkExpectedVersion(expectedVersion: unknown, fn: string): asserts expectedVersion is number {
  if (typeof expectedVersion !== 'number' || !Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `${fn}: expectedVersion must be 0 (the session must not exist yet) or the version get() returned, got ${describe(expectedVersion)}.`,
      { name: 'expectedVersion', got: describe(expectedVersion) },
    );
  }
}

/** `ttlMs`: a positive integer number of milliseconds, or Infinity for sessions that never expire. */
export function checkTtl(ttlMs: unknown, fn: string): asserts ttlMs is number {
  checkOption(
    ttlMs === Number.POSITIVE_INFINITY || (typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs > 0),
    fn,
    'ttlMs',
    ttlMs,
    'a positive integer number of milliseconds, or Infinity for sessions that never expire',
  );
}

export function storeClosedError(fn: string): KefuError {
  return new KefuError('STORE_CLOSED', `${fn}: the session store is closed. Create a new store; close() is meant for shutdown.`, {});
}
