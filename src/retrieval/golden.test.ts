import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../pack/index.js';
import type { IntentResult } from '../intent/index.js';
import { arbitrate, createPackFaqIndex, searchFaq, type FaqIndex } from './index.js';

interface GoldenCase {
  readonly name: string;
  readonly query: string;
  readonly top: string | null;
  readonly decision?: 'answer' | 'suggest' | 'none';
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/retrieval/golden.yaml');
const golden = parse(readFileSync(FILE, 'utf8')) as { pack: string; cases: GoldenCase[] };

let index: FaqIndex;
beforeAll(async () => {
  index = createPackFaqIndex(await loadPack(join(dirname(FILE), golden.pack))).index;
}, 60_000);

describe('retrieval goldens (fixtures/retrieval/golden.yaml)', () => {

  for (const c of golden.cases) {
    it(c.name, () => {
      const r = searchFaq(index, c.query);
      if (c.top === null) expect(r.decision).not.toBe('answer');
      else expect(r.candidates[0]?.id).toBe(c.top);
      if (c.decision !== undefined) expect(r.decision).toBe(c.decision);
    });
  }
});

describe('arbitration on the bundled pack', () => {
  const accepted = (name: string): IntentResult => ({ intent: name, confidence: 0.9, ranking: [{ name, confidence: 0.9 }], decision: 'accept', reason: 'matched' });

  it('退货运费谁出: the FAQ answers; 我要退货: the task intent wins', () => {
    expect(arbitrate({ text: '退货运费谁出', intent: accepted('return_goods'), faq: searchFaq(index, '退货运费谁出') })).toMatchObject({
      route: 'faq',
      faqId: 'return_shipping_fee',
    });
    expect(arbitrate({ text: '我要退货', intent: accepted('return_goods'), faq: searchFaq(index, '我要退货') })).toMatchObject({
      route: 'intent',
      intent: 'return_goods',
    });
  });
});
