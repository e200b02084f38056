import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createRequire } from 'node:module';
import { isKefuError, lintPack, packJsonSchema, readPackSources, validatePackSources, type PackIssue } from '../index.js';

/** Exit codes shared by every command: 0 fine, 1 findings (warnings with --strict, regressions), 2 errors or bad use. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;

const USAGE = `kefu: customer-service NLP and dialogue toolkit

Usage:
  kefu lint --pack DIR [--strict] [--json]   check a pack: errors (exit 2), warnings (exit 1 with --strict)
  kefu schema                                print the JSON Schema of pack files (for editor completion)
  kefu --version | --help
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_ERROR : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    const require = createRequire(import.meta.url);
    process.stdout.write(`${(require('../package.json') as { version: string }).version}\n`);
    return EXIT_OK;
  }
  switch (command) {
    case 'lint':
      return lint(rest);
    case 'schema':
      process.stdout.write(`${JSON.stringify(packJsonSchema(), null, 2)}\n`);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

function parse<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function lint(args: string[]): Promise<number> {
  const { values } = parse(args, {
    pack: { type: 'string' },
    strict: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (typeof values.pack !== 'string') throw new UsageError('lint needs --pack DIR');
  const result = validatePackSources(await readPackSources(values.pack));
  const issues: PackIssue[] = result.ok ? lintPack(result.pack) : [...result.issues];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok: errors === 0, errors, warnings, issues })}\n`);
  } else {
    for (const i of issues) process.stdout.write(`${i.file}:${i.line}:${i.column}: ${i.severity} [${i.code}] ${i.message}\n`);
    process.stdout.write(`${values.pack}: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  if (errors > 0) return EXIT_ERROR;
  return warnings > 0 && values.strict ? EXIT_FINDINGS : EXIT_OK;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`kefu: ${err.message}\n\n${USAGE}`);
    } else if (isKefuError(err)) {
      process.stderr.write(`kefu: ${err.code}: ${err.message}\n`);
    } else {
      process.stderr.write(`kefu: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = EXIT_ERROR;
  },
);
