import { readFile } from 'node:fs/promises';
import {
  KefuError,
  parseIntentModel,
  parseSlotTagger,
  serializeIntentModel,
  serializeSlotTagger,
  type IntentModel,
  type SlotTaggerModel,
} from '../index.js';

/** The `format` of the file `kefu train` writes: the intent model and, when the pack has learned slots, the slot tagger. */
export const MODEL_BUNDLE_FORMAT = 'kefu/model-bundle';
export const MODEL_BUNDLE_FORMAT_VERSION = 1;

/** What `kefu train` saves and `kefu parse --model` reads. */
export interface ModelBundle {
  readonly intent: IntentModel;
  readonly slotTagger: SlotTaggerModel | null;
}

/** One JSON document holding both models, each in its own versioned format. */
export function serializeModelBundle(bundle: ModelBundle): string {
  const intent = serializeIntentModel(bundle.intent);
  const slots = bundle.slotTagger === null ? 'null' : serializeSlotTagger(bundle.slotTagger);
  return `{"format":"${MODEL_BUNDLE_FORMAT}","formatVersion":${MODEL_BUNDLE_FORMAT_VERSION},"intent":${intent},"slotTagger":${slots}}`;
}

/**
 * Reads a model file: a bundle written by `kefu train`, or a bare intent model (`serializeIntentModel`). Unknown
 * formats and versions are `FORMAT_VERSION_UNSUPPORTED`; unreadable or malformed files `MODEL_INVALID`.
 */
export async function readModelFile(path: string): Promise<ModelBundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `Cannot read model file "${path}". Train one with: kefu train --pack DIR --out FILE`, { path }, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `The model file "${path}" is not valid JSON. Pass the file written by kefu train.`, { path }, { cause });
  }
  const v = value as Record<string, unknown> | null;
  if (typeof v === 'object' && v !== null && v.format === MODEL_BUNDLE_FORMAT) {
    if (v.formatVersion !== MODEL_BUNDLE_FORMAT_VERSION) {
      throw new KefuError(
        'FORMAT_VERSION_UNSUPPORTED',
        `"${path}" is a model bundle version ${JSON.stringify(v.formatVersion)}; this kefu reads version ${MODEL_BUNDLE_FORMAT_VERSION}. Retrain with this kefu version.`,
        { path, format: v.format, formatVersion: v.formatVersion, supported: [MODEL_BUNDLE_FORMAT_VERSION] },
      );
    }
    return {
      intent: parseIntentModel(JSON.stringify(v.intent)),
      slotTagger: v.slotTagger === null || v.slotTagger === undefined ? null : parseSlotTagger(JSON.stringify(v.slotTagger)),
    };
  }
  return { intent: parseIntentModel(text), slotTagger: null };
}
