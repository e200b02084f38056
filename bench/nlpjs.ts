// NLP.js (v4, @nlpjs/basic) behind the same train/evaluate interface as kefu, for the side-by-side bench.
// Dev-only: the library never imports this file.
import type * as NlpjsBasic from '@nlpjs/basic';
import type { Nlp } from '@nlpjs/basic';
import type { IntentExample } from '../src/intent/index.js';
import type { PredictionRow } from '../src/bench/index.js';

/** NLP.js's documented default: below this score, `process` answers the intent 'None'. */
export const NLPJS_THRESHOLD = 0.5;

export interface NlpjsRun {
  readonly rows: PredictionRow[];
  readonly samplesMs: number[];
  readonly trainSeconds: number;
  readonly modelBytes: number;
}

/**
 * Runs `fn` with console.log silenced (NLP.js's Chinese package prints "Compiling dictionary" while training).
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

interface NlpjsModules {
  readonly basic: typeof NlpjsBasic;
  readonly zh: unknown;
  readonly en: unknown;
}

let modules: Promise<NlpjsModules> | undefined;

/** Loads NLP.js once. NODE_ENV=production while loading stops its pino logger warning about prettyPrint. */
function loadNlpjs(): Promise<NlpjsModules> {
  modules ??= (async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const [basic, zh, en] = await Promise.all([import('@nlpjs/basic'), import('@nlpjs/lang-zh'), import('@nlpjs/lang-en')]);
      return { basic, zh: zh.LangZh, en: en.LangEn };
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
  })();
  return modules;
}

/**
 * Trains NLP.js on `train` (out-of-scope examples become documents of its 'None' intent) and classifies `test`
 * with `nlp.process`, its standard entry point, sentiment off. 'None' (its own fallback, also given below the 0.5
 * threshold) is read as a decline (`null`). Latency is one `performance.now()` pair around each awaited call.
 */
export async function runNlpjs(options: {
  readonly language: 'zh' | 'en';
  readonly train: readonly IntentExample[];
  readonly test: readonly IntentExample[];
  readonly warmup: number;
  readonly minLatencySamples: number;
}): Promise<NlpjsRun> {
  const { basic, zh, en } = await loadNlpjs();
  const { language, train, test } = options;
  const container = basic.containerBootstrap({}, false);
  container.registerConfiguration(
    'nlp',
    { languages: [language], autoSave: false, autoLoad: false, calculateSentiment: false, threshold: NLPJS_THRESHOLD, nlu: { log: false } },
    true,
  );
  container.use(basic.Nlp);
  container.use(language === 'zh' ? zh : en);
  const nlp: Nlp = container.get('nlp');
  nlp.addLanguage(language);
  for (const ex of train) nlp.addDocument(language, ex.text, ex.intent ?? 'None');
  const started = performance.now();
  await quietly(() => nlp.train());
  const trainSeconds = (performance.now() - started) / 1000;
  const modelBytes = Buffer.byteLength(nlp.export(true), 'utf8');

  for (let i = 0; i < options.warmup; i++) await nlp.process(language, (test[i % test.length] as IntentExample).text);
  const rows: PredictionRow[] = [];
  const samplesMs: number[] = [];
  for (const ex of test) {
    const t0 = performance.now();
    const r = await nlp.process(language, ex.text);
    samplesMs.push(performance.now() - t0);
    const top = r.classifications?.[0];
    const topIntent = top === undefined || top.intent === 'None' ? null : top.intent;
    rows.push({
      gold: ex.intent,
      predicted: r.intent === 'None' ? null : r.intent,
      confidence: clamp01(top?.score ?? r.score),
      top: topIntent,
    });
  }
  for (let i = 0; samplesMs.length < options.minLatencySamples; i++) {
    const t0 = performance.now();
    await nlp.process(language, (test[i % test.length] as IntentExample).text);
    samplesMs.push(performance.now() - t0);
  }
  return { rows, samplesMs, trainSeconds, modelBytes };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
