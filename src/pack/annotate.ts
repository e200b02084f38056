import { assertText } from '../internal/assert.js';

/** An entity span marked in an annotated example, in offsets of the plain text. */
export interface AnnotatedSpan {
  readonly entity: string;
  /** Canonical value given after `:`, if any. */
  readonly value?: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A problem in annotation markup, at `offset` of the annotated source. */
export interface AnnotationProblem {
  readonly offset: number;
  readonly message: string;
}

/** The plain text of an annotated example, its spans, and any markup problems. */
export interface ParsedAnnotation {
  readonly text: string;
  readonly spans: readonly AnnotatedSpan[];
  readonly problems: readonly AnnotationProblem[];
}

const ENTITY_NAME = /^[a-z][a-z0-9_.]*$/;

/**
 * Parses the inline slot syntax `[surface](entity)` / `[surface](entity:canonical)`. A `[...]` not followed by `(`
 * stays literal text (chat logs contain `[图片]`); `\[ \] \( \) \\` escape. Problems are returned, never thrown.
 *
 * @example
 * ```ts
 * parseAnnotated('用[顺丰](courier:SF)寄');
 * // { text: '用顺丰寄', spans: [{ entity: 'courier', value: 'SF', start: 1, end: 3, text: '顺丰' }], problems: [] }
 * ```
 */
export function parseAnnotated(source: string): ParsedAnnotation {
  assertText(source, 'parseAnnotated(source)');
  let text = '';
  const spans: AnnotatedSpan[] = [];
  const problems: AnnotationProblem[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\' && i + 1 < source.length && '[]()\\'.includes(source[i + 1] as string)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (c !== '[') {
      text += c;
      i++;
      continue;
    }
    const close = findUnescaped(source, ']', i + 1);
    if (close < 0 || source[close + 1] !== '(') {
      text += c;
      i++;
      continue;
    }
    const surface = unescape(source.slice(i + 1, close));
    if (surface.includes('[')) {
      problems.push({ offset: i, message: 'nested "[" inside an annotation; escape it as "\\["' });
    }
    const paren = findUnescaped(source, ')', close + 2);
    if (paren < 0) {
      problems.push({ offset: close + 1, message: `annotation "[${surface}](" is missing its closing ")"` });
      text += surface;
      break;
    }
    const label = unescape(source.slice(close + 2, paren));
    const colon = label.indexOf(':');
    const entity = (colon < 0 ? label : label.slice(0, colon)).trim();
    const value = colon < 0 ? undefined : label.slice(colon + 1).trim();
    if (!ENTITY_NAME.test(entity)) {
      problems.push({
        offset: close + 2,
        message: `"${entity}" is not a valid entity name: use lower-case letters, digits, "_" and "."`,
      });
    } else if (surface === '') {
      problems.push({ offset: i, message: `annotation for "${entity}" has no text between "[" and "]"` });
    } else if (value === '') {
      problems.push({ offset: close + 2, message: `annotation "${label}" has an empty value after ":"` });
    } else {
      const start = text.length;
      const span: AnnotatedSpan =
        value === undefined
          ? { entity, start, end: start + surface.length, text: surface }
          : { entity, value, start, end: start + surface.length, text: surface };
      spans.push(span);
    }
    text += surface;
    i = paren + 1;
  }
  return { text, spans, problems };
}

function findUnescaped(s: string, ch: string, from: number): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] === '\\') {
      k++;
      continue;
    }
    if (s[k] === ch) return k;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\([[\]()\\])/g, '$1');
}
