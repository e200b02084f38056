import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs the CLI from source through tsx, exactly as `kefu` would run after a build. */
function kefu(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu lint', () => {
  it('exits 0 on the bundled Chinese pack', () => {
    const r = kefu('lint', '--pack', 'fixtures/packs/ecommerce-zh');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 error(s)');
  });

  it('exits 2 and lists every problem with file:line:column on a broken pack', () => {
    const r = kefu('lint', '--pack', 'fixtures/pack/broken');
    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => l.includes(': error ['));
    expect(lines.length).toBe(20);
    expect(lines).toContainEqual(expect.stringMatching(/^fixtures\/pack\/broken\/entities\.yaml:8:\d+: error \[unsafe_regex\]/));
  });

  it('exits 1 on warnings only with --strict, and --json gives the same findings', () => {
    const dir = 'fixtures/pack/minimal';
    expect(kefu('lint', '--pack', dir).code).toBe(0);
    const strict = kefu('lint', '--pack', dir, '--strict', '--json');
    expect(strict.code).toBe(1);
    const report = JSON.parse(strict.stdout) as { ok: boolean; errors: number; warnings: number };
    expect(report).toMatchObject({ ok: true, errors: 0 });
    expect(report.warnings).toBeGreaterThan(0);
  });

  it('exits 2 for bad arguments and a missing pack', () => {
    expect(kefu('lint').code).toBe(2);
    expect(kefu('lint', '--pack', 'x', '--bogus').code).toBe(2);
    const missing = kefu('lint', '--pack', 'no/such/dir');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PACK_NOT_FOUND');
    expect(kefu('frobnicate').code).toBe(2);
  });

  it('prints the pack JSON Schema', () => {
    const r = kefu('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['intents', 'faq', 'entities', 'tests']));
  });
});

describe('kefu train and kefu parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
  const modelFile = join(dir, 'model.json');

  it('trains a model from a pack and parses with it (JSONL in input order)', () => {
    const t = kefu('train', '--pack', 'fixtures/packs/ecommerce-zh', '--out', modelFile);
    expect(t.code).toBe(0);
    const input = join(dir, 'messages.txt');
    writeFileSync(input, '我的快递到哪了\n帮我转人工\n明天北京天气怎么样\n\n');
    const r = kefu('parse', '--model', modelFile, '--json', '--input', input, '--now', '2026-11-21T10:00:00+08:00');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: { name: string | null; confidence: number }; ranking: { name: string; confidence: number }[]; decision: string; entities: unknown[] });
    expect(rows.map((x) => x.text)).toEqual(['我的快递到哪了', '帮我转人工', '明天北京天气怎么样', '']);
    expect(rows[0]).toMatchObject({ intent: { name: 'query_logistics' }, decision: 'accept', entities: [] });
    expect(rows[1]?.intent.name).toBe('transfer_human');
    expect(rows[2]).toMatchObject({ intent: { name: null }, decision: 'fallback' });
    expect(rows[3]).toMatchObject({ intent: { name: null, confidence: 0 }, decision: 'fallback', ranking: [] });
    expect(rows[0]?.ranking.length).toBe(26);
    const saved = JSON.parse(readFileSync(modelFile, 'utf8')) as { format: string; intent: { format: string }; slotTagger: { format: string } | null };
    expect(saved.format).toBe('kefu/model-bundle');
    expect(saved.intent.format).toBe('kefu/intent-model');
    expect(saved.slotTagger?.format).toBe('kefu/slot-tagger');
  });

  it('fills entities with values, spans into the original text and extra fields (pack + --now/--tz)', () => {
    const text = '订单２０２６１１２１０００１２３４５６７的衣服尺码不合适，明天下午三点前联系138-1234-5678';
    const r = kefu('parse', '--pack', 'fixtures/packs/ecommerce-zh', '--json', '--now', '2026-11-21T10:00:00+08:00', '--tz', 'Asia/Shanghai', text);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout) as { entities: { entity: string; value: unknown; start: number; end: number; text: string; kind?: string }[] };
    const byType = Object.fromEntries(row.entities.map((e) => [e.entity, e]));
    expect(byType.order_id).toMatchObject({ value: '202611210001234567' });
    expect(byType.datetime).toMatchObject({ value: '2026-11-22T15:00:00+08:00', text: '明天下午三点' });
    expect(byType.phone).toMatchObject({ value: '13812345678', kind: 'mobile' });
    for (const e of row.entities) expect(text.slice(e.start, e.end)).toBe(e.text);
  }, 60_000);

  it('trains from JSONL where the label oos marks out-of-scope', () => {
    const train = join(dir, 'train.jsonl');
    const rows = ['where is my parcel', 'track my package', 'has my order shipped', 'where is my delivery', 'i want a refund', 'give me my money back', 'refund please', 'can i get a refund'];
    writeFileSync(train, rows.map((text, i) => JSON.stringify({ text, intent: i < 4 ? 'track' : 'refund' })).concat(JSON.stringify({ text: 'what is the weather', intent: 'oos' })).join('\n'));
    const out = join(dir, 'en.json');
    expect(kefu('train', '--train', train, '--lang', 'en', '--out', out).code).toBe(0);
    const r = kefu('parse', '--model', out, '--json', 'where is my parcel now');
    expect((JSON.parse(r.stdout) as { intent: { name: string } }).intent.name).toBe('track');
  });

  it('rejects bad arguments and bad models with exit 2', () => {
    expect(kefu('parse', '--model', modelFile, '--tz', 'Mars/Olympus', 'hi').code).toBe(2);
    expect(kefu('parse', '--model', modelFile, '--now', 'yesterday', 'hi').code).toBe(2);
    expect(kefu('parse', '--model', modelFile).code).toBe(2);
    expect(kefu('train', '--pack', 'fixtures/packs/ecommerce-zh').code).toBe(2);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'kefu/intent-model', formatVersion: 99 }));
    const r = kefu('parse', '--model', future, 'hi');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('FORMAT_VERSION_UNSUPPORTED');
  });
});

describe('kefu bench', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const rows = (list: [string, string][]): string => list.map(([text, intent]) => JSON.stringify({ text, intent })).join('\n');
  const train = join(dir, 'train.jsonl');
  const test = join(dir, 'test.jsonl');
  writeFileSync(
    train,
    rows([
      ...['我要退货', '这个东西想退掉', '怎么申请退货', '商品不想要了要退', '退货流程是什么', '衣服退回去'].map((t): [string, string] => [t, 'return_goods']),
      ...['快递到哪了', '物流信息查一下', '包裹什么时候到', '查下快递', '我的快递怎么还没到', '看看物流'].map((t): [string, string] => [t, 'query_logistics']),
      ...['今天天气怎么样', '讲个笑话', '红烧肉怎么做', '股票会涨吗', '帮我订机票'].map((t): [string, string] => [t, 'oos']),
    ]),
  );
  writeFileSync(test, rows([['我想退货', 'return_goods'], ['物流到哪里了', 'query_logistics'], ['明天会下雨吗', 'oos']]));

  it('prints one JSON object with the contract fields (--train/--test, oos rows)', () => {
    const out = join(dir, 'result.json');
    const r = kefu('bench', '--train', train, '--test', test, '--json', '--out', out);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(result.intent).toEqual(
      expect.objectContaining({ accuracy: expect.any(Number), macroF1: expect.any(Number), perIntent: expect.any(Object), confusions: expect.any(Array), ece: expect.any(Number) }),
    );
    expect(result.intent?.oos).toEqual({ precision: expect.any(Number), recall: expect.any(Number) });
    expect(result.latency).toEqual(expect.objectContaining({ p50Ms: expect.any(Number), p95Ms: expect.any(Number), p99Ms: expect.any(Number) }));
    expect(result).toEqual(expect.objectContaining({ trainSeconds: expect.any(Number), modelBytes: expect.any(Number), examples: 17 }));
    expect(result.env).toEqual(expect.objectContaining({ node: process.version, seed: 42 }));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(result);
  });

  it('gates on a baseline: 0 within tolerance, 1 on a regression, 2 for a bad baseline or arguments', () => {
    const ok = join(dir, 'ok.json');
    const strict = join(dir, 'strict.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(ok, JSON.stringify({ metrics: { 'intent.accuracy': { value: 0, tolerance: 0 }, 'latency.p95Ms': { budget: 1000 } } }));
    writeFileSync(strict, JSON.stringify({ metrics: { 'intent.accuracy': { value: 1.5, tolerance: 0.01 } } }));
    writeFileSync(bad, JSON.stringify({ metrics: { 'intent.accuracy': { value: 'high' } } }));
    expect(kefu('bench', '--train', train, '--test', test, '--baseline', ok).code).toBe(0);
    const regressed = kefu('bench', '--train', train, '--test', test, '--baseline', strict);
    expect(regressed.code).toBe(1);
    expect(regressed.stderr).toContain('intent.accuracy');
    expect(kefu('bench', '--train', train, '--test', test, '--baseline', bad).code).toBe(2);
    expect(kefu('bench', '--train', train).code).toBe(2);
    expect(kefu('bench', '--train', train, '--test', join(dir, 'missing.jsonl')).code).toBe(2);
    expect(kefu('bench', '--pack', 'fixtures/packs/retail-en', '--lang', 'en').code).toBe(2);
  }, 120_000);

  it('scores entities and knowledge-base rows when the test rows carry them', () => {
    const mixed = join(dir, 'mixed.jsonl');
    const text = '订单202611210001234567还没发货';
    writeFileSync(
      mixed,
      [
        JSON.stringify({ text, entities: [{ entity: 'order_id', start: 2, end: 20, value: '202611210001234567' }] }),
        JSON.stringify({ text: '退货运费谁出', faq: 'return_shipping_fee' }),
        JSON.stringify({ text: '帮我写一首诗', faq: null, intent: 'oos' }),
      ].join('\n'),
    );
    const r = kefu('bench', '--pack', 'fixtures/packs/ecommerce-zh', '--test', mixed, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { intent: { oos: unknown }; entities: { entities: { micro: { f1: number }; valueAccuracy: number } }; retrieval: { retrieval: { hit1: number; none: unknown } } };
    expect(result.intent.oos).toBeDefined();
    expect(result.entities.entities.micro.f1).toBe(1);
    expect(result.entities.entities.valueAccuracy).toBe(1);
    expect(result.retrieval.retrieval).toEqual(expect.objectContaining({ hit1: expect.any(Number), none: expect.any(Object) }));
    const bad = join(dir, 'bad-rows.jsonl');
    writeFileSync(bad, JSON.stringify({ text: 'abc', entities: [{ entity: 'x', start: 2, end: 9 }] }));
    expect(kefu('bench', '--pack', 'fixtures/packs/ecommerce-zh', '--test', bad).code).toBe(2);
  }, 120_000);

  it('benches a pack on its own held-out tests, prints a readable summary and writes the HTML page', () => {
    const html = join(dir, 'bench.html');
    const r = kefu('bench', '--pack', 'fixtures/packs/retail-en', '--html', html);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/i);
    expect(r.stdout).toMatch(/accuracy\s+\d+\.\d%/);
    expect(r.stdout).toMatch(/latency\s+p50 [\d.]+ ms/);
  });
});
