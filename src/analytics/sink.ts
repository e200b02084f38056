import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { KefuError } from '../errors.js';
import { assertOptions, checkOption, describe } from '../internal/assert.js';

/** Options of {@link createJsonlLogSink}. */
export interface JsonlLogSinkOptions {
  /** The log file; created (with its folder) on the first write, appended to when it exists. */
  readonly path: string;
  /** Buffered bytes that trigger a write to the file (default 64 KiB). `flush()` and `close()` write the rest. */
  readonly bufferBytes?: number;
}

/** A buffered JSONL writer of log events: one JSON object per line, in `write` order. */
export interface JsonlLogSink {
  readonly path: string;
  /** Queues one event (any JSON-serialisable object); never blocks. Throws `LOG_WRITE_FAILED` after `close()`. */
  write(event: object): void;
  /** Writes everything queued so far. Rejects with `LOG_WRITE_FAILED` (with the I/O error as `cause`) if a write failed. */
  flush(): Promise<void>;
  /** Flushes and closes the file; later writes throw. Calling it twice is harmless. */
  close(): Promise<void>;
}

/** Defaults of {@link JsonlLogSinkOptions}. */
export const DEFAULT_JSONL_SINK_OPTIONS = { bufferBytes: 64 * 1024 } as const;

/**
 * Creates the JSONL file sink for conversation logs: `createBot({ log: sink })` (or any caller) writes one event per
 * turn; `kefu report --logs FILE` reads the file back. Writes are buffered and serialised through one file handle, so
 * lines never interleave; an event that cannot be serialised (a cycle, a BigInt) is not written and makes the next
 * `flush()` reject.
 *
 * @example
 * ```ts
 * const sink = createJsonlLogSink({ path: 'logs/2026-11-21.jsonl' });
 * sink.write({ type: 'turn', session: 's1', turn: 1, ... });
 * await sink.close();
 * ```
 */
export function createJsonlLogSink(options: JsonlLogSinkOptions): JsonlLogSink {
  assertOptions(options, 'createJsonlLogSink');
  checkOption(typeof options?.path === 'string' && options.path !== '', 'createJsonlLogSink', 'path', options?.path, 'a non-empty file path');
  const bufferBytes = options.bufferBytes ?? DEFAULT_JSONL_SINK_OPTIONS.bufferBytes;
  checkOption(Number.isInteger(bufferBytes) && bufferBytes >= 0, 'createJsonlLogSink', 'bufferBytes', bufferBytes, 'a non-negative integer');
  const path = options.path;

  let pending: string[] = [];
  let pendingBytes = 0;
  let handle: Promise<FileHandle> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let closed = false;

  const fail = (message: string, cause: unknown, extra: Record<string, unknown> = {}): KefuError =>
    new KefuError('LOG_WRITE_FAILED', message, { path, ...extra }, { cause });

  const getHandle = (): Promise<FileHandle> => {
    handle ??= mkdir(dirname(path), { recursive: true }).then(() => open(path, 'a'));
    return handle;
  };

  const drain = (): Promise<void> => {
    if (pending.length === 0) return chain;
    const data = pending.join('');
    pending = [];
    pendingBytes = 0;
    chain = chain.then(async () => {
      try {
        await (await getHandle()).appendFile(data, 'utf8');
      } catch (cause) {
        failure ??= cause;
      }
    });
    return chain;
  };

  const check = (): void => {
    if (failure !== null) {
      const cause = failure;
      failure = null;
      throw fail(`Could not write the conversation log "${path}": ${cause instanceof Error ? cause.message : String(cause)}. Check the path and permissions.`, cause);
    }
  };

  return {
    path,
    write(event: object): void {
      if (closed) throw fail(`The log sink for "${path}" is closed; create a new sink to keep logging.`, undefined);
      if (typeof event !== 'object' || event === null) {
        failure ??= new TypeError(`an event must be an object, got ${describe(event)}`);
        return;
      }
      let line: string;
      try {
        line = `${JSON.stringify(event)}\n`;
      } catch (cause) {
        failure ??= cause;
        return;
      }
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= bufferBytes) void drain();
    },
    async flush(): Promise<void> {
      await drain();
      check();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await drain();
      if (handle !== null) {
        try {
          await (await handle).close();
        } catch (cause) {
          failure ??= cause;
        }
      }
      check();
    },
  };
}
