import { z } from 'zod';

const isoTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 date-time such as 2026-11-21T09:30:00.000Z',
});

/**
 * The zod schema of one logged dialogue turn, the line format of a kefu conversation log (JSONL, one event per
 * line). Strict on the documented fields (docs/analytics.md), tolerant of extra fields, which are dropped, so newer
 * bots can add fields without breaking older readers.
 *
 * @example
 * ```ts
 * const r = turnLogRecordSchema.safeParse(JSON.parse(line));
 * if (r.success) console.log(r.data.intent);
 * ```
 */
export const turnLogRecordSchema = z.object({
  type: z.literal('turn'),
  session: z.string().min(1),
  turn: z.number().int().nonnegative(),
  time: isoTime,
  channel: z.string().nullable(),
  user: z.string().nullable(),
  text: z.string(),
  intent: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  decision: z.string(),
  faq: z.string().nullable(),
  flow: z.string().nullable(),
  slotsFilled: z.array(z.string()),
  completed: z.string().nullable(),
  resolved: z.boolean(),
  handoff: z.object({ reason: z.string() }).nullable(),
  /** An emotion label from detectEmotion; other strings are read as "no emotion" by the reports. */
  emotion: z.string().nullable(),
  rating: z.number().finite().nullable(),
});

/**
 * One logged turn as the analytics read it: the same fields as the dialogue's `TurnLogEvent`, so a bot's events can
 * be summarised directly.
 */
export type TurnLogRecord = z.infer<typeof turnLogRecordSchema>;

/** Result of {@link parseTurnLogLine}: the event, or why the line was skipped. */
export type ParsedLogLine = { readonly ok: true; readonly event: TurnLogRecord } | { readonly ok: false; readonly reason: string };

/**
 * Parses one JSONL log line. Never throws: a line that is not JSON, not an object, not a `turn` event or breaks the
 * schema gives `{ ok: false, reason }` naming the first problem fields.
 *
 * @example
 * ```ts
 * parseTurnLogLine('{"type":"turn"}'); // { ok: false, reason: 'session: expected string, received undefined; …' }
 * ```
 */
export function parseTurnLogLine(line: string): ParsedLogLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object' };
  const type = (raw as { type?: unknown }).type;
  if (type !== 'turn') return { ok: false, reason: `unsupported event type ${JSON.stringify(type) ?? 'undefined'}` };
  const r = turnLogRecordSchema.safeParse(raw);
  if (r.success) return { ok: true, event: r.data };
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: issues.join('; ') + (r.error.issues.length > 3 ? '; …' : '') };
}
