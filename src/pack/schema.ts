import { z } from 'zod';

/** Ids of intents, entities, FAQ entries and responses: lower-case, digits, `_` and `.`. */
export const ID = /^[a-z][a-z0-9_.]*$/;
const id = (what: string) =>
  z.string().regex(ID, `${what} must be lower-case letters, digits, "_" or "." and start with a letter`);
const text = z.string().trim().min(1, 'must be a non-empty string');
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a valid calendar date');

export const dictionaryEntrySchema = z.union([
  text,
  z.strictObject({ word: text, freq: z.number().int().positive().optional(), tag: z.string().optional() }),
]);

export const synonymGroupSchema = z.array(text).min(2, 'a synonym group needs at least two words');

export const intentSchema = z.strictObject({
  name: id('intent name'),
  description: z.string().optional(),
  examples: z.array(text).min(1, 'an intent needs at least one example'),
  tests: z.array(text).optional(),
});

const dictionaryValueSchema = z.union([
  text,
  z.strictObject({ value: text, synonyms: z.array(text).optional() }),
]);

export const entitySchema = z.discriminatedUnion('type', [
  z.strictObject({
    name: id('entity name'),
    type: z.literal('dictionary'),
    description: z.string().optional(),
    fuzzy: z.number().min(0).max(1).optional(),
    values: z.array(dictionaryValueSchema).min(1),
  }),
  z.strictObject({
    name: id('entity name'),
    type: z.literal('lookup'),
    description: z.string().optional(),
    values: z.array(text).min(1),
  }),
  z.strictObject({
    name: id('entity name'),
    type: z.literal('regex'),
    description: z.string().optional(),
    pattern: text,
    flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags must be distinct letters from "imsu"').optional(),
  }),
  z.strictObject({ name: id('entity name'), type: z.literal('learned'), description: z.string().optional() }),
]);

export const faqSchema = z.strictObject({
  id: id('FAQ id'),
  question: text,
  similar: z.array(text).optional(),
  answer: text,
  channels: z.record(z.string(), text).optional(),
  category: z.union([text, z.array(text)]).optional(),
  tags: z.array(text).optional(),
  enabled: z.boolean().optional(),
  validFrom: date.optional(),
  validTo: date.optional(),
  match: z.enum(['smart', 'exact', 'contains', 'regex']).optional(),
  patterns: z.array(text).optional(),
  tests: z.array(text).optional(),
});

const variants = z.union([text, z.array(text).min(1)]);
export const responseSchema = z.union([
  text,
  z.array(text).min(1),
  z.strictObject({ text: variants, channels: z.record(z.string(), variants).optional() }),
]);

export const testSchema = z.strictObject({
  text,
  intent: z.union([id('intent name'), z.null()]).optional(),
  faq: z.union([id('FAQ id'), z.null()]).optional(),
});

/** Top-level keys of a pack file, each with its schema. List sections are validated item by item. */
export const SECTIONS = {
  version: z.literal(1, 'version must be 1 (the only pack format version)'),
  name: text,
  language: z.enum(['zh', 'en']),
  description: z.string(),
  dictionary: dictionaryEntrySchema,
  synonyms: synonymGroupSchema,
  intents: intentSchema,
  outOfScope: text,
  entities: entitySchema,
  faq: faqSchema,
  responses: responseSchema,
  tests: testSchema,
} as const;

export type SectionName = keyof typeof SECTIONS;
export const LIST_SECTIONS = ['dictionary', 'synonyms', 'intents', 'outOfScope', 'entities', 'faq', 'tests'] as const;
export const MANIFEST_KEYS = ['version', 'name', 'language', 'description'] as const;

/** Allowed keys per object kind, for "unknown key" messages that list what is accepted. */
export const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  file: Object.keys(SECTIONS),
  intents: Object.keys(intentSchema.shape),
  'entities.dictionary': ['name', 'type', 'description', 'fuzzy', 'values'],
  'entities.lookup': ['name', 'type', 'description', 'values'],
  'entities.regex': ['name', 'type', 'description', 'pattern', 'flags'],
  'entities.learned': ['name', 'type', 'description'],
  faq: Object.keys(faqSchema.shape),
  tests: Object.keys(testSchema.shape),
  responses: ['text', 'channels'],
  dictionary: ['word', 'freq', 'tag'],
  'entities.values': ['value', 'synonyms'],
};

/**
 * JSON Schema of one pack file, for editor completion (`yaml-language-server: $schema=...`).
 *
 * @example
 * ```ts
 * writeFileSync('pack.schema.json', JSON.stringify(packJsonSchema(), null, 2));
 * ```
 */
export function packJsonSchema(): Record<string, unknown> {
  const file = z.strictObject({
    version: SECTIONS.version.optional(),
    name: SECTIONS.name.optional(),
    language: SECTIONS.language.optional(),
    description: SECTIONS.description.optional(),
    dictionary: z.array(dictionaryEntrySchema).optional(),
    synonyms: z.array(synonymGroupSchema).optional(),
    intents: z.array(intentSchema).optional(),
    outOfScope: z.array(text).optional(),
    entities: z.array(entitySchema).optional(),
    faq: z.array(faqSchema).optional(),
    responses: z.record(z.string(), responseSchema).optional(),
    tests: z.array(testSchema).optional(),
  });
  return z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
