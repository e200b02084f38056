import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Exit codes shared by every command: 0 fine, 1 findings (warnings with --strict, regressions), 2 errors or bad use. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Bad command-line use: printed with the usage text, exit 2. Library errors are KefuErrors, printed with their code. */
export class UsageError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with positionals allowed and strict checking; its errors become {@link UsageError}s. */
export function parseCliArgs<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Calls `onLine` for each line of `input` (a file path, or `-` for standard input), in order, awaiting each call, so
 * thousands of messages cost one process start. A read error is a {@link UsageError} naming the input.
 */
export async function forEachInputLine(input: string, onLine: (line: string) => void | Promise<void>): Promise<void> {
  const stream = input === '-' ? process.stdin : createReadStream(input, 'utf8');
  let failure: Error | null = null;
  stream.on('error', (cause: Error) => {
    failure = new UsageError(`cannot read --input ${input}: ${cause.message}`);
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) await onLine(line);
  } catch (e) {
    throw failure ?? e;
  }
  if (failure !== null) throw failure;
}

/** Rounds a probability or score to 4 decimals for JSON output. */
export const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
