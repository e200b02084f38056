import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type Pack } from '../pack/index.js';
import { createEntityExtractor, parseSlotTagger, serializeSlotTagger, type EntityExtractor } from './index.js';

const NOW = '2026-11-20T10:00:00+08:00';
let pack: Pack;
let extractor: EntityExtractor;

beforeAll(async () => {
  pack = await loadPack('fixtures/packs/ecommerce-zh');
  extractor = createEntityExtractor({ pack });
}, 120_000);

const brief = (text: string, ex = extractor) => ex.extract(text, { now: NOW }).map((e) => [e.entity, e.value, e.text, e.source]);

describe('createEntityExtractor', () => {
  it('lists system, regex, dictionary and learned entities, and trains a tagger for the pack’s learned entities', () => {
    expect(extractor.entities).toEqual(expect.arrayContaining(['phone', 'money', 'date', 'order_id', 'tracking_number', 'courier', 'reason', 'address']));
    expect(extractor.tagger?.entities).toContain('address');
    expect(extractor.tagger?.text.dictionary).not.toBeNull();
  });

  it('merges every source into one sorted, non-overlapping list with spans into the original text', () => {
    const text = '用顺丰寄到杭州市西湖区文三路478号，电话13812345678';
    const found = extractor.extract(text, { now: NOW });
    expect(found.map((e) => [e.entity, e.value, e.source])).toEqual([
      ['courier', 'SF', 'dictionary'],
      ['address', '杭州市西湖区文三路478号', 'learned'],
      ['phone', '13812345678', 'system'],
    ]);
    for (const e of found) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('a span that contains a generic number or date beats it (an address keeps its house number)', () => {
    const found = extractor.extract('帮我把地址改成上海市闵行区七宝镇漕宝路1555弄12号', { now: NOW });
    expect(found.map((e) => e.entity)).toEqual(['address']);
    expect(found[0]?.text).toBe('上海市闵行区七宝镇漕宝路1555弄12号');
  });

  it('a value the pack lists beats a bare number of the same span', () => {
    expect(brief('44码的鞋挤脚，换45')).toEqual([
      ['size', '44', '44码', 'dictionary'],
      ['size', '45', '45', 'dictionary'],
    ]);
  });

  it('a pack regex that reuses a system name replaces that detector; digits never double as phone or number', () => {
    expect(brief('订单202611210001234567的裤子偏大')).toEqual([
      ['order_id', '202611210001234567', '202611210001234567', 'regex'],
      ['product', '牛仔裤', '裤子', 'dictionary'],
      ['reason', 'size_unfit', '偏大', 'dictionary'],
    ]);
    expect(brief('单号SF1367204458812到哪了')).toEqual([['tracking_number', 'SF1367204458812', 'SF1367204458812', 'regex']]);
    expect(brief('我的手机号13917726054')).toEqual([['phone', '13917726054', '13917726054', 'system']]);
  });

  it('keeps system values with their extra fields and resolves relative dates against `now`', () => {
    const found = extractor.extract('明天下午三点前送到，买了2件黑色XL码的羽绒服，一共299元', { now: NOW });
    expect(found.map((e) => e.entity)).toEqual(['datetime', 'quantity', 'color', 'size', 'product', 'money']);
    expect(found.find((e) => e.entity === 'datetime')?.value).toBe('2026-11-21T15:00:00+08:00');
    expect(found.find((e) => e.entity === 'money')).toMatchObject({ value: 299, currency: 'CNY' });
  });

  it('include filters the result without letting excluded entities leak into others', () => {
    expect(extractor.extract('电话13812345678，要2件', { now: NOW, include: ['number', 'quantity'] }).map((e) => e.text)).toEqual(['2件']);
  });

  it('fuzzy dictionary matches rank below exact ones and carry their similarity', () => {
    const [e] = extractor.extract('是顺峰快递吗', { now: NOW });
    expect(e).toMatchObject({ entity: 'courier', value: 'SF', source: 'dictionary' });
    expect(e?.confidence).toBeLessThan(1);
    const strict = createEntityExtractor({ pack, fuzzy: false, tagger: null, system: false });
    expect(strict.extract('是顺峰快递吗')).toEqual([]);
  });

  it('works without a pack (system entities only) and without system entities', () => {
    const sysOnly = createEntityExtractor();
    expect(sysOnly.tagger).toBeNull();
    expect(brief('电话13812345678', sysOnly)).toEqual([['phone', '13812345678', '13812345678', 'system']]);
    const noSystem = createEntityExtractor({ pack, system: false, tagger: null });
    expect(noSystem.entities).not.toContain('phone');
    expect(brief('电话13812345678，顺丰', noSystem)).toEqual([['courier', 'SF', '顺丰', 'dictionary']]);
  });

  it('accepts a saved tagger and the pipeline it was trained with', () => {
    const model = parseSlotTagger(serializeSlotTagger(extractor.tagger ?? expect.unreachable()));
    const again = createEntityExtractor({ pack, tagger: model, pipeline: extractor.pipeline });
    expect(again.extract('寄到武汉市洪山区珞喻路1037号吧', { now: NOW })).toEqual(extractor.extract('寄到武汉市洪山区珞喻路1037号吧', { now: NOW }));
  });

  it('validates options and input with codes', () => {
    expect(() => createEntityExtractor({ fuzzy: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createEntityExtractor({ system: { timeZone: 'Mars/Base' } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createEntityExtractor('x' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => extractor.extract(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => extractor.extract('x', { include: 'phone' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

const chatChar = fc.oneof(
  fc.constantFrom(...'寄到上海市路号电话顺丰峰快递红包订单退貨尺碼偏大黑色明天元件，。！？ 　ＸＬ１２３xl0123456789'),
  fc.constantFrom('😀', '👨‍👩‍👧', '\u0000', '\u200b', '\u0301', '\ud800', '\udc00', '㈱', '①', '13812345678', '202611210001234567'),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const chatText = fc.array(chatChar, { maxLength: 40 }).map((a) => a.join(''));

describe('extract on arbitrary input', () => {
  test.prop([chatText], { numRuns: 200 })('never throws; spans slice the original, sorted and non-overlapping', (s) => {
    let end = 0;
    for (const e of extractor.extract(s, { now: NOW })) {
      expect(s.slice(e.start, e.end)).toBe(e.text);
      expect(e.start).toBeGreaterThanOrEqual(end);
      expect(e.end).toBeGreaterThan(e.start);
      end = e.end;
    }
  });

  it('handles an empty string and a 100 KB message', () => {
    expect(extractor.extract('')).toEqual([]);
    const big = '用顺丰寄到杭州市西湖区文三路478号，电话13812345678。'.repeat(3000).slice(0, 100_000);
    const found = extractor.extract(big, { now: NOW });
    expect(found.length).toBeGreaterThan(1000);
    for (const e of found.slice(0, 100)) expect(big.slice(e.start, e.end)).toBe(e.text);
  });
});
