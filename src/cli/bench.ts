import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  benchReportInputFromResult,
  createEntityExtractor,
  createIntentClassifier,
  createPackFaqIndex,
  KefuError,
  loadPack,
  renderBenchHtml,
  trainIntents,
  trainSlotTagger,
  type IntentExample,
  type IntentTrainingData,
  type Lang,
  type Pack,
} from '../index.js';
import {
  benchEntities,
  benchIntent,
  benchRetrieval,
  compareWithBaseline,
  OOS_LABEL,
  parseBaseline,
  readIntentJsonl,
  readJsonlRows,
  type EntityBenchResult,
  type EntityRow,
  type GoldEntity,
  type IntentBenchResult,
  type RetrievalBenchResult,
  type RetrievalTestRow,
} from '../bench/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, parseCliArgs } from './common.js';

export const BENCH_USAGE = `  kefu bench (--pack DIR [--test FILE] | --train FILE --test FILE [--lang zh|en])
             [--seed N] [--json] [--out FILE] [--html FILE] [--baseline FILE]
                                             measure accuracy, calibration and latency on held-out messages;
                                             --html writes a self-contained report page with charts;
                                             with --baseline, exit 1 when a tracked metric regressed`;

/**
 * The `kefu bench` result: one object, the shape other tools and CI scripts read. The intent figures sit at the top
 * level (`intent`, `latency`, `trainSeconds`, …) when the test rows carry intents; `entities` appears when they carry
 * entities, `retrieval` when they carry FAQ ids (`faq`, `null` = must not be answered).
 */
export type BenchCommandResult = Partial<IntentBenchResult> & {
  readonly entities?: EntityBenchResult;
  readonly retrieval?: RetrievalBenchResult;
  readonly source: { readonly pack: string | null; readonly train: string | null; readonly test: string };
};

/** A held-out row: a message with any of an intent (`oos` = out of scope), a FAQ id (or null) and gold entities. */
interface BenchRow {
  readonly text: string;
  readonly intent?: string | null;
  readonly faq?: string | null;
  readonly entities?: readonly GoldEntity[];
}

/**
 * `kefu bench`: trains on the pack (or on `--train` JSONL), evaluates on the pack's held-out tests (or `--test` JSONL
 * `{"text","intent"}` rows, `oos` marking out-of-scope), prints a summary or, with `--json`, one JSON object, and with
 * `--baseline` compares against a stored result: exit 1 on a regression, 0 otherwise, 2 for bad arguments or files.
 */
export async function benchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    pack: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    lang: { type: 'string' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    html: { type: 'string' },
    baseline: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`bench takes no positional arguments, got "${positionals.join(' ')}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en') throw new UsageError(`--lang must be zh or en, got "${values.lang}"`);
  if (values.pack !== undefined && values.train !== undefined) throw new UsageError('bench takes --pack DIR or --train FILE, not both');
  if (values.pack !== undefined && values.lang !== undefined) throw new UsageError('--lang applies to --train data; a pack states its own language');

  // Read the baseline first: a bad baseline file is a usage problem (exit 2), found before minutes of measuring.
  const baseline = values.baseline === undefined ? null : await readBaseline(values.baseline);

  let pack: Pack | null = null;
  let trainRows: IntentExample[] | null = null;
  let rows: readonly BenchRow[];
  let language: Lang | undefined;
  if (values.pack !== undefined) {
    pack = await loadPack(values.pack);
    if (values.test !== undefined) rows = await readBenchRows(values.test);
    else {
      rows = pack.tests.map((t) => ({
        text: t.text,
        ...(t.intent === undefined ? {} : { intent: t.intent }),
        ...(t.faq === undefined ? {} : { faq: t.faq }),
        ...(t.spans.length === 0 ? {} : { entities: t.spans.map((x) => ({ entity: x.entity, start: x.start, end: x.end, ...(x.value === undefined ? {} : { value: x.value }) })) }),
      }));
    }
  } else if (values.train !== undefined) {
    if (values.test === undefined) throw new UsageError('bench --train FILE needs --test FILE');
    trainRows = await readIntentJsonl(values.train);
    rows = await readBenchRows(values.test);
    language = (values.lang ?? 'zh') as Lang;
  } else {
    throw new UsageError('bench needs --pack DIR or --train FILE --test FILE');
  }
  const train: IntentTrainingData = pack ?? (trainRows as IntentExample[]);
  const intentRows: IntentExample[] = rows.flatMap((r) => (r.intent === undefined ? [] : [{ text: r.text, intent: r.intent }]));
  const faqRows: RetrievalTestRow[] = rows.flatMap((r) => (r.faq === undefined ? [] : [{ text: r.text, faq: r.faq }]));
  const entityRows: EntityRow[] = rows.flatMap((r) => (r.entities === undefined ? [] : [{ text: r.text, entities: r.entities }]));
  if (intentRows.length + faqRows.length + entityRows.length === 0) {
    throw new UsageError('the test rows carry nothing to score: give them "intent", "faq" or "entities"');
  }
  if (faqRows.length > 0 && (pack === null || pack.faq.length === 0)) {
    throw new UsageError('rows with "faq" need --pack DIR with a knowledge base (faq entries)');
  }

  let intent: Omit<IntentBenchResult, 'details'> | null = null;
  let details: IntentBenchResult['details'];
  if (intentRows.length > 0) {
    const r = await benchIntent({
      train,
      test: intentRows,
      seed,
      root: process.cwd(),
      keepDetails: values.html !== undefined,
      ...(language === undefined ? {} : { language }),
    });
    ({ details, ...intent } = r);
  }
  let entities: EntityBenchResult | undefined;
  if (entityRows.length > 0) {
    // Learned slots come from the pack's annotated examples, or from --train rows that carry entities.
    const tagger = pack !== null ? undefined : slotTaggerFromJsonl(await readBenchRows(values.train as string));
    const extractor = createEntityExtractor({ ...(pack === null ? {} : { pack }), ...(tagger === undefined ? {} : { tagger }) });
    const classifier = createIntentClassifier(trainIntents(train, { seed, ...(language === undefined ? {} : { language }) }));
    entities = benchEntities({
      test: entityRows,
      extract: (t) => extractor.extract(t),
      parse: (t) => [classifier.classify(t), extractor.extract(t)],
    });
  }
  let retrieval: RetrievalBenchResult | undefined;
  if (faqRows.length > 0 && pack !== null) {
    retrieval = await benchRetrieval({ index: createPackFaqIndex(pack).index, test: faqRows, root: process.cwd() });
  }
  const result: BenchCommandResult = {
    ...(intent ?? {}),
    ...(entities === undefined ? {} : { entities }),
    ...(retrieval === undefined ? {} : { retrieval }),
    source: {
      pack: values.pack === undefined ? null : resolve(values.pack),
      train: values.train === undefined ? null : resolve(values.train),
      test: values.test === undefined ? 'pack tests' : resolve(values.test),
    },
  };
  const json = `${JSON.stringify(result)}\n`;
  if (values.out !== undefined) await writeFile(values.out, values.json ? json : `${JSON.stringify(result, null, 2)}\n`);
  if (values.html !== undefined && intent !== null) {
    const dataset = values.pack !== undefined ? `pack ${values.pack}` : `${values.train} → ${values.test}`;
    const input = benchReportInputFromResult(intent, { dataset, ...(details === undefined ? {} : { rows: details.rows, samplesMs: details.samplesMs }) });
    await writeFile(values.html, renderBenchHtml(input));
  }
  if (values.json) process.stdout.write(json);
  else process.stdout.write(formatSummary(result));

  if (baseline === null) return EXIT_OK;
  const regressions = compareWithBaseline(result, baseline);
  for (const r of regressions) process.stderr.write(`kefu: regression: ${r.message}\n`);
  if (regressions.length === 0) process.stderr.write(`kefu: baseline OK: ${Object.keys(baseline.metrics).length} metric(s) checked\n`);
  return regressions.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

async function readBaseline(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --baseline ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${path} is not valid JSON`);
  }
  try {
    return parseBaseline(value);
  } catch (e) {
    if (e instanceof KefuError) throw new UsageError(`--baseline ${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads JSONL test rows `{"text", "intent"?, "faq"?, "entities"?}` (`intent: "oos"` = out of scope, `faq: null` = must
 * not be answered, entities `[{"entity","start","end","value"?}]`). Every malformed line is reported at once; a bad
 * file is a usage problem (exit 2).
 */
async function readBenchRows(path: string): Promise<BenchRow[]> {
  try {
    return await readJsonlRows(path, '{"text", "intent"?, "faq"?, "entities"?}', (r, where, issues) => {
      const row: { text: string; intent?: string | null; faq?: string | null; entities?: GoldEntity[] } = { text: r.text };
      const before = issues.length;
      if ('intent' in r) {
        if (typeof r.intent === 'string' && r.intent.trim() !== '') row.intent = r.intent === OOS_LABEL ? null : r.intent;
        else if (r.intent === null) row.intent = null;
        else issues.push(`${where}: "intent" must be a non-empty string ("${OOS_LABEL}" for out of scope)`);
      }
      if ('faq' in r) {
        if (typeof r.faq === 'string' || r.faq === null) row.faq = r.faq;
        else issues.push(`${where}: "faq" must be an FAQ id or null`);
      }
      if ('entities' in r) {
        const ok =
          Array.isArray(r.entities) &&
          r.entities.every((e: unknown) => {
            const g = e as Record<string, unknown> | null;
            return typeof g === 'object' && g !== null && typeof g.entity === 'string' && Number.isInteger(g.start) && Number.isInteger(g.end) && (g.start as number) >= 0 && (g.start as number) <= (g.end as number) && (g.end as number) <= r.text.length;
          });
        if (ok) {
          row.entities = (r.entities as Record<string, unknown>[]).map((g) => ({
            entity: g.entity as string,
            start: g.start as number,
            end: g.end as number,
            ...(typeof g.value === 'string' || typeof g.value === 'number' ? { value: g.value } : {}),
          }));
        } else issues.push(`${where}: "entities" must be [{"entity","start","end"}] with 0 <= start <= end <= text length`);
      }
      return issues.length === before ? row : null;
    });
  } catch (e) {
    if (e instanceof KefuError && e.code === 'INVALID_INPUT') throw new UsageError(e.message);
    throw e;
  }
}

/** A slot tagger from training rows that carry entities, or undefined when none do. */
function slotTaggerFromJsonl(rows: readonly BenchRow[]) {
  const examples = rows.flatMap((r) => (r.entities === undefined || r.entities.length === 0 ? [] : [{ text: r.text, spans: r.entities.map((e) => ({ ...e, text: r.text.slice(e.start, e.end) })) }]));
  return examples.length === 0 ? undefined : trainSlotTagger(examples);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function formatSummary(r: BenchCommandResult): string {
  const lines: string[] = [];
  const m = r.intent;
  if (m !== undefined && r.latency !== undefined) {
    lines.push(
      `intent            ${r.testExamples} test messages (training examples ${r.examples})`,
      `accuracy          ${pct(m.accuracy)}   top-1 ${pct(m.topAccuracy)}   macro-F1 ${pct(m.macroF1)}   ECE ${m.ece.toFixed(3)}`,
    );
    if (m.oos !== undefined) lines.push(`out of scope      precision ${pct(m.oos.precision)}   recall ${pct(m.oos.recall)}   (label "${OOS_LABEL}")`);
    lines.push(
      `decisions         accept ${m.decisions.accept}   clarify ${m.decisions.clarify}   fallback ${m.decisions.fallback}`,
      `latency           p50 ${r.latency.p50Ms} ms   p95 ${r.latency.p95Ms} ms   p99 ${r.latency.p99Ms} ms (${r.latency.samples} messages)`,
      `training          ${r.trainSeconds ?? 0} s, model ${((r.modelBytes ?? 0) / 1024).toFixed(0)} KiB`,
    );
    const weakest = Object.entries(m.perIntent)
      .filter(([, s]) => s.support > 0)
      .sort((a, b) => a[1].f1 - b[1].f1)
      .slice(0, 5);
    if (weakest.length > 0) lines.push('weakest intents   ' + weakest.map(([k, s]) => `${k} F1 ${pct(s.f1)} (n=${s.support})`).join(', '));
    if (m.confusions.length > 0) {
      lines.push('top confusions    ' + m.confusions.slice(0, 5).map((c) => `${c.gold ?? OOS_LABEL}→${c.predicted ?? OOS_LABEL} ×${c.count}`).join(', '));
    }
  }
  const e = r.entities;
  if (e !== undefined) {
    const value = e.entities.valueAccuracy === null ? '' : `   values ${pct(e.entities.valueAccuracy)} (${e.entities.valueRows})`;
    lines.push(
      `entities          ${e.testExamples} test messages: P ${pct(e.entities.micro.precision)}   R ${pct(e.entities.micro.recall)}   F1 ${pct(e.entities.micro.f1)}${value}`,
      `entity latency    p50 ${e.latency.p50Ms} ms   p95 ${e.latency.p95Ms} ms${e.latencyShare === undefined ? '' : `   (${pct(e.latencyShare)} of a full parse)`}`,
    );
  }
  const q = r.retrieval;
  if (q !== undefined) {
    lines.push(
      `knowledge base    ${q.testExamples} questions, ${q.entries} entries: hit@1 ${pct(q.retrieval.hit1)}   hit@3 ${pct(q.retrieval.hit3)}   MRR ${q.retrieval.mrr.toFixed(3)}`,
      `no-answer         precision ${pct(q.retrieval.none.precision)}   recall ${pct(q.retrieval.none.recall)}   search p50 ${q.latency.p50Ms} ms   p95 ${q.latency.p95Ms} ms`,
    );
  }
  return `${lines.join('\n')}\n`;
}
