// The demo: the bundled Chinese e-commerce pack on a scripted customer conversation. It uses only the public
// entry point, the way an application would, and grows as kefu's capabilities arrive.
import {
  createIntentClassifier,
  createPinyinTokenizer,
  trainIntents,
  createTextPipeline,
  lintPack,
  loadPack,
  type Token,
} from '../src/index.js';

const PACK = 'fixtures/packs/ecommerce-zh';

const conversation = [
  '在嗎？？？',
  '我昨天买的羽绒服尺码不合适，订单号 2026 1121 0001 2345 67，想退貨',
  '退货运费谁出呀😭',
  '用顺丰寄回去可以吗',
  '物留怎么一直不更新',
  '好的，谢谢亲！',
];

const started = performance.now();
const pack = await loadPack(PACK);
const warnings = lintPack(pack);
console.log(`kefu demo — pack "${pack.name}" (${pack.language}): ${pack.intents.length} intents, ` +
  `${pack.intents.reduce((n, i) => n + i.examples.length, 0)} training examples, ${pack.faq.length} FAQ entries, ` +
  `${pack.entities.length} entities, ${pack.tests.length} held-out tests, ${warnings.length} lint warning(s); ` +
  `loaded in ${(performance.now() - started).toFixed(0)} ms\n`);

const trainStarted = performance.now();
const model = trainIntents(pack);
const classifier = createIntentClassifier(model);
console.log(`intent model: ${model.labels.length} intents trained in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s; ` +
  `accept threshold ${model.thresholds.accept.toFixed(2)} (tuned by cross-validation)\n`);

const pipeline = createTextPipeline({ language: pack.language, dictionary: pack.dictionary });
const pinyin = createPinyinTokenizer(pipeline.tokenizer);
const show = (t: Token): string => (t.text === t.norm ? t.text : `${t.text}→${t.norm}`);

for (const [turn, text] of conversation.entries()) {
  const { normalized, tokens } = pipeline.analyze(text);
  const keys = pinyin.tokenize(normalized).filter((t) => t.pinyin).map((t) => t.pinyin);
  console.log(`用户[${turn + 1}] ${text}`);
  console.log(`  规范化  ${normalized.text}`);
  console.log(`  分词    ${tokens.map(show).join(' | ')}`);
  console.log(`  拼音键  ${keys.join(' ')}`);
  const r = classifier.classify(text);
  const second = r.ranking[1] ? `，其次 ${r.ranking[1].name} ${r.ranking[1].confidence.toFixed(2)}` : '';
  console.log(`  意图    ${r.decision === 'fallback' ? '（无）' : r.intent} ${r.confidence.toFixed(2)} → ${r.decision}${second}`);
  console.log('');
}

const perMessage: number[] = [];
for (let round = 0; round < 200; round++) {
  for (const text of conversation) {
    const t0 = performance.now();
    classifier.classify(text);
    perMessage.push(performance.now() - t0);
  }
}
perMessage.sort((a, b) => a - b);
const q = (p: number): string => (perMessage[Math.floor(p * (perMessage.length - 1))] ?? 0).toFixed(3);
console.log(`intent classification latency per message (normalise + tokenise + classify) over ${perMessage.length} runs: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms`);
console.log('entities, dialogue and the knowledge base join this demo as they land.');
