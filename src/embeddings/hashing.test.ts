import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { createHashingEmbedder } from './index.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));

describe('createHashingEmbedder', () => {
  it('gives unit vectors of the requested dimension, in input order, with an id naming dim and seed', async () => {
    const e = createHashingEmbedder({ dim: 64, seed: 7 });
    expect(e.id).toBe('hashing:v1:dim=64:seed=7');
    expect(e.dim).toBe(64);
    const texts = ['我的快递到哪了', '怎么退货', 'Where is my parcel?'];
    const vs = await e.embed(texts);
    expect(vs).toHaveLength(3);
    for (const v of vs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(64);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    const [single] = await e.embed(['怎么退货']);
    expect(Array.from(single as Float32Array)).toEqual(Array.from(vs[1] as Float32Array));
  });

  it('is deterministic across instances and depends on the seed', async () => {
    const [a] = await createHashingEmbedder({ dim: 128, seed: 1 }).embed(['退货运费谁出']);
    const [b] = await createHashingEmbedder({ dim: 128, seed: 1 }).embed(['退货运费谁出']);
    const [c] = await createHashingEmbedder({ dim: 128, seed: 2 }).embed(['退货运费谁出']);
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
    expect(Array.from(a as Float32Array)).not.toEqual(Array.from(c as Float32Array));
  });

  it('pins one vector so the hashing cannot change silently (indexes store these)', async () => {
    const [v] = await createHashingEmbedder({ dim: 64, seed: 0 }).embed(['快递']);
    // 快, 递 and 快递: three features in three signed buckets, each ±1/sqrt(3).
    const nonZero = Array.from(v as Float32Array)
      .map((x, i) => [i, Math.round(x * 1e4) / 1e4] as const)
      .filter(([, x]) => x !== 0);
    expect(nonZero).toEqual([
      [46, -0.5774],
      [54, -0.5774],
      [56, -0.5774],
    ]);
  });

  it('ranks a text sharing characters above an unrelated one, and folds width and case', async () => {
    const e = createHashingEmbedder({ dim: 512 });
    const [q, near, far, wide] = await e.embed(['快递到哪了', '我的快递到哪里了', '发票怎么开', 'ＩＰＨＯＮＥ 快递到哪了']);
    const [ascii] = await e.embed(['iphone 快递到哪了']);
    expect(dot(q as Float32Array, near as Float32Array)).toBeGreaterThan(dot(q as Float32Array, far as Float32Array));
    expect(Array.from(wide as Float32Array)).toEqual(Array.from(ascii as Float32Array));
  });

  it('maps empty and whitespace-only text to the zero vector and never throws on odd text', async () => {
    const e = createHashingEmbedder({ dim: 32 });
    const odd = ['', '   \n\t', '😭😭😭', '\ud800abc\udfff', '客'.repeat(100_000), '\u0000\u200b'];
    const vs = await e.embed(odd);
    expect(Array.from(vs[0] as Float32Array).every((x) => x === 0)).toBe(true);
    expect(Array.from(vs[1] as Float32Array).every((x) => x === 0)).toBe(true);
    for (const v of vs.slice(2)) {
      expect(v.every((x) => Number.isFinite(x))).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(await e.embed([])).toEqual([]);
  });

  test.prop([fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 8 })])('every vector is finite with norm 0 or 1', async (texts) => {
    const vs = await createHashingEmbedder({ dim: 16 }).embed(texts);
    expect(vs).toHaveLength(texts.length);
    for (const v of vs) {
      const n = norm(v);
      expect(n === 0 || Math.abs(n - 1) < 1e-5).toBe(true);
    }
  });

  it('rejects bad options and bad input with stable codes', async () => {
    expect(() => createHashingEmbedder({ dim: 4 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createHashingEmbedder({ dim: 8.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createHashingEmbedder({ seed: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createHashingEmbedder('x' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const e = createHashingEmbedder();
    await expect(e.embed('text' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(e.embed(['ok', 3 as never])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { index: 1 } });
    await e.dispose();
    await e.dispose();
    await expect(e.embed(['ok'])).rejects.toMatchObject({ code: 'EMBEDDER_DISPOSED' });
  });
});
