import { describe, expect, it } from 'vitest';
import { lintPack } from './lint.js';
import { validatePackSources } from './load.js';
import type { Pack } from './types.js';

function pack(yaml: string): Pack {
  const r = validatePackSources([{ path: 'pack.yaml', content: `version: 1\nname: t\nlanguage: zh\n${yaml}` }]);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.pack;
}

describe('lintPack', () => {
  const p = pack(`
intents:
  - name: refund
    examples: [我要退款, 帮我申请退款吧谢谢你们了, 退钱]
  - name: return_goods
    examples: [我要退款, 帮我申请退款吧谢谢你们啦, 退货]
entities:
  - name: color
    type: dictionary
    values: [{ value: 红色, synonyms: [红的] }, 蓝色]
tests:
  - { text: 要红的, intent: refund }
  - { text: 帮我申请退款吧谢谢你们呀, intent: refund }
`);
  const warnings = lintPack(p, { minExamples: 5 });

  it('warns about the same example under two intents', () => {
    expect(warnings.some((w) => w.code === 'duplicate_example' && w.message.includes('我要退款'))).toBe(true);
  });
  it('warns about intents with too few examples', () => {
    expect(warnings.filter((w) => w.code === 'few_examples').length).toBe(2);
  });
  it('warns about near-duplicates across intents', () => {
    expect(warnings.some((w) => w.code === 'near_duplicate')).toBe(true);
  });
  it('warns about held-out tests that nearly copy a training example', () => {
    expect(warnings.filter((w) => w.code === 'near_test_leak').map((w) => w.message)).toEqual([expect.stringContaining('帮我申请退款吧谢谢你们呀')]);
  });
  it('warns about dictionary values never used', () => {
    const unused = warnings.filter((w) => w.code === 'unused_entity_value');
    expect(unused.map((w) => w.message)).toEqual([expect.stringContaining('"蓝色"')]);
  });
  it('every warning has a location and severity warning', () => {
    for (const w of warnings) {
      expect(w.severity).toBe('warning');
      expect(w.line).toBeGreaterThan(0);
    }
  });
  it('the bundled pack has no duplicate or near-duplicate examples across intents', async () => {
    const { loadPack } = await import('./load.js');
    const bundled = await loadPack('fixtures/packs/ecommerce-zh');
    const w = lintPack(bundled);
    expect(w.filter((x) => x.code !== 'unused_entity_value')).toEqual([]);
  });
  it('rejects bad options', () => {
    expect(() => lintPack(p, { nearDuplicate: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
