import { createInterface } from 'node:readline';
import { createBot, loadPack, trainIntents, type BotReply, type IntentModel } from '../index.js';
import { parseCliArgs, UsageError } from './common.js';
import { readModelFile } from './model-file.js';

const usage = (message: string): UsageError => new UsageError(`chat: ${message}`);

/** The JSON line written per turn with --json (the CLI contract in README "Dialogue"). */
export function chatLine(turn: number, user: string, r: BotReply): Record<string, unknown> {
  return {
    turn,
    user,
    replies: r.replies,
    intent: r.intent,
    flow: r.flow,
    slots: r.slots,
    completed: r.completed,
    faq: r.faq,
    handoff: r.handoff ? { reason: r.handoff.reason, offline: r.handoff.offline, summary: r.handoff.summary } : null,
  };
}

/**
 * `kefu chat --pack DIR [--json] [--session ID]`: talk to the pack's bot. On a terminal it is interactive; otherwise
 * it reads one message per line from stdin and, with --json, writes one JSON line per turn. Actions the flows name
 * are answered with `ok` and no data (there is no application behind the CLI).
 */
export async function chatCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    pack: { type: 'string' },
    json: { type: 'boolean', default: false },
    session: { type: 'string', default: 'cli' },
    channel: { type: 'string' },
    model: { type: 'string' },
    user: { type: 'string' },
    vip: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals.join(' ')}" (messages come from standard input)`);
  if (typeof values.pack !== 'string') throw usage('--pack DIR is required');
  if (values.session === '') throw usage('--session must not be empty');
  const pack = await loadPack(values.pack);
  let model: IntentModel;
  if (typeof values.model === 'string') {
    model = (await readModelFile(values.model)).intent;
  } else {
    process.stderr.write('kefu chat: training the intent model…\n');
    model = trainIntents(pack);
  }
  const bot = createBot({ pack, model, missingActions: 'mock' });
  const interactive = process.stdin.isTTY === true && !values.json;
  const options = {
    ...(values.channel === undefined ? {} : { channel: values.channel }),
    ...(values.user === undefined && !values.vip ? {} : { user: { ...(values.user === undefined ? {} : { id: values.user }), vip: values.vip } }),
  };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, ...(interactive ? { output: process.stdout, prompt: '您：' } : {}) });
  if (interactive) {
    process.stdout.write(`kefu chat — ${pack.name}（输入消息，Ctrl+D 结束）\n`);
    lines.prompt();
  }
  let turn = 0;
  // Lines are handled strictly in order even though readline emits them faster than the bot answers.
  let queue: Promise<void> = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      if (!interactive && line.trim() === '' && !values.json) return;
      turn += 1;
      const r = await bot.handle(values.session, line, options);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(chatLine(turn, line, r))}\n`);
      } else {
        for (const reply of r.replies) process.stdout.write(`客服：${reply}\n`);
        if (r.handoff) process.stdout.write(`\n[转人工 ${r.handoff.reason}${r.handoff.offline ? '（留言）' : ''}]\n${r.handoff.summary.text}\n\n`);
      }
      if (interactive) lines.prompt();
    });
  });
  await new Promise<void>((resolve) => lines.on('close', () => resolve()));
  await queue;
  await bot.close();
  return 0;
}
