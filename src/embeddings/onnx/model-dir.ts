import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KefuError } from '../../errors.js';
import { MODEL_MANIFEST_FILE, readModelManifest, type ModelManifest } from './manifest.js';
import type { Pooling } from './pool.js';
import { tokenizerFromJson, tokenizerFromVocab, type ModelTokenizer } from './tokenize.js';

/** ONNX weight files looked for, in this order, when neither an option nor a manifest names one. */
export const ONNX_FILE_CANDIDATES: readonly string[] = ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'model.onnx', 'onnx/model_int8.onnx', 'model_quantized.onnx'];

/** What a model directory says about itself, from the files the usual exports write. */
export interface ModelDirInfo {
  readonly dir: string;
  /** The manifest (`kefu-model.json` in the directory, or the one passed in), if any. */
  readonly manifest: ModelManifest | undefined;
  /** Relative path of the ONNX weights. */
  readonly onnxFile: string;
  readonly onnxSize: number;
  readonly tokenizer: ModelTokenizer;
  readonly tokenizerSource: 'tokenizer.json' | 'vocab.txt';
  /** From `1_Pooling/config.json` (or the folder `modules.json` names). */
  readonly pooling: Pooling | undefined;
  /** Set when that file asks for a pooling kefu does not implement (max, mean-sqrt-len…): why, for the error. */
  readonly poolingIssue: string | undefined;
  /** From `sentence_bert_config.json` `do_lower_case`. */
  readonly lowercase: boolean | undefined;
  /** From `sentence_bert_config.json` `max_seq_length`, else `tokenizer_config.json` `model_max_length`. */
  readonly maxSeqLength: number | undefined;
  /** Longest input the position embeddings allow (`config.json`), special tokens included. */
  readonly maxPositions: number | undefined;
  /** `modules.json` lists a Normalize module. */
  readonly hasNormalizeModule: boolean | undefined;
  readonly padId: number;
}

type Json = Record<string, unknown>;

async function readJson(dir: string, rel: string): Promise<Json | undefined> {
  const path = join(dir, rel);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KefuError('MODEL_FILE_MISSING', `Cannot read ${path}: ${(e as Error).message}.`, { path }, { cause: e });
  }
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('expected a JSON object');
    return raw as Json;
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `${path} is not a valid JSON object: ${(cause as Error).message}.`, { path }, { cause });
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/**
 * Reads a model directory laid out as sentence-transformers / Optimum / transformers.js exports it.
 * `manifest` (already verified by the caller, if at all) overrides `kefu-model.json`; `onnxFile` overrides both.
 */
export async function readModelDir(dir: string, options: { manifest?: ModelManifest | undefined; onnxFile?: string | undefined } = {}): Promise<ModelDirInfo> {
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat === undefined || !dirStat.isDirectory()) {
    throw new KefuError(
      'MODEL_FILE_MISSING',
      `Model directory "${dir}" does not exist. Put the model's files there (see docs/embeddings.md) or fetch them with: kefu model pull bge-small-zh-v1.5 --dir ${dir}`,
      { path: dir },
    );
  }
  let manifest = options.manifest;
  if (manifest === undefined && (await fileSize(join(dir, MODEL_MANIFEST_FILE))) !== undefined) {
    manifest = await readModelManifest(join(dir, MODEL_MANIFEST_FILE));
  }

  const onnxCandidates = options.onnxFile !== undefined ? [options.onnxFile] : manifest !== undefined ? [manifest.onnx] : ONNX_FILE_CANDIDATES;
  let onnxFile: string | undefined;
  let onnxSize = 0;
  for (const rel of onnxCandidates) {
    const size = await fileSize(join(dir, rel));
    if (size !== undefined) {
      onnxFile = rel;
      onnxSize = size;
      break;
    }
  }
  if (onnxFile === undefined) {
    throw new KefuError(
      'MODEL_FILE_MISSING',
      `No ONNX weights in ${dir}: looked for ${onnxCandidates.join(', ')}. Download the model's ONNX export into that directory.`,
      { path: join(dir, onnxCandidates[0] as string), candidates: onnxCandidates },
    );
  }

  const tokenizerConfig = (await readJson(dir, 'tokenizer_config.json')) ?? {};
  const tokenizerJson = await readJson(dir, 'tokenizer.json');
  let tokenizer: ModelTokenizer;
  let tokenizerSource: ModelDirInfo['tokenizerSource'];
  if (tokenizerJson !== undefined) {
    tokenizer = tokenizerFromJson(tokenizerJson, tokenizerConfig);
    tokenizerSource = 'tokenizer.json';
  } else {
    let vocab: string;
    try {
      vocab = await readFile(join(dir, 'vocab.txt'), 'utf8');
    } catch (cause) {
      throw new KefuError('MODEL_FILE_MISSING', `No tokenizer in ${dir}: it needs tokenizer.json or vocab.txt.`, { path: join(dir, 'tokenizer.json') }, { cause });
    }
    tokenizer = tokenizerFromVocab(vocab, tokenizerConfig);
    tokenizerSource = 'vocab.txt';
  }

  const config = (await readJson(dir, 'config.json')) ?? {};
  const sbert = await readJson(dir, 'sentence_bert_config.json');
  const modules = await readModulesJson(dir);
  const poolingDir = modules?.find((m) => m.type.endsWith('.Pooling'))?.path ?? '1_Pooling';
  const poolingConfig = await readJson(dir, join(poolingDir, 'config.json'));

  const positions = num(config.max_position_embeddings);
  // RoBERTa-family models reserve padding_idx + 1 positions (2 for XLM-R); BERT uses them all.
  const reserved = typeof config.model_type === 'string' && /roberta/.test(config.model_type) ? (num(config.pad_token_id) ?? 1) + 1 : 0;
  const modelMax = num(tokenizerConfig.model_max_length);
  const padFromConfig = typeof config.pad_token_id === 'number' && config.pad_token_id >= 0 ? config.pad_token_id : undefined;

  return {
    dir,
    manifest,
    onnxFile,
    onnxSize,
    tokenizer,
    tokenizerSource,
    ...poolingMode(poolingConfig, join(dir, poolingDir, 'config.json')),
    lowercase: typeof sbert?.do_lower_case === 'boolean' ? sbert.do_lower_case : undefined,
    maxSeqLength: num(sbert?.max_seq_length) ?? (modelMax !== undefined && modelMax < 1e6 ? modelMax : undefined),
    maxPositions: positions === undefined ? undefined : positions - reserved,
    hasNormalizeModule: modules === undefined ? undefined : modules.some((m) => m.type.endsWith('.Normalize')),
    padId: padFromConfig ?? 0,
  };
}

async function readModulesJson(dir: string): Promise<{ type: string; path: string }[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'modules.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const raw: unknown = JSON.parse(text);
    if (!Array.isArray(raw)) return undefined;
    return raw
      .filter((m): m is Json => typeof m === 'object' && m !== null)
      .map((m) => ({ type: typeof m.type === 'string' ? m.type : '', path: typeof m.path === 'string' ? m.path : '' }));
  } catch (cause) {
    throw new KefuError('MODEL_INVALID', `${join(dir, 'modules.json')} is not valid JSON.`, { path: join(dir, 'modules.json') }, { cause });
  }
}

function poolingMode(config: Json | undefined, path: string): { pooling: Pooling | undefined; poolingIssue: string | undefined } {
  if (config === undefined) return { pooling: undefined, poolingIssue: undefined };
  const modes = Object.keys(config).filter((k) => k.startsWith('pooling_mode_') && config[k] === true);
  if (modes.length === 1 && modes[0] === 'pooling_mode_cls_token') return { pooling: 'cls', poolingIssue: undefined };
  if (modes.length === 1 && modes[0] === 'pooling_mode_mean_tokens') return { pooling: 'mean', poolingIssue: undefined };
  return {
    pooling: undefined,
    poolingIssue: `${path} asks for pooling ${modes.length === 0 ? '(none)' : modes.join(' + ')}; kefu/onnx implements exactly one of pooling_mode_cls_token or pooling_mode_mean_tokens. Pass { pooling: 'cls' | 'mean' } to override.`,
  };
}
