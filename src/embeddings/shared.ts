import { KefuError } from '../errors.js';
import { describe } from '../internal/assert.js';

/** Errors shared by the embedders of this folder (not part of the public surface). */
export function notTextsError(value: unknown, index?: number): KefuError {
  const where = index === undefined ? 'texts' : `texts[${index}]`;
  return new KefuError(
    'INVALID_INPUT',
    `embed(texts): ${where} must be ${index === undefined ? 'an array of strings' : 'a string'}, got ${describe(value)}.`,
    index === undefined ? { got: describe(value) } : { index, got: describe(value) },
  );
}

export function disposedError(what: string): KefuError {
  return new KefuError('EMBEDDER_DISPOSED', `The ${what} was disposed; create a new one to embed more texts.`, { embedder: what });
}

/** Checks `texts` is an array of strings; returns the error to reject with, or null. */
export function checkTexts(texts: unknown): KefuError | null {
  if (!Array.isArray(texts)) return notTextsError(texts);
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') return notTextsError(texts[i], i);
  }
  return null;
}
