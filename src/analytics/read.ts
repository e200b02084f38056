import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { KefuError } from '../errors.js';
import { checkOption } from '../internal/assert.js';
import { parseTurnLogLine, type TurnLogRecord } from './event.js';

/** One item of {@link readLogEvents}: a valid event, or a skipped line and why. Line numbers are 1-based. */
export type LogReadItem =
  | { readonly kind: 'event'; readonly line: number; readonly event: TurnLogRecord }
  | { readonly kind: 'skipped'; readonly line: number; readonly reason: string };

/**
 * Streams a JSONL conversation log, one item per non-blank line, without loading the file: valid `turn` events, and
 * every other line as `skipped` with its line number and the reason (not JSON, unsupported type, schema problems).
 * Throws `LOG_READ_FAILED` when the file cannot be opened or read.
 *
 * @example
 * ```ts
 * for await (const item of readLogEvents('logs/bot.jsonl')) {
 *   if (item.kind === 'skipped') console.warn(`line ${item.line}: ${item.reason}`);
 * }
 * ```
 */
export async function* readLogEvents(path: string): AsyncGenerator<LogReadItem> {
  checkOption(typeof path === 'string' && path !== '', 'readLogEvents', 'path', path, 'a file path');
  const stream = createReadStream(path, { encoding: 'utf8' });
  let failure: unknown = null;
  stream.on('error', (cause) => {
    failure = cause;
  });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      if (text.trim() === '') continue;
      const r = parseTurnLogLine(text);
      yield r.ok ? { kind: 'event', line, event: r.event } : { kind: 'skipped', line, reason: r.reason };
    }
  } catch (cause) {
    if (cause instanceof KefuError) throw cause;
    throw readFailed(path, failure ?? cause);
  } finally {
    rl.close();
    stream.destroy();
  }
  if (failure !== null) throw readFailed(path, failure);
}

function readFailed(path: string, cause: unknown): KefuError {
  return new KefuError(
    'LOG_READ_FAILED',
    `Cannot read the conversation log "${path}": ${cause instanceof Error ? cause.message : String(cause)}. Check the path.`,
    { path },
    { cause },
  );
}
