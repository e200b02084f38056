// The demo: the bundled Chinese e-commerce pack as a customer-service bot on a scripted conversation — FAQ answers,
// flows with slot filling (also from the first message), an interruption and resumption, a clarification, a carried
// order id, a cancellation and a handoff with the agent summary. Actions are backed by a small order fixture. It uses
// only the public entry point, the way an application would.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import {
  benchReportInputFromResult,
  createBot,
  createIntentClassifier,
  createJsonlLogSink,
  lintPack,
  loadPack,
  renderAnalyticsHtml,
  renderBenchHtml,
  summarizeLogFile,
  trainIntents,
  type ActionHandler,
  type BotReply,
} from '../src/index.js';
import { benchIntent, loadPackIntentDataset } from '../src/bench/index.js';

interface Order {
  readonly id: string;
  readonly item: string;
  readonly amount: number;
  readonly status: 'delivered' | 'unshipped' | 'in_transit';
  readonly deliveredAt?: string;
  readonly courier?: string;
  readonly tracking?: string;
  readonly where?: string;
  readonly eta?: string;
  readonly address: string;
}

const PACK = 'fixtures/packs/ecommerce-zh';
const NOW = new Date('2026-11-21T10:00:00+08:00');

const conversation = [
  '在嗎？？？',
  '退货运费谁出呀😭',
  '不合适想退换',
  '换货',
  '订单号 2026 1115 0009 8765 43',
  '对了，我另一个快递ZTO75319862044到哪了',
  '换42码',
  '确认',
  '帮我改一下收货地址',
  '不是，订单202611180003456712',
  '杭州市西湖区文三路478号2幢301',
  '算了，不改了',
  '订单202611210001234567的衣服尺码不合适，我要退货',
  '确认',
  '我手机13812345678，你们这服务太差了，我要投诉！',
];

const started = performance.now();
const pack = await loadPack(PACK);
const orders = (JSON.parse(await readFile('fixtures/orders.json', 'utf8')) as { orders: Order[] }).orders;
const find = (id: unknown): Order | undefined => orders.find((o) => o.id === String(id).replace(/\s/g, ''));
const model = trainIntents(pack);
console.log(`kefu demo — pack "${pack.name}": ${pack.intents.length} intents, ${pack.faq.length} FAQ entries, ${(pack.flows ?? []).length} flows, ` +
  `${lintPack(pack).length} lint warning(s); loaded and trained in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}${String(20261121000 + ++sequence)}`;
const actions: Record<string, ActionHandler> = {
  async create_return({ slots }) {
    const order = find(slots.order_id);
    if (!order) return { outcome: 'not_found' };
    const days = order.deliveredAt ? (NOW.getTime() - Date.parse(`${order.deliveredAt}T00:00:00+08:00`)) / 86_400_000 : 0;
    if (days > 7) return { outcome: 'not_eligible', data: { detail: `已签收 ${Math.floor(days)} 天` } };
    return { data: { return_id: nextId('R') } };
  },
  async create_exchange({ slots }) {
    return find(slots.order_id) ? { data: { exchange_id: nextId('E'), pickup: '明天上午' } } : { outcome: 'not_found' };
  },
  async update_address({ slots }) {
    const order = find(slots.order_id);
    if (!order) return { outcome: 'not_found' };
    return order.status === 'unshipped' ? {} : { outcome: 'shipped' };
  },
  async query_logistics({ slots }) {
    const order = slots.tracking_number !== undefined ? orders.find((o) => o.tracking === slots.tracking_number) : find(slots.order_id);
    if (!order) return { outcome: 'not_found' };
    if (order.status === 'unshipped') return { outcome: 'not_shipped', data: { eta: order.eta ?? '' } };
    return { data: { courier: order.courier ?? '', tracking: order.tracking ?? '', status: order.where ?? '已签收', eta: order.eta ?? '已送达' } };
  },
  async cancel_order({ slots }) {
    const order = find(slots.order_id);
    if (!order) return { outcome: 'not_found' };
    return order.status === 'unshipped' ? { data: { amount: order.amount } } : { outcome: 'shipped' };
  },
  async issue_invoice({ slots }) {
    return find(slots.order_id) ? { data: { days: 3 } } : { outcome: 'not_found' };
  },
};

// Every turn of the scripted conversation goes to a JSONL log, the input of the operators' report.
const REPORTS = 'reports';
const LOG = `${REPORTS}/demo-log.jsonl`;
await mkdir(REPORTS, { recursive: true });
await rm(LOG, { force: true });
const sink = createJsonlLogSink({ path: LOG });
const bot = createBot({ pack, model, actions, now: () => NOW, log: sink });
const show = (r: BotReply): string => {
  const bits = [r.decision, r.intent ? `意图 ${r.intent}` : '', r.faq ? `FAQ ${r.faq}` : '', r.flow ? `流程 ${r.flow} ${JSON.stringify(r.slots)}` : '',
    r.completed ? `完成 ${r.completed}` : '', r.actions.length ? `动作 ${r.actions.join(',')}` : ''];
  return bits.filter(Boolean).join(' · ');
};

let clock = NOW.getTime();
for (const text of conversation) {
  clock += 40_000;
  const r = await bot.handle('demo', text, { channel: 'web', user: { id: 'u10086' }, at: new Date(clock) });
  console.log(`客户：${text}`);
  for (const reply of r.replies) console.log(`小客：${reply}`);
  console.log(`      [${show(r)}]`);
  if (r.handoff) console.log(`\n── 交接给人工客服（${r.handoff.reason}）──\n${r.handoff.summary.text}\n`);
  console.log('');
}

// The log holds the scripted conversation only; the latency rounds below are not logged.
await sink.close();

// Latency of handle() (understand + reduce + store + actions) with the in-memory store, on fresh sessions.
const classifier = createIntentClassifier(model);
const times: number[] = [];
for (let round = 0; round < 20; round++) {
  for (const text of conversation) {
    const t0 = performance.now();
    await bot.handle(`bench-${round}`, text, { at: NOW });
    times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const q = (p: number): string => (times[Math.floor(p * (times.length - 1))] ?? 0).toFixed(2);
const c0 = performance.now();
for (const text of conversation) classifier.classify(text);
console.log(`handle() latency over ${times.length} messages (memory store): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms ` +
  `(intent classification alone: ${((performance.now() - c0) / conversation.length).toFixed(2)} ms per message)`);
await bot.close();

// The two reports operators look at: conversation analytics from the log, and the intent bench page of the pack.
const analytics = await summarizeLogFile({ path: LOG });
await writeFile(`${REPORTS}/analytics.html`, renderAnalyticsHtml(analytics));
const { train, test } = await loadPackIntentDataset(PACK);
const bench = await benchIntent({ train, test, seed: 42, keepDetails: true });
const details = bench.details;
await writeFile(
  `${REPORTS}/bench.html`,
  renderBenchHtml(benchReportInputFromResult(bench, { dataset: 'ecommerce-zh pack', ...(details === undefined ? {} : { rows: details.rows, samplesMs: details.samplesMs }) })),
);
console.log(`reports: ${REPORTS}/analytics.html (${analytics.totals.turns} turns logged), ${REPORTS}/bench.html ` +
  `(held-out intent accuracy ${(bench.intent.accuracy * 100).toFixed(1)} %, p95 ${bench.latency.p95Ms} ms); log ${LOG}`);
