import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPackIntentDataset, loadSharedIntentDataset, readIntentJsonl, sharedDatasetsDir } from './datasets.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-bench-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readIntentJsonl', () => {
  it('reads rows, maps "oos" to null, ignores other fields, a BOM, CRLF and blank lines', async () => {
    const file = join(dir, 'ok.jsonl');
    await writeFile(
      file,
      '\uFEFF{"text":"我要退货","intent":"return_goods"}\r\n\r\n{"text":"tell me a joke","intent":"oos","entities":[]}\n',
    );
    expect(await readIntentJsonl(file)).toEqual([
      { text: '我要退货', intent: 'return_goods' },
      { text: 'tell me a joke', intent: null },
    ]);
  });

  it('reports every malformed line with file:line', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"text":"a","intent":"x"}\nnot json\n{"text":1,"intent":""}\n[]\n{"text":"b","intent":""}\n');
    await expect(readIntentJsonl(file)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: {
        issues: [
          `${file}:2: not valid JSON`,
          expect.stringContaining(`${file}:3: "text" must be a string`),
          expect.stringContaining(`${file}:4: expected an object`),
          expect.stringContaining(`${file}:5: "intent" must be`),
        ],
      },
    });
  });

  it('rejects a missing file with INVALID_INPUT naming the path', async () => {
    await expect(readIntentJsonl(join(dir, 'nope.jsonl'))).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: join(dir, 'nope.jsonl') } });
  });
});

describe('loadSharedIntentDataset', () => {
  it('reads <root>/../shared/datasets/<id>/{train,dev,test}.jsonl', async () => {
    const root = join(dir, 'repo');
    const data = join(dir, 'shared', 'datasets', 'clinc150');
    await mkdir(root, { recursive: true });
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'train.jsonl'), '{"text":"what is my balance","intent":"balance"}\n{"text":"sing","intent":"oos"}\n');
    await writeFile(join(data, 'dev.jsonl'), '{"text":"balance please","intent":"balance"}\n');
    await writeFile(join(data, 'test.jsonl'), '{"text":"how much money do i have","intent":"balance"}\n');
    expect(sharedDatasetsDir({ root })).toBe(join(dir, 'shared', 'datasets'));
    const d = await loadSharedIntentDataset('clinc150', { root });
    expect(d).toMatchObject({ status: 'ok', name: 'CLINC150', language: 'en', hasOutOfScope: true });
    if (d.status !== 'ok') throw new Error('expected ok');
    expect(d.train).toEqual([
      { text: 'what is my balance', intent: 'balance' },
      { text: 'sing', intent: null },
    ]);
    expect(d.dev).toHaveLength(1);
    expect(d.test).toHaveLength(1);
  });

  it('is skipped, not an error, when ../shared or the dataset folder is absent', async () => {
    const none = await loadSharedIntentDataset('snips', { root: join(dir, 'no', 'such', 'repo') });
    expect(none).toMatchObject({ status: 'skipped', id: 'snips', reason: expect.stringMatching(/^\.\.\/shared not found/) });
    const missing = await loadSharedIntentDataset('cais', { datasetsDir: join(dir, 'shared', 'datasets') });
    expect(missing).toMatchObject({ status: 'skipped', reason: expect.stringContaining('dataset folder not found') });
  });

  it('rejects an unknown id, listing the valid ones', async () => {
    await expect(loadSharedIntentDataset('atis' as 'cais')).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      details: { valid: ['smp2017_ecdt', 'cais', 'clinc150', 'snips'] },
    });
  });
});

describe('loadPackIntentDataset', () => {
  it('trains on the pack and tests on its tests with an intent key, null = out of scope', async () => {
    const { pack, train, test } = await loadPackIntentDataset('fixtures/packs/ecommerce-zh');
    expect(train).toBe(pack);
    expect(test.length).toBeGreaterThan(100);
    expect(test.length).toBe(pack.tests.filter((t) => t.intent !== undefined).length);
    expect(test.some((t) => t.intent === null)).toBe(true);
    expect(test.every((t) => typeof t.text === 'string' && !t.text.includes(']('))).toBe(true);
  });
});
