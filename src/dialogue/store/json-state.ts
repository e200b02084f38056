import { KefuError } from '../../errors.js';

/** One value in a session state that would not come back unchanged from JSON. */
export interface JsonStateIssue {
  /** Where it is, as a property path from the state root: `state.slots.date`, `state.history[3]`. */
  readonly path: string;
  /** What is wrong with it, e.g. `a Date (JSON turns it into a string)`. */
  readonly problem: string;
}

/** Stops the walk on pathological input; the first issues are what a developer needs to see. */
const MAX_ISSUES = 50;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Lists the values in `state` that do not survive `JSON.stringify` → `JSON.parse` unchanged: `undefined`,
 * functions, symbols, bigints, `NaN` and `±Infinity`, class instances (`Date`, `Map`, `Set`…), sparse arrays,
 * symbol keys and cycles. An empty list means the state round-trips through JSON as it is (`-0` reads back as `0`).
 *
 * @example
 * ```ts
 * findJsonStateIssues({ at: new Date(), n: NaN });
 * // [{ path: 'state.at', problem: 'a Date (JSON turns it into a string): store an ISO string instead' },
 * //  { path: 'state.n', problem: 'NaN (JSON writes null)' }]
 * ```
 */
export function findJsonStateIssues(state: unknown): JsonStateIssue[] {
  const issues: JsonStateIssue[] = [];
  const onPath = new Set<object>();

  const visit = (value: unknown, path: string, inArray: boolean): void => {
    if (issues.length >= MAX_ISSUES) return;
    const report = (problem: string): void => {
      issues.push({ path, problem });
    };
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) report(`${String(value)} (JSON writes null)`);
        return;
      case 'undefined':
        report(inArray ? 'undefined (JSON writes null)' : 'undefined (JSON drops it): leave the key out or use null');
        return;
      case 'function':
        report('a function (JSON drops it)');
        return;
      case 'symbol':
        report('a symbol (JSON drops it)');
        return;
      case 'bigint':
        report('a bigint (JSON cannot write it): store it as a string');
        return;
      case 'object':
        break;
    }
    if (value === null) return;
    const object = value as object;
    if (onPath.has(object)) {
      report('a circular reference (JSON cannot write it)');
      return;
    }
    if (Array.isArray(object)) {
      onPath.add(object);
      const array = object as readonly unknown[];
      for (let i = 0; i < array.length; i++) {
        if (!(i in array)) report(`a hole at index ${i} (JSON writes null)`);
        else visit(array[i], `${path}[${i}]`, true);
      }
      onPath.delete(object);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      report(describeInstance(object));
      return;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) report('symbol keys (JSON drops them)');
    onPath.add(object);
    for (const [key, child] of Object.entries(object)) {
      visit(child, IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, false);
    }
    onPath.delete(object);
  };

  visit(state, 'state', false);
  return issues;
}

function describeInstance(object: object): string {
  if (object instanceof Date) return 'a Date (JSON turns it into a string): store an ISO string instead';
  if (object instanceof Map) return 'a Map (JSON writes {}): store a plain object instead';
  if (object instanceof Set) return 'a Set (JSON writes {}): store an array instead';
  const name = (object.constructor as { name?: unknown } | undefined)?.name;
  return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} (JSON keeps only its own fields): store plain objects`;
}

/**
 * Turns a session state into the JSON text a store keeps, after checking that it survives JSON unchanged.
 * Custom {@link SessionStore} implementations use it to give the same guarantee as the bundled ones.
 *
 * @throws KefuError `STATE_NOT_JSON` listing every offending value (`details.issues`, each with its path).
 * @example
 * ```ts
 * const text = serializeSessionState({ step: 'ask_city', slots: { city: '上海市' } });
 * await db.put(sessionId, text);
 * ```
 */
export function serializeSessionState(state: unknown): string {
  const issues = findJsonStateIssues(state);
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.problem}`).join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new KefuError(
      'STATE_NOT_JSON',
      `Session state must be plain JSON data, but ${issues.length === 1 ? 'one value does' : `${issues.length} values do`} not survive JSON: ${shown}${more}. Keep dates as ISO strings, maps as plain objects and leave out undefined fields.`,
      { issues },
    );
  }
  return JSON.stringify(state);
}
