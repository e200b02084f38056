import { KefuError } from '../errors.js';

/** Throws INVALID_INPUT unless `value` is a string. Used at every public text entry point. */
export function assertText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new KefuError(
      'INVALID_INPUT',
      `${name} must be a string, got ${describe(value)}. Pass the message text as a string.`,
      { name, got: describe(value) },
    );
  }
}

/** Throws INVALID_OPTION unless `options` is undefined or a plain object. */
export function assertOptions(value: unknown, fn: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new KefuError('INVALID_OPTION', `${fn}: options must be an object, got ${describe(value)}.`, {
      got: describe(value),
    });
  }
}

/** Checks one option value against a predicate; the message lists what is accepted. */
export function checkOption(ok: boolean, fn: string, name: string, value: unknown, expected: string): void {
  if (!ok) {
    throw new KefuError(
      'INVALID_OPTION',
      `${fn}: option "${name}" must be ${expected}, got ${describe(value)}.`,
      { option: name, got: describe(value), expected },
    );
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
