import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KefuError } from '../index.js';
import { EXIT_ERROR, EXIT_OK, parseCliArgs, UsageError } from './common.js';
import {
  MODEL_MANIFEST_FILE,
  readModelManifest,
  sha256File,
  verifyModelFiles,
  type ModelManifest,
  type ModelManifestFile,
} from '../embeddings/onnx/index.js';

const DEFAULT_BASE_URL = 'https://huggingface.co';
/** Attempts per file; each retry resumes where the last one stopped. */
const ATTEMPTS = 4;
/** A download that receives nothing for this long is aborted (and retried). */
const IDLE_TIMEOUT_MS = 60_000;

export const MODEL_USAGE = `kefu model: fetch and check local ONNX embedding models (the only command that uses the network)

Usage:
  kefu model pull NAME|MANIFEST.json --dir DIR [--base-url URL]
      download the model's files into DIR from a Hugging Face-style host (default $HF_ENDPOINT or
      ${DEFAULT_BASE_URL}), resuming partial files, checking every sha256, then writing DIR/${MODEL_MANIFEST_FILE}
  kefu model verify --dir DIR        check DIR against its ${MODEL_MANIFEST_FILE} (sizes and sha256)
  kefu model list                    the models kefu has manifests for
`;

class ModelUsageError extends Error {}

/**
 * `kefu model …`: returns the exit code (0 done, 2 bad arguments or failure). Progress goes to stderr, results to
 * stdout; a KefuError (checksum, download, missing file) is thrown for the caller to print with its code.
 */
export async function modelCommand(args: string[]): Promise<number> {
  try {
    const [sub, ...rest] = args;
    if (sub === 'pull') return await pull(rest);
    if (sub === 'verify') return await verify(rest);
    if (sub === 'list') return list();
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(MODEL_USAGE);
      return sub === undefined ? EXIT_ERROR : EXIT_OK;
    }
    throw new ModelUsageError(`unknown subcommand "model ${sub}"`);
  } catch (e) {
    if (e instanceof ModelUsageError) {
      process.stderr.write(`kefu: ${e.message}\n\n${MODEL_USAGE}`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

function parse(args: string[]) {
  try {
    return parseCliArgs(args, { dir: { type: 'string' }, 'base-url': { type: 'string' } });
  } catch (e) {
    // Reported with the model subcommands' own usage text.
    throw e instanceof UsageError ? new ModelUsageError(e.message) : e;
  }
}

/** The folder of manifests shipped with kefu: `models/` next to the package.json above this file (src/ or dist/). */
function bundledModelsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return existsSync(join(dir, 'models')) ? join(dir, 'models') : undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function bundledNames(): string[] {
  const root = bundledModelsDir();
  if (root === undefined) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
}

async function resolveManifest(nameOrFile: string): Promise<ModelManifest> {
  if (nameOrFile.endsWith('.json') || nameOrFile.includes('/') || nameOrFile.includes('\\')) return readModelManifest(nameOrFile);
  const root = bundledModelsDir();
  const file = root === undefined ? undefined : join(root, nameOrFile, 'manifest.json');
  if (file === undefined || !existsSync(file)) {
    const names = bundledNames();
    throw new ModelUsageError(`no model named "${nameOrFile}"; known: ${names.length > 0 ? names.join(', ') : '(none found)'}, or pass a manifest file`);
  }
  return readModelManifest(file);
}

function list(): number {
  for (const name of bundledNames()) process.stdout.write(`${name}\n`);
  return EXIT_OK;
}

async function verify(args: string[]): Promise<number> {
  const { values } = parse(args);
  if (values.dir === undefined) throw new ModelUsageError('model verify needs --dir DIR');
  const manifest = await readModelManifest(join(values.dir, MODEL_MANIFEST_FILE));
  const checked = await verifyModelFiles(values.dir, manifest);
  process.stdout.write(`${values.dir}: ${manifest.name}, ${manifest.files.length} files present, ${checked} sha256 verified\n`);
  return EXIT_OK;
}

async function pull(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length !== 1) throw new ModelUsageError('model pull needs exactly one NAME or MANIFEST.json');
  if (values.dir === undefined) throw new ModelUsageError('model pull needs --dir DIR');
  const base = values['base-url'] ?? process.env.HF_ENDPOINT ?? DEFAULT_BASE_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new ModelUsageError(`--base-url must be an http(s) URL, got "${base}"`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new ModelUsageError(`--base-url must be an http(s) URL, got "${base}"`);

  const manifest = await resolveManifest(positionals[0] as string);
  if (manifest.source === undefined) {
    throw new ModelUsageError(`the manifest of "${manifest.name}" has no "source" (repo and revision) to download from`);
  }
  const dir = resolve(values.dir);
  await mkdir(dir, { recursive: true });
  // Hashes pinned by an earlier pull of the same model stand in for the manifest's unknown (null) ones.
  const pinned = new Map<string, string>();
  const localManifest = join(dir, MODEL_MANIFEST_FILE);
  if (existsSync(localManifest)) {
    const previous = await readModelManifest(localManifest).catch(() => undefined);
    if (previous?.name === manifest.name) for (const f of previous.files) if (f.sha256 !== null) pinned.set(f.path, f.sha256);
  }

  const progress = createProgress(process.stderr);
  const files: ModelManifestFile[] = [];
  let fetched = 0;
  for (const f of manifest.files) {
    const expected = f.sha256 ?? pinned.get(f.path) ?? null;
    const dest = join(dir, f.path);
    const url = new URL(`${manifest.source.repo}/resolve/${manifest.source.revision}/${f.path.split('/').map(encodeURIComponent).join('/')}`, baseUrl);
    if (await isComplete(dest, f.size, expected)) {
      files.push({ path: f.path, size: (await stat(dest)).size, sha256: expected ?? (await sha256File(dest)) });
      progress.done(f.path, 'already present');
      continue;
    }
    await mkdir(dirname(dest), { recursive: true });
    await download(url, `${dest}.part`, f, progress);
    const size = (await stat(`${dest}.part`)).size;
    const actual = await sha256File(`${dest}.part`);
    if ((f.size !== undefined && size !== f.size) || (expected !== null && actual !== expected)) {
      await rm(`${dest}.part`, { force: true });
      throw new KefuError(
        'MODEL_CHECKSUM_MISMATCH',
        `${url.href} gave ${size} bytes with sha256 ${actual}, but the manifest of "${manifest.name}" lists ${f.size ?? 'any size'} bytes with sha256 ${expected ?? '(any)'}. The file was discarded; check --base-url, then run the command again.`,
        { path: dest, url: url.href, expected: expected ?? undefined, actual, expectedSize: f.size, actualSize: size },
      );
    }
    await rename(`${dest}.part`, dest);
    files.push({ path: f.path, size, sha256: actual });
    fetched++;
    progress.done(f.path, `${formatBytes(size)}, sha256 ${expected === null ? `pinned ${actual.slice(0, 12)}… (first pull)` : 'ok'}`);
  }
  const local: ModelManifest = { ...manifest, files };
  await writeFile(localManifest, `${JSON.stringify(local, null, 2)}\n`);
  process.stdout.write(`${manifest.name}: ${fetched} file(s) fetched, ${files.length - fetched} already present → ${dir}\n`);
  process.stdout.write(`Use it with: createOnnxEmbedder({ modelDir: ${JSON.stringify(dir)} }) or kefu parse --model-dir ${dir}\n`);
  return EXIT_OK;
}

async function isComplete(path: string, size: number | undefined, sha256: string | null): Promise<boolean> {
  const s = await stat(path).catch(() => undefined);
  if (s === undefined || !s.isFile()) return false;
  if (size !== undefined && s.size !== size) return false;
  if (sha256 !== null) return (await sha256File(path)) === sha256;
  // Unknown hash and nothing pinned yet: only a listed size can vouch for an existing file.
  return size !== undefined;
}

/** Downloads `url` into `part`, resuming from the bytes already there (HTTP Range), retrying on network errors. */
async function download(url: URL, part: string, file: ModelManifestFile, progress: Progress): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const have = (await stat(part).catch(() => undefined))?.size ?? 0;
    if (file.size !== undefined && have === file.size) return;
    const controller = new AbortController();
    let idle = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
    try {
      const res = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: controller.signal, redirect: 'follow' });
      if (res.status === 416 && have > 0) {
        // The partial file is not a prefix the server recognises (longer than the file): start over.
        await rm(part, { force: true });
        lastError = new Error('HTTP 416 on resume');
        continue;
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel();
        const err = new KefuError(
          'MODEL_DOWNLOAD_FAILED',
          `GET ${url.href} answered HTTP ${res.status}${res.status === 404 ? ': the host has no such file at this revision (check --base-url)' : ''}.`,
          { url: url.href, status: res.status },
        );
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw err;
        lastError = err;
        continue;
      }
      const append = res.status === 206 && have > 0;
      const length = Number(res.headers.get('content-length') ?? NaN);
      const total = file.size ?? (Number.isFinite(length) ? length + (append ? have : 0) : undefined);
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      let written = append ? have : 0;
      try {
        if (res.body === null) throw new Error('empty response body');
        for await (const chunk of res.body) {
          clearTimeout(idle);
          idle = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
          if (!out.write(chunk)) await once(out, 'drain');
          written += (chunk as Uint8Array).byteLength;
          progress.update(file.path, written, total);
        }
      } finally {
        out.end();
        await once(out, 'close');
      }
      return;
    } catch (e) {
      if (e instanceof KefuError) throw e;
      lastError = e;
    } finally {
      clearTimeout(idle);
    }
  }
  throw new KefuError(
    'MODEL_DOWNLOAD_FAILED',
    `Could not download ${url.href} after ${ATTEMPTS} attempts (${lastError instanceof Error ? lastError.message : String(lastError)}). Run the command again: it resumes from ${part}.`,
    { url: url.href, part },
    { cause: lastError },
  );
}

interface Progress {
  update(path: string, bytes: number, total: number | undefined): void;
  done(path: string, note: string): void;
}

/** A one-line progress bar on a terminal; on a pipe or file only one line per finished file. */
function createProgress(stream: NodeJS.WriteStream): Progress {
  const tty = stream.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(path, bytes, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && (total === undefined || bytes < total)) return;
      last = now;
      const width = 24;
      const frac = total !== undefined && total > 0 ? Math.min(1, bytes / total) : undefined;
      const bar = frac === undefined ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${String(Math.floor(frac * 100)).padStart(3)}% `;
      stream.write(`\r\u001b[2K  ${path} ${bar}${formatBytes(bytes)}${total !== undefined ? ` / ${formatBytes(total)}` : ''}`);
      shown = true;
    },
    done(path, note) {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
      stream.write(`  ${path}: ${note}\n`);
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
