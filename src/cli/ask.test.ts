import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { askCommand } from './ask.js';
import { UsageError } from './common.js';

const PACK = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/packs/ecommerce-zh');

describe('kefu ask', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line per question, in order, with the contract fields', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    expect(await askCommand(['--pack', PACK, '--json', '退货运费谁出', '明天上海会下雨吗'])).toBe(0);
    const rows = lines.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ text: '退货运费谁出', decision: 'answer', faq: { id: 'return_shipping_fee' } });
    expect(Object.keys(rows[0] as object)).toEqual(['text', 'decision', 'faq', 'candidates']);
    expect(Object.keys((rows[0] as { faq: object }).faq)).toEqual(['id', 'question', 'answer', 'score']);
    expect(rows[1]).toMatchObject({ text: '明天上海会下雨吗', decision: 'none', faq: null });
    expect(Object.keys(((rows[1] as { candidates: object[] }).candidates[0]) ?? {})).toEqual(['id', 'question', 'score']);
  }, 60_000);

  it('is a usage error without --pack, without text, or with a bad --tz', async () => {
    await expect(askCommand(['退货'])).rejects.toBeInstanceOf(UsageError);
    await expect(askCommand(['--pack', PACK])).rejects.toBeInstanceOf(UsageError);
    await expect(askCommand(['--pack', PACK, '--tz', 'Mars/Base', 'x'])).rejects.toBeInstanceOf(UsageError);
    await expect(askCommand(['--pack', PACK, '--bogus', 'x'])).rejects.toBeInstanceOf(UsageError);
  });
});
