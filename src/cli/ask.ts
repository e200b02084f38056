import {
  addFaqVectors,
  createPackFaqIndex,
  loadPack,
  searchFaq,
  setFaqThresholds,
  tuneFaqThresholds,
  type Embedder,
  type FaqIndex,
  type FaqSearchResult,
} from '../index.js';
import { EXIT_OK, UsageError, forEachInputLine, parseCliArgs, round4 } from './common.js';
import { loadEmbedderOption } from './embedder-option.js';

/** The usage line of `kefu ask`, for the main help text. */
export const ASK_USAGE = `  kefu ask --pack DIR [--json] [--channel NAME] [--now ISO] [--tz ZONE] [--model-dir DIR]
           [--input FILE|-] [TEXT...]        search the pack's knowledge base (one JSON line each with --json)`;

/** One `--json` output line of `kefu ask`. */
export interface AskLine {
  readonly text: string;
  readonly decision: FaqSearchResult['decision'];
  readonly faq: { readonly id: string; readonly question: string; readonly answer: string; readonly score: number } | null;
  readonly candidates: readonly { readonly id: string; readonly question: string; readonly score: number }[];
}

/** The `--json` line for one search result (`faq` only when the decision is `answer`). */
export function toAskLine(text: string, r: FaqSearchResult): AskLine {
  return {
    text,
    decision: r.decision,
    faq: r.decision === 'answer' && r.faq ? { id: r.faq.id, question: r.faq.question, answer: r.faq.answer, score: round4(r.faq.score) } : null,
    candidates: r.candidates.map((c) => ({ id: c.id, question: c.question, score: round4(c.score) })),
  };
}

/**
 * `kefu ask`: builds the pack's FAQ index (thresholds tuned by leave-one-out on its similar questions, its
 * out-of-scope examples as negatives), then answers each TEXT argument and each `--input` line in order. With
 * `--model-dir`, an ONNX embedder adds vectors and the thresholds are tuned again with them.
 * Exit 0, or 2 on bad arguments (UsageError) or a KefuError, which the caller prints.
 */
export async function askCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    pack: { type: 'string' },
    json: { type: 'boolean', default: false },
    input: { type: 'string' },
    channel: { type: 'string' },
    now: { type: 'string' },
    tz: { type: 'string', default: 'Asia/Shanghai' },
    'model-dir': { type: 'string' },
  });
  if (typeof values.pack !== 'string') throw new UsageError('ask needs --pack DIR');
  if (values.now !== undefined && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now must be an ISO 8601 date-time, got "${values.now}"`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: values.tz });
  } catch {
    throw new UsageError(`--tz must be an IANA time zone such as Asia/Shanghai, got "${values.tz}"`);
  }
  if (positionals.length === 0 && values.input === undefined) throw new UsageError('ask needs TEXT arguments or --input FILE|-');

  const pack = await loadPack(values.pack);
  const { index } = createPackFaqIndex(pack);
  const embedder = await loadEmbedderOption(values['model-dir']);
  try {
    if (embedder) await addVectorsAndRetune(index, embedder, pack.outOfScope.map((e) => e.text));
    const options = {
      ...(values.channel === undefined ? {} : { channel: values.channel }),
      ...(values.now === undefined ? {} : { now: values.now }),
      timeZone: values.tz,
    };
    const answer = async (text: string): Promise<void> => {
      const queryVector = embedder ? (await embedder.embed([text]))[0] : undefined;
      const r = searchFaq(index, text, { ...options, ...(queryVector ? { queryVector } : {}) });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(toAskLine(text, r))}\n`);
      } else {
        const top = r.candidates.map((c) => `${c.id} ${c.score.toFixed(2)}`).join(', ');
        const reply = r.decision === 'answer' && r.faq ? r.faq.answer.replace(/\s+/g, ' ') : r.decision === 'suggest' ? `猜你想问: ${r.candidates.map((c) => c.question).join(' / ')}` : '-';
        process.stdout.write(`${text}\t${r.decision}\t${reply}\t(${top})\n`);
      }
    };
    for (const text of positionals) await answer(text);
    if (values.input !== undefined) await forEachInputLine(values.input, answer);
  } finally {
    await embedder?.dispose();
  }
  return EXIT_OK;
}

async function addVectorsAndRetune(index: FaqIndex, embedder: Embedder, negatives: readonly string[]): Promise<void> {
  await addFaqVectors(index, embedder);
  const negativeVectors = negatives.length > 0 ? await embedder.embed(negatives) : [];
  setFaqThresholds(index, tuneFaqThresholds(index, { negatives, negativeVectors }).thresholds);
}
