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

const slotName = id('slot name');
const reply = text;
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time, e.g. 2026-11-21T10:00:00+08:00');

export const slotSchema = z.strictObject({
  name: slotName,
  entity: id('entity name'),
  role: z.string().optional(),
  required: z.boolean().optional(),
  requiredUnless: z.union([slotName, z.array(slotName)]).optional(),
  prompt: reply.optional(),
  reprompts: z.union([reply, z.array(reply)]).optional(),
  fromText: z.boolean().optional(),
  validate: z
    .strictObject({
      pattern: text.optional(),
      flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags must be distinct letters from "imsu"').optional(),
      minLength: z.number().int().nonnegative().optional(),
      maxLength: z.number().int().positive().optional(),
      values: z.array(text).min(1).optional(),
    })
    .optional(),
  invalid: reply.optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
  onMaxAttempts: z.enum(['handoff', 'cancel']).optional(),
  carry: z.boolean().optional(),
});

const outcomeSchema = z.union([
  reply,
  z.strictObject({
    reply: reply.optional(),
    retry: slotName.optional(),
    handoff: id('handoff reason').optional(),
    next: id('flow name').optional(),
    resolved: z.boolean().optional(),
  }),
]);

export const flowSchema = z.strictObject({
  name: id('flow name'),
  intent: z.union([id('intent name'), z.array(id('intent name')).min(1)]).optional(),
  label: text.optional(),
  description: z.string().optional(),
  slots: z.array(slotSchema).optional(),
  confirm: reply.optional(),
  action: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'action must be an identifier such as create_return or createReturn').optional(),
  outcomes: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'outcome names are lower-case identifiers'), outcomeSchema).optional(),
  reply: reply.optional(),
  cancelled: reply.optional(),
  handoff: id('handoff reason').optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be a time written HH:MM (24-hour)');
const intentList = z.array(id('intent name'));
export const dialogueSchema = z.strictObject({
  handoff: z
    .strictObject({
      explicitIntents: intentList.optional(),
      maxFallbacks: z.number().int().min(0).optional(),
      complaintIntents: intentList.optional(),
      negativeEmotions: z.array(text).optional(),
      emotionThreshold: z.number().min(0).max(1).optional(),
      vip: z.boolean().optional(),
      serviceHours: z
        .union([
          z.null(),
          z.strictObject({
            timeZone: text,
            open: hhmm,
            close: hhmm,
            days: z.array(z.number().int().min(1).max(7)).min(1).optional(),
          }),
        ])
        .optional(),
    })
    .optional(),
  cancelIntents: intentList.optional(),
  cancelPatterns: z.array(text).optional(),
  restartPatterns: z.array(text).optional(),
  affirmIntents: intentList.optional(),
  denyIntents: intentList.optional(),
  smalltalkIntents: intentList.optional(),
  timeoutMinutes: z.number().positive().optional(),
  historyTurns: z.number().int().min(1).max(100).optional(),
  maskEntities: z.array(id('entity name')).optional(),
});

const scalar = z.union([z.string(), z.number()]);
const nluSchema = z.strictObject({
  intent: z.union([id('intent name'), z.null()]).optional(),
  decision: z.enum(['accept', 'clarify', 'fallback']).optional(),
  ranking: z.array(id('intent name')).optional(),
  confidence: z.number().min(0).max(1).optional(),
  entities: z
    .union([
      z.record(z.string(), scalar),
      z.array(z.strictObject({ entity: id('entity name'), value: scalar, text: z.string().optional(), role: z.string().optional() })),
    ])
    .optional(),
  faq: z.union([id('FAQ id'), z.null()]).optional(),
  emotion: z.union([z.null(), z.string(), z.strictObject({ label: text, confidence: z.number().min(0).max(1) })]).optional(),
});

const expectSchema = z.strictObject({
  intent: z.union([id('intent name'), z.null()]).optional(),
  flow: z.union([id('flow name'), z.null()]).optional(),
  slots: z.record(z.string(), scalar).optional(),
  completed: z.union([id('flow name'), z.null()]).optional(),
  faq: z.union([id('FAQ id'), z.null()]).optional(),
  handoff: z.union([z.string(), z.null()]).optional(),
  offline: z.boolean().optional(),
  replies: z.union([z.string(), z.array(z.string())]).optional(),
  notReplies: z.union([z.string(), z.array(z.string())]).optional(),
  summary: z.union([z.string(), z.array(z.string())]).optional(),
  actions: z.array(z.string()).optional(),
});

export const conversationSchema = z.strictObject({
  name: text,
  description: z.string().optional(),
  start: isoTime.optional(),
  channel: text.optional(),
  user: z.strictObject({ id: text.optional(), vip: z.boolean().optional() }).optional(),
  actions: z
    .record(z.string(), z.union([text, z.strictObject({ outcome: text, data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() })]))
    .optional(),
  turns: z
    .array(
      z.strictObject({
        user: z.string(),
        at: isoTime.optional(),
        channel: text.optional(),
        nlu: nluSchema.optional(),
        expect: expectSchema.optional(),
      }),
    )
    .min(1, 'a conversation needs at least one turn'),
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
  flows: flowSchema,
  dialogue: dialogueSchema,
  conversations: conversationSchema,
} as const;

export type SectionName = keyof typeof SECTIONS;
export const LIST_SECTIONS = ['dictionary', 'synonyms', 'intents', 'outOfScope', 'entities', 'faq', 'tests', 'flows', 'conversations'] as const;
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
  flows: Object.keys(flowSchema.shape),
  'flows.slots': Object.keys(slotSchema.shape),
  dialogue: Object.keys(dialogueSchema.shape),
  conversations: Object.keys(conversationSchema.shape),
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
    flows: z.array(flowSchema).optional(),
    dialogue: dialogueSchema.optional(),
    conversations: z.array(conversationSchema).optional(),
  });
  return z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
