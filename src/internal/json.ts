import { KefuError } from '../errors.js';
import { assertText } from './assert.js';

/**
 * Parses the JSON text of a saved artifact (a model, a tagger): `INVALID_INPUT` for a non-string, `MODEL_INVALID`
 * naming `what` and the function that writes it for text that is not JSON. The caller validates the shape.
 */
export function parseArtifactJson(json: string, fn: string, what: string, writer: string): unknown {
  assertText(json, `${fn}(json)`);
  try {
    return JSON.parse(json) as unknown;
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `${what} is not valid JSON. Pass the text written by ${writer}().`, {}, { cause });
  }
}
