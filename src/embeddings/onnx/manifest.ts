import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { KefuError } from '../../errors.js';

/** The `format` tag of a model manifest. */
export const MODEL_MANIFEST_FORMAT = 'kefu/model-manifest';
/** The manifest format version this kefu reads and writes. */
export const MODEL_MANIFEST_FORMAT_VERSION = 1;
/**
 * File name of the manifest inside a model directory. `kefu model pull` writes it there with every checksum pinned,
 * and `createOnnxEmbedder` verifies the directory against it on load when it is present.
 */
export const MODEL_MANIFEST_FILE = 'kefu-model.json';

/** One file of a model, relative to the model directory. */
export interface ModelManifestFile {
  /** Relative path with `/` separators, e.g. `onnx/model_quantized.onnx`. */
  readonly path: string;
  /** Size in bytes, when known. */
  readonly size?: number;
  /**
   * Lower-case hex sha256 of the file, or `null` when no trustworthy published value exists: `kefu model pull`
   * then pins the hash of what it downloaded into the directory's `kefu-model.json` ("trust on first pull").
   */
  readonly sha256: string | null;
}

/** Where `kefu model pull` fetches the files: a Hugging Face-style repository at a fixed revision. */
export interface ModelManifestSource {
  /** `owner/name` on the host. */
  readonly repo: string;
  /** A commit id (40 hex digits) so a moving branch can never swap the files. */
  readonly revision: string;
}

/**
 * Describes one local ONNX sentence-embedding model: its files with sha256, output dimension, pooling, text
 * preprocessing, token limit and licence. See `models/README.md` for the format and how checksums are sourced.
 */
export interface ModelManifest {
  readonly format: typeof MODEL_MANIFEST_FORMAT;
  readonly formatVersion: typeof MODEL_MANIFEST_FORMAT_VERSION;
  /** Short id: lower-case letters, digits, `.`, `_`, `-`. Part of the embedder's `id`. */
  readonly name: string;
  readonly description?: string;
  /** SPDX licence id of the weights, e.g. `MIT`. */
  readonly license: string;
  /** The original model the files were converted from, e.g. `BAAI/bge-small-zh-v1.5`. */
  readonly upstream?: string;
  readonly source?: ModelManifestSource;
  /** Output vector length. */
  readonly dim: number;
  readonly pooling: 'cls' | 'mean';
  readonly normalize: boolean;
  /** Lower-case the text before tokenising (sentence-transformers `do_lower_case`). */
  readonly lowercase: boolean;
  /** Token limit, special tokens included. */
  readonly maxTokens: number;
  /** Instruction prepended to search queries (never to passages) by asymmetric models. */
  readonly queryPrefix?: string;
  /** Path of the ONNX weights among `files`. */
  readonly onnx: string;
  readonly files: readonly ModelManifestFile[];
}

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), {
    message: 'must be a relative path with "/" separators and no "." or ".." segments',
  });

const manifestSchema = z.strictObject({
  format: z.literal(MODEL_MANIFEST_FORMAT),
  formatVersion: z.literal(MODEL_MANIFEST_FORMAT_VERSION),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"'),
  description: z.string().optional(),
  license: z.string().min(1),
  upstream: z.string().min(1).optional(),
  source: z
    .strictObject({
      repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"'),
      revision: z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-hex-digit commit id'),
    })
    .optional(),
  dim: z.number().int().min(1).max(65536),
  pooling: z.enum(['cls', 'mean']),
  normalize: z.boolean(),
  lowercase: z.boolean(),
  maxTokens: z.number().int().min(3).max(65536),
  queryPrefix: z.string().optional(),
  onnx: relativePath,
  files: z
    .array(
      z.strictObject({
        path: relativePath,
        size: z.number().int().min(0).optional(),
        sha256: z.union([z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'), z.null()]),
      }),
    )
    .min(1),
});

/**
 * Validates a parsed manifest; throws `MODEL_INVALID` listing every problem (`details.issues`).
 *
 * @example
 * ```ts
 * const manifest = parseModelManifest(JSON.parse(await readFile('models/bge-small-zh-v1.5/manifest.json', 'utf8')));
 * console.log(manifest.dim, manifest.pooling); // 512 'cls'
 * ```
 */
export function parseModelManifest(raw: unknown, source = 'manifest'): ModelManifest {
  const r = manifestSchema.safeParse(raw);
  const issues = r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  if (r.success) {
    const paths = r.data.files.map((f) => f.path);
    paths.forEach((p, i) => {
      if (paths.indexOf(p) !== i) issues.push({ path: `files.${i}.path`, message: `"${p}" is listed twice` });
    });
    if (!paths.includes(r.data.onnx)) issues.push({ path: 'onnx', message: `"${r.data.onnx}" must be one of files[].path` });
  }
  if (issues.length > 0 || !r.success) {
    const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new KefuError('MODEL_INVALID', `${source} is not a valid kefu model manifest: ${list}.`, { source, issues });
  }
  return r.data as ModelManifest;
}

/**
 * Reads and validates a manifest file (`MODEL_FILE_MISSING` when absent, `MODEL_INVALID` when malformed).
 *
 * @example
 * ```ts
 * const manifest = await readModelManifest('/srv/models/bge/kefu-model.json');
 * ```
 */
export async function readModelManifest(file: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new KefuError('MODEL_FILE_MISSING', `Cannot read the model manifest "${file}". Check the path.`, { path: file }, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `${file} is not valid JSON: ${(cause as Error).message}.`, { source: file }, { cause });
  }
  return parseModelManifest(raw, file);
}

/**
 * The lower-case hex sha256 of a file, streamed (large weights are never held in memory).
 *
 * @example
 * ```ts
 * console.log(await sha256File('model/onnx/model_quantized.onnx'));
 * ```
 */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Checks every file the manifest lists: present (`MODEL_FILE_MISSING`), of the listed size and sha256
 * (`MODEL_CHECKSUM_MISMATCH`, with `expected` and `actual`). Files whose sha256 is `null` are only checked for presence
 * and size. Returns the number of files whose sha256 was verified.
 *
 * @example
 * ```ts
 * await verifyModelFiles('/srv/models/bge', await readModelManifest('/srv/models/bge/kefu-model.json'));
 * ```
 */
export async function verifyModelFiles(dir: string, manifest: ModelManifest): Promise<number> {
  let verified = 0;
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    let size: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) throw new Error('not a file');
      size = s.size;
    } catch (cause) {
      throw new KefuError(
        'MODEL_FILE_MISSING',
        `Model "${manifest.name}" needs ${f.path}, which is missing from ${dir}. Fetch it with: kefu model pull ${manifest.name} --dir ${dir}`,
        { path, model: manifest.name },
        { cause },
      );
    }
    if (f.size !== undefined && size !== f.size) {
      throw new KefuError(
        'MODEL_CHECKSUM_MISMATCH',
        `${path} has ${size} bytes but the manifest of "${manifest.name}" lists ${f.size}: the file is truncated or a different version. Fetch it again with: kefu model pull ${manifest.name} --dir ${dir}`,
        { path, expected: f.size, actual: size, check: 'size' },
      );
    }
    if (f.sha256 !== null) {
      const actual = await sha256File(path);
      if (actual !== f.sha256) {
        throw new KefuError(
          'MODEL_CHECKSUM_MISMATCH',
          `${path} has sha256 ${actual} but the manifest of "${manifest.name}" lists ${f.sha256}. Fetch it again with: kefu model pull ${manifest.name} --dir ${dir}`,
          { path, expected: f.sha256, actual, check: 'sha256' },
        );
      }
      verified++;
    }
  }
  return verified;
}
