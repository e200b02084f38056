import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { loadPack, readPackSources, validatePackSources } from './load.js';
import type { PackIssue } from './types.js';

const ECOMMERCE = 'fixtures/packs/ecommerce-zh';
const REQUIRED_INTENTS = 'greet goodbye thanks affirm deny transfer_human complaint chitchat query_logistics urge_delivery query_order cancel_order change_address return_goods exchange_goods refund refund_progress invoice payment_issue coupon price_protection product_consult stock_query repair_warranty account_issue membership'.split(' ');
const REQUIRED_FAQ = 'shipping_time delivery_time shipping_fee courier_company return_policy return_shipping_fee refund_timeline refund_method exchange_policy invoice_type invoice_time modify_order cancel_rule payment_methods payment_failed installment coupon_usage coupon_expired price_protection warranty_period repair_process quality_issue damaged_package wrong_item stock_restock presale member_levels points_usage account_password account_phone_change privacy customer_service_hours complaint_channel address_management sign_for_others overseas_shipping gift_wrap bulk_purchase order_not_received cod'.split(' ');

describe('bundled ecommerce-zh pack', async () => {
  const pack = await loadPack(ECOMMERCE);

  it('has every required intent with at least 25 examples and held-out tests', () => {
    expect(pack.language).toBe('zh');
    for (const name of REQUIRED_INTENTS) {
      const intent = pack.intents.find((i) => i.name === name);
      expect(intent, name).toBeDefined();
      expect(intent?.examples.length, name).toBeGreaterThanOrEqual(25);
      expect(pack.tests.filter((t) => t.intent === name).length, name).toBeGreaterThanOrEqual(5);
    }
    expect(pack.tests.filter((t) => t.intent === null).length).toBeGreaterThanOrEqual(40);
    expect(pack.outOfScope.length).toBeGreaterThanOrEqual(50);
  });

  it('has every required FAQ entry with at least 5 similar questions and an answer', () => {
    for (const id of REQUIRED_FAQ) {
      const f = pack.faq.find((x) => x.id === id);
      expect(f, id).toBeDefined();
      expect(f?.similar.length, id).toBeGreaterThanOrEqual(5);
      expect(f?.answer.length, id).toBeGreaterThan(20);
    }
    expect(pack.tests.filter((t) => 'faq' in t && t.faq === null).length).toBeGreaterThanOrEqual(30);
  });

  it('declares the entities and user dictionary the shop needs', () => {
    const names = pack.entities.map((e) => e.name);
    for (const n of ['order_id', 'tracking_number', 'courier', 'reason', 'color', 'size', 'product']) expect(names).toContain(n);
    const words = pack.dictionary.map((d) => d.word);
    for (const w of ['花呗', '价保', '运费险', '京东', '客服']) expect(words).toContain(w);
  });

  it('parses annotations into spans over the plain text', () => {
    const ex = pack.intents.flatMap((i) => i.examples).find((e) => e.spans.some((s) => s.entity === 'order_id'));
    const span = ex?.spans.find((s) => s.entity === 'order_id');
    expect(span && ex?.text.slice(span.start, span.end)).toBe(span?.text);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(pack))).toEqual(pack);
  });

  it('loads the English pack too', async () => {
    const en = await loadPack('fixtures/packs/retail-en');
    expect(en.language).toBe('en');
    expect(en.intents.length).toBeGreaterThanOrEqual(10);
  });
});

describe('pack errors', () => {
  it('reports every problem of a broken pack with file, line and column', async () => {
    const r = validatePackSources(await readPackSources('fixtures/pack/broken'));
    expect(r.ok).toBe(false);
    const got = r.issues.map((i: PackIssue) => `${i.file.replace('fixtures/pack/broken/', '')}:${i.line} ${i.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'bad-syntax.yaml:4 yaml_syntax',
        'entities.yaml:8 unsafe_regex',
        'entities.yaml:11 bad_regex',
        'entities.yaml:13 schema',
        'faq.yaml:5 schema',
        'faq.yaml:6 duplicate_id',
        'faq.yaml:12 undefined_intent',
        'faq.yaml:13 undefined_faq',
        'faq.yaml:14 schema',
        'intents.yaml:7 test_leak',
        'intents.yaml:8 duplicate_id',
        'intents.yaml:11 schema',
        'intents.yaml:12 schema',
        'intents.yaml:13 schema',
        'intents.yaml:14 unknown_key',
        'intents.yaml:18 undefined_entity_value',
        'intents.yaml:19 undefined_entity',
        'intents.yaml:20 annotation',
        'pack.yaml:1 schema',
        'pack.yaml:4 unknown_key',
      ]),
    );
    expect(r.issues.length).toBe(got.length);
    for (const i of r.issues) {
      expect(i.severity).toBe('error');
      expect(i.column).toBeGreaterThan(0);
      expect(i.message.length).toBeGreaterThan(10);
    }
    const unknown = r.issues.find((i) => i.code === 'unknown_key' && i.file.endsWith('intents.yaml'));
    expect(unknown?.message).toContain('allowed keys: name, description, examples, tests');
  });

  it('loadPack throws PACK_INVALID with the issues attached', async () => {
    await expect(loadPack('fixtures/pack/broken')).rejects.toMatchObject({
      code: 'PACK_INVALID',
      details: { issues: expect.arrayContaining([expect.objectContaining({ code: 'unsafe_regex' })]) },
    });
  });

  it('throws PACK_NOT_FOUND for a missing path or a directory without pack files', async () => {
    await expect(loadPack('fixtures/pack/does-not-exist')).rejects.toMatchObject({ code: 'PACK_NOT_FOUND' });
    const empty = mkdtempSync(join(tmpdir(), 'kefu-empty-'));
    await expect(loadPack(empty)).rejects.toMatchObject({ code: 'PACK_NOT_FOUND' });
  });

  it('requires a manifest', () => {
    const r = validatePackSources([{ path: 'a.yaml', content: 'intents:\n  - name: a\n    examples: [x]\n' }]);
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toContain('manifest');
  });

  it('reports a second manifest and a missing language', () => {
    const r = validatePackSources([
      { path: 'pack.yaml', content: 'version: 1\nname: x\n' },
      { path: 'more.yaml', content: 'version: 1\n' },
    ]);
    expect(r.issues.filter((i) => i.code === 'manifest').length).toBe(2);
  });

  it('loads a single JSON pack file with the same schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-json-'));
    const file = join(dir, 'pack.json');
    writeFileSync(file, JSON.stringify({ version: 1, name: 'j', language: 'en', intents: [{ name: 'hi', examples: ['hello'] }], responses: { hi: ['Hi!'] } }));
    const pack = await loadPack(file);
    expect(pack.intents[0]?.name).toBe('hi');
    expect(pack.responses.hi?.variants).toEqual(['Hi!']);
  });

  it('rejects non-string content with INVALID_INPUT', () => {
    expect(() => validatePackSources([{ path: 'x.yaml', content: 5 as unknown as string }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validatePackSources('x' as unknown as [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 200 })('never throws on arbitrary file content', (content) => {
    const r = validatePackSources([{ path: 'pack.yaml', content }]);
    if (!r.ok) for (const i of r.issues) expect(i.line).toBeGreaterThan(0);
  });

  it('does not expand YAML alias bombs', () => {
    const bomb = ['version: 1', 'name: b', 'language: zh', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let k = 0; k < 12; k++) bomb.push(`${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)}]`);
    const r = validatePackSources([{ path: 'pack.yaml', content: bomb.join('\n') }]);
    expect(r.ok).toBe(false);
  });
});
