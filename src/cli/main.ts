import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import {
  createEntityExtractor,
  createIntentClassifier,
  isKefuError,
  lintPack,
  loadPack,
  packJsonSchema,
  readPackSources,
  trainIntents,
  trainIntentsWithEmbedder,
  validatePackSources,
  type Entity,
  type IntentExample,
  type IntentModel,
  type Pack,
  type PackIssue,
  type TrainIntentsOptions,
} from '../index.js';
import { loadEmbedderOption } from './embedder-option.js';
import { readModelFile, serializeModelBundle } from './model-file.js';
import { ASK_USAGE, askCommand } from './ask.js';
import { chatCommand } from './chat.js';
import { testCommand } from './test-command.js';

import { BENCH_USAGE, benchCommand } from './bench.js';
import { modelCommand } from './model.js';
import { reportCommand } from './report.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, forEachInputLine, parseCliArgs as parse, round4 as round } from './common.js';

const USAGE = `kefu: customer-service NLP and dialogue toolkit

Usage:
  kefu lint --pack DIR [--strict] [--json]   check a pack: errors (exit 2), warnings (exit 1 with --strict)
  kefu train (--pack DIR | --train FILE.jsonl [--lang zh|en]) --out FILE [--seed N] [--model-dir DIR]
                                             train the intent model (and the pack's slot tagger) and save them
  kefu parse (--pack DIR | --model FILE) [--model FILE] [--now ISO] [--tz ZONE] [--json]
             [--model-dir DIR] [--input FILE|-] [TEXT...]
                                             intents and entities of messages (one JSON line each with --json)
${ASK_USAGE}
${BENCH_USAGE}
  kefu model pull NAME --dir DIR [--base-url URL]
                                             download a local ONNX embedding model (kefu model --help)
  kefu chat --pack DIR [--json] [--session ID]   talk to the pack's bot (stdin lines; one JSON line per turn with --json)
  kefu test --pack DIR [--conversations PATH]    play scripted conversations and check every turn (exit 1 on a failure)
  kefu report --logs FILE [--html OUT] [--json] [--tz ZONE]   conversation analytics (exit 1 when lines were skipped)
  kefu schema                                print the JSON Schema of pack files (for editor completion)
  kefu --version | --help
`;

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
    case 'train':
      return train(rest);
    case 'parse':
      return parseCommand(rest);
    case 'ask':
      return askCommand(rest);
    case 'bench':
      return benchCommand(rest);
    case 'model':
      return modelCommand(rest);
    case 'chat':
      return chatCommand(rest);
    case 'test':
      return testCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'schema':
      process.stdout.write(`${JSON.stringify(packJsonSchema(), null, 2)}\n`);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown command "${command}"`);
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

/** Reads JSONL training rows `{"text","intent"}`; the label `oos` (or null) marks out-of-scope. */
async function readIntentJsonl(file: string): Promise<IntentExample[]> {
  const rows: IntentExample[] = [];
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${i + 1}: not valid JSON`);
    }
    const { text, intent } = (row ?? {}) as { text?: unknown; intent?: unknown };
    if (typeof text !== 'string' || !(typeof intent === 'string' || intent === null)) {
      throw new UsageError(`${file}:${i + 1}: expected {"text": string, "intent": string | "oos" | null}`);
    }
    rows.push({ text, intent: intent === 'oos' ? null : intent });
  });
  return rows;
}

async function train(args: string[]): Promise<number> {
  const { values } = parse(args, {
    pack: { type: 'string' },
    train: { type: 'string' },
    lang: { type: 'string', default: 'zh' },
    out: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'model-dir': { type: 'string' },
  });
  if (typeof values.out !== 'string') throw new UsageError('train needs --out FILE');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  if (values.lang !== 'zh' && values.lang !== 'en') throw new UsageError('--lang must be zh or en');
  const started = performance.now();
  let data: Pack | IntentExample[];
  if (typeof values.pack === 'string') data = await loadPack(values.pack);
  else if (typeof values.train === 'string') data = await readIntentJsonl(values.train);
  else throw new UsageError('train needs --pack DIR or --train FILE.jsonl');
  const options: TrainIntentsOptions = Array.isArray(data) ? { seed, language: values.lang } : { seed };
  const embedder = await loadEmbedderOption(values['model-dir']);
  let intent: IntentModel;
  try {
    intent = embedder === undefined ? trainIntents(data, options) : await trainIntentsWithEmbedder(data, { ...options, embedder });
  } finally {
    await embedder?.dispose();
  }
  // Learned slots (addresses, reasons…) are tagged by a model trained from the pack's annotated examples.
  const slotTagger = Array.isArray(data) ? null : createEntityExtractor({ pack: data, system: false }).tagger;
  const json = serializeModelBundle({ intent, slotTagger });
  await writeFile(values.out, json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const slots = slotTagger === null ? '' : ` and a slot tagger for ${slotTagger.entities.length} learned entit${slotTagger.entities.length === 1 ? 'y' : 'ies'}`;
  process.stderr.write(`kefu: trained ${intent.labels.length} intents${slots} in ${seconds}s → ${values.out} (${json.length} bytes)\n`);
  return EXIT_OK;
}

async function parseCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    pack: { type: 'string' },
    model: { type: 'string' },
    now: { type: 'string' },
    tz: { type: 'string', default: 'Asia/Shanghai' },
    json: { type: 'boolean', default: false },
    input: { type: 'string' },
    'model-dir': { type: 'string' },
  });
  // --now and --tz anchor relative dates; they are validated here so scripts fail early.
  if (values.now !== undefined && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now must be an ISO 8601 date-time, got "${values.now}"`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: values.tz });
  } catch {
    throw new UsageError(`--tz must be an IANA time zone such as Asia/Shanghai, got "${values.tz}"`);
  }
  if (values.model === undefined && values.pack === undefined) throw new UsageError('parse needs --pack DIR or --model FILE');
  if (values.input === undefined && positionals.length === 0) throw new UsageError('parse needs TEXT arguments or --input FILE|-');
  const pack = values.pack === undefined ? undefined : await loadPack(values.pack);
  const saved = values.model === undefined ? null : await readModelFile(values.model);
  const embedder = await loadEmbedderOption(values['model-dir']);
  try {
    let intentModel: IntentModel;
    if (saved !== null) intentModel = saved.intent;
    else if (embedder !== undefined) intentModel = await trainIntentsWithEmbedder(pack as Pack, { embedder });
    else intentModel = trainIntents(pack as Pack);
    if (intentModel.embedder !== null && embedder === undefined) {
      throw new UsageError(`the model was trained with embedder "${intentModel.embedder.id}": pass its --model-dir DIR`);
    }
    const classifier = createIntentClassifier(intentModel, embedder === undefined ? {} : { embedder });
    const extractor = createEntityExtractor({
      ...(pack === undefined ? {} : { pack }),
      ...(saved === null ? {} : { tagger: saved.slotTagger }),
    });
    const extractOptions = { timeZone: values.tz, ...(values.now === undefined ? {} : { now: values.now }) };
    const emit = async (text: string): Promise<void> => {
      const r = await classifier.classifyAsync(text);
      const entities = extractor.extract(text, extractOptions);
      if (values.json) {
        const line = {
          text,
          intent: { name: r.decision === 'fallback' ? null : r.intent, confidence: round(r.confidence) },
          ranking: r.ranking.map((x) => ({ name: x.name, confidence: round(x.confidence) })),
          decision: r.decision,
          entities: entities.map(entityJson),
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } else {
        const top = r.ranking.slice(0, 3).map((x) => `${x.name} ${x.confidence.toFixed(2)}`).join(', ');
        const ents = entities.map((e) => `${e.entity}=${String(e.value)}`).join(' ');
        process.stdout.write(`${text}\t${r.decision}\t${r.decision === 'fallback' ? '-' : r.intent}\t(${top})${ents === '' ? '' : `\t${ents}`}\n`);
      }
    };
    for (const text of positionals) await emit(text);
    if (values.input !== undefined) await forEachInputLine(values.input, emit);
  } finally {
    await embedder?.dispose();
  }
  return EXIT_OK;
}

/** The `entities` items of `kefu parse --json`: entity, value, start, end, text, then the extra fields that apply. */
function entityJson(e: Entity): Record<string, unknown> {
  const out: Record<string, unknown> = { entity: e.entity, value: e.value, start: e.start, end: e.end, text: e.text };
  for (const key of ['courier', 'currency', 'unit', 'kind', 'role'] as const) if (e[key] !== undefined) out[key] = e[key];
  out.source = e.source;
  out.confidence = round(e.confidence);
  return out;
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
