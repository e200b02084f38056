import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { modelCommand } from '../src/cli/model.js';
import { createOnnxEmbedder, MODEL_MANIFEST_FILE, readModelManifest, type ModelManifest } from '../src/embeddings/onnx/index.js';
import { BGE_DIR, FIXTURE_ONNX, hasFixture } from './onnx-fixture.js';

const REPO = 'kefu-test/fixture-bge';
const REVISION = '0123456789abcdef0123456789abcdef01234567';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * A loopback stand-in for a Hugging Face-style host: /{repo}/resolve/{revision}/{path} redirects to /cdn/{path},
 * which serves bytes with HTTP Range support. Faults are injected per path.
 */
interface Host {
  server: Server;
  baseUrl: string;
  files: Map<string, Buffer>;
  requests: { path: string; range: string | undefined }[];
  /** Paths whose next full (non-Range) GET is cut off half-way. */
  cutOnce: Set<string>;
}

async function startHost(files: Map<string, Buffer>): Promise<Host> {
  const host: Host = { server: createServer(), baseUrl: '', files, requests: [], cutOnce: new Set() };
  host.server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const resolvePrefix = `/${REPO}/resolve/${REVISION}/`;
    if (url.pathname.startsWith(resolvePrefix)) {
      res.writeHead(302, { location: `/cdn/${url.pathname.slice(resolvePrefix.length)}` }).end();
      return;
    }
    const path = decodeURIComponent(url.pathname.replace(/^\/cdn\//, ''));
    const body = host.files.get(path);
    host.requests.push({ path, range: req.headers.range });
    if (!url.pathname.startsWith('/cdn/') || body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    if (host.cutOnce.delete(path)) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  host.baseUrl = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
  return host;
}

describe.skipIf(!hasFixture)('kefu model pull against a loopback host', () => {
  let host: Host;
  let root: string;
  let manifestFile: string;
  let manifest: ModelManifest;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    const files = new Map<string, Buffer>([
      ['onnx/model.onnx', readFileSync(FIXTURE_ONNX)],
      ['tokenizer.json', readFileSync(join(BGE_DIR, 'tokenizer.json'))],
      ['tokenizer_config.json', readFileSync(join(BGE_DIR, 'tokenizer_config.json'))],
      ['config.json', readFileSync(join(BGE_DIR, 'config.json'))],
    ]);
    host = await startHost(files);
    root = mkdtempSync(join(tmpdir(), 'kefu-pull-'));
    manifest = {
      format: 'kefu/model-manifest',
      formatVersion: 1,
      name: 'fixture-bge',
      license: 'CC0-1.0',
      source: { repo: REPO, revision: REVISION },
      dim: 32,
      pooling: 'cls',
      normalize: true,
      lowercase: true,
      maxTokens: 512,
      onnx: 'onnx/model.onnx',
      files: [
        { path: 'config.json', sha256: sha(files.get('config.json') as Buffer) },
        { path: 'tokenizer.json', size: (files.get('tokenizer.json') as Buffer).length, sha256: sha(files.get('tokenizer.json') as Buffer) },
        { path: 'tokenizer_config.json', sha256: null },
        { path: 'onnx/model.onnx', size: (files.get('onnx/model.onnx') as Buffer).length, sha256: sha(files.get('onnx/model.onnx') as Buffer) },
      ],
    };
    manifestFile = join(root, 'fixture-bge.json');
    writeFileSync(manifestFile, JSON.stringify(manifest));
  });
  afterAll(async () => {
    await new Promise((resolve) => host.server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    host.requests.length = 0;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const pull = (dir: string, ...extra: string[]) => modelCommand(['pull', manifestFile, '--dir', dir, '--base-url', host.baseUrl, ...extra]);

  it('downloads every file through the redirect, resumes a cut-off transfer with Range, verifies and pins sha256', async () => {
    const dir = join(root, 'fresh');
    host.cutOnce.add('onnx/model.onnx');
    expect(await pull(dir)).toBe(0);
    const weights = host.requests.filter((r) => r.path === 'onnx/model.onnx');
    expect(weights).toHaveLength(2);
    expect(weights[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readFileSync(join(dir, 'onnx/model.onnx')).equals(host.files.get('onnx/model.onnx') as Buffer)).toBe(true);
    expect(existsSync(join(dir, 'onnx/model.onnx.part'))).toBe(false);
    const local = await readModelManifest(join(dir, MODEL_MANIFEST_FILE));
    expect(local.files.find((f) => f.path === 'tokenizer_config.json')?.sha256).toBe(sha(host.files.get('tokenizer_config.json') as Buffer));
    expect(local.files.every((f) => f.sha256 !== null && f.size !== undefined)).toBe(true);
    expect(err.join('')).toContain('pinned');
    expect(out.join('')).toContain('4 file(s) fetched');

    // The pulled directory is ready for the embedder, verified against the pinned manifest.
    const e = await createOnnxEmbedder({ modelDir: dir });
    expect(e.info).toMatchObject({ name: 'fixture-bge', verifiedFiles: 4 });
    expect(e.dim).toBe(32);
    await e.dispose();

    // A second pull finds everything in place and fetches nothing.
    host.requests.length = 0;
    expect(await pull(dir)).toBe(0);
    expect(host.requests).toHaveLength(0);
    expect(out.join('')).toContain('0 file(s) fetched, 4 already present');
    expect(await modelCommand(['verify', '--dir', dir])).toBe(0);
    expect(out.join('')).toContain('4 files present, 4 sha256 verified');
  });

  it('resumes a .part file left by an interrupted run', async () => {
    const dir = join(root, 'resume');
    const weights = host.files.get('onnx/model.onnx') as Buffer;
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'onnx/model.onnx.part'), weights.subarray(0, 1000));
    expect(await pull(dir)).toBe(0);
    expect(host.requests.find((r) => r.path === 'onnx/model.onnx')?.range).toBe('bytes=1000-');
    expect(readFileSync(join(dir, 'onnx/model.onnx')).equals(weights)).toBe(true);
  });

  it('discards a file whose sha256 differs (MODEL_CHECKSUM_MISMATCH), also against a hash pinned by an earlier pull', async () => {
    const dir = join(root, 'corrupt');
    const good = host.files.get('tokenizer.json') as Buffer;
    const bad = Buffer.from(good);
    bad[100] = (bad[100] as number) ^ 1;
    host.files.set('tokenizer.json', bad);
    try {
      await expect(pull(dir)).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    } finally {
      host.files.set('tokenizer.json', good);
    }
    expect(existsSync(join(dir, 'tokenizer.json'))).toBe(false);
    expect(existsSync(join(dir, 'tokenizer.json.part'))).toBe(false);

    expect(await pull(dir)).toBe(0);
    // tokenizer_config.json has no published hash: the first pull pinned it, so a changed file is now refused.
    rmSync(join(dir, 'tokenizer_config.json'));
    const original = host.files.get('tokenizer_config.json') as Buffer;
    host.files.set('tokenizer_config.json', Buffer.concat([original, Buffer.from(' ')]));
    try {
      await expect(pull(dir)).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    } finally {
      host.files.set('tokenizer_config.json', original);
    }
  });

  it('reports a missing file on the host as MODEL_DOWNLOAD_FAILED with the status', async () => {
    const missing = join(root, 'missing.json');
    writeFileSync(missing, JSON.stringify({ ...manifest, files: [...manifest.files, { path: 'vocab.txt', sha256: null }] }));
    await expect(modelCommand(['pull', missing, '--dir', join(root, 'm'), '--base-url', host.baseUrl])).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      details: { status: 404 },
    });
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect(await pull(join(root, 'tty'))).toBe(0);
    } finally {
      if (had) Object.defineProperty(process.stderr, 'isTTY', had);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(err.join('')).toContain('\r\u001b[2K  onnx/model.onnx [');
    expect(err.join('')).toMatch(/onnx\/model\.onnx \[#+-*\] +\d+% /);
    expect(err.join('')).toContain('100%');
  });

  it('exits 2 with usage for bad arguments', async () => {
    expect(await modelCommand(['pull', manifestFile])).toBe(2);
    expect(await modelCommand(['pull', '--dir', root])).toBe(2);
    expect(await modelCommand(['pull', 'no-such-model', '--dir', root])).toBe(2);
    expect(await modelCommand(['pull', manifestFile, '--dir', root, '--base-url', 'ftp://x'])).toBe(2);
    expect(await modelCommand(['frobnicate'])).toBe(2);
    expect(err.join('')).toContain('known: bge-small-zh-v1.5, bge-small-zh-v1.5-fp32');
  });
});

describe('kefu model list and verify', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lists the bundled manifests; verify refuses a directory without a pulled model', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    expect(await modelCommand(['list'])).toBe(0);
    expect(out.join('').split('\n')).toEqual(expect.arrayContaining(['bge-small-zh-v1.5', 'bge-small-zh-v1.5-fp32']));
    const empty = mkdtempSync(join(tmpdir(), 'kefu-verify-'));
    try {
      await expect(modelCommand(['verify', '--dir', empty])).rejects.toMatchObject({ code: 'MODEL_FILE_MISSING' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is wired into the kefu CLI', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'model', 'list'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('bge-small-zh-v1.5');
  });
});
