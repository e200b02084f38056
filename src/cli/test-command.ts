import {
  createPackNlu,
  readPackSources,
  runConversation,
  trainIntents,
  validatePackSources,
  type ConversationResult,
  type NluFunction,
} from '../index.js';
import { parseCliArgs, UsageError } from './common.js';
import { readModelFile } from './model-file.js';

/**
 * `kefu test --pack DIR [--conversations PATH]... [--json] [--model FILE]`: plays the pack's scripted conversations
 * (its `conversations:` section, plus conversation files given with --conversations) and checks every turn.
 * Exit 0 when all pass, 1 when any fails, 2 for errors (an invalid pack or conversation file, bad arguments).
 */
export async function testCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    pack: { type: 'string' },
    conversations: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
    model: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`test: unexpected argument "${positionals.join(' ')}"`);
  if (typeof values.pack !== 'string') throw new UsageError('test: --pack DIR is required');
  const sources = [...(await readPackSources(values.pack))];
  for (const path of values.conversations) sources.push(...(await readPackSources(path)));
  const validation = validatePackSources(sources);
  if (!validation.ok) {
    for (const i of validation.issues) process.stdout.write(`${i.file}:${i.line}:${i.column}: ${i.severity} [${i.code}] ${i.message}\n`);
    return 2;
  }
  const pack = validation.pack;
  const conversations = pack.conversations ?? [];
  if (conversations.length === 0) {
    process.stdout.write(`${values.pack}: no conversations (add a conversations: section, or pass --conversations PATH)\n`);
    return 2;
  }
  const needsModel = conversations.some((c) => c.turns.some((t) => t.nlu === undefined));
  let nlu: NluFunction | undefined;
  if (needsModel) {
    const model = typeof values.model === 'string' ? (await readModelFile(values.model)).intent : trainIntents(pack);
    nlu = createPackNlu(pack, { model });
  }
  const results: ConversationResult[] = [];
  for (const c of conversations) results.push(await runConversation(c, { pack, ...(nlu ? { nlu } : {}) }));
  const failed = results.filter((r) => !r.passed);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, passed: results.length - failed.length, failed: failed.length, results })}\n`);
  } else {
    for (const r of results) {
      process.stdout.write(`${r.passed ? 'PASS' : 'FAIL'} ${r.name}\n`);
      for (const t of r.turns) for (const f of t.failures) process.stdout.write(`  turn ${t.turn} 「${t.user}」: ${f}\n`);
    }
    process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  }
  return failed.length === 0 ? 0 : 1;
}
