import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test model directories assembled under os.tmpdir() from ../shared/models (read in place, never copied into the
 * repository): the genuine bge-small-zh-v1.5 tokenizer and configs next to a random-weight BERT with the same
 * input/output contract (hidden size 32).
 */
export const SHARED_MODELS = fileURLToPath(new URL('../../shared/models/', import.meta.url));
export const BGE_DIR = join(SHARED_MODELS, 'bge-small-zh-v1.5');
export const FIXTURE_ONNX = join(SHARED_MODELS, 'test-fixture-bert-zh-random', 'model.onnx');
export const FIXTURE_DIM = 32;
export const hasFixture = existsSync(join(BGE_DIR, 'tokenizer.json')) && existsSync(FIXTURE_ONNX);
export const SKIP_NOTE = 'skipped: ../shared/models (bge-small-zh-v1.5 tokenizer + random-weight fixture) not found';

export interface FixtureDirOptions {
  /** Where the weights go. Default onnx/model.onnx (the transformers.js layout). */
  readonly onnxPath?: string;
  /** tokenizer.json or vocab.txt (each with tokenizer_config.json). Default 'json'. */
  readonly tokenizer?: 'json' | 'vocab';
  /** 1_Pooling/config.json mode, or null for no file. Default 'cls' (bge's). */
  readonly pooling?: 'cls' | 'mean' | 'max' | null;
  /** sentence_bert_config.json (do_lower_case: true). Default true. */
  readonly sentenceBertConfig?: boolean;
  /** Extra files: relative path → content. */
  readonly files?: Readonly<Record<string, string>>;
}

const roots: string[] = [];

/** A fresh temporary model directory; `cleanupFixtureDirs()` removes them all. */
export function makeFixtureDir(options: FixtureDirOptions = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'kefu-onnx-'));
  roots.push(root);
  const dir = join(root, 'fixture-bge');
  mkdirSync(dir);
  const link = (target: string, rel: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    symlinkSync(target, join(dir, rel));
  };
  link(FIXTURE_ONNX, options.onnxPath ?? 'onnx/model.onnx');
  link(join(BGE_DIR, 'config.json'), 'config.json');
  link(join(BGE_DIR, 'tokenizer_config.json'), 'tokenizer_config.json');
  link(join(BGE_DIR, (options.tokenizer ?? 'json') === 'json' ? 'tokenizer.json' : 'vocab.txt'), (options.tokenizer ?? 'json') === 'json' ? 'tokenizer.json' : 'vocab.txt');
  link(join(BGE_DIR, 'special_tokens_map.json'), 'special_tokens_map.json');
  if (options.sentenceBertConfig ?? true) link(join(BGE_DIR, 'sentence_bert_config.json'), 'sentence_bert_config.json');
  const pooling = options.pooling === undefined ? 'cls' : options.pooling;
  if (pooling !== null) {
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(
      join(dir, '1_Pooling', 'config.json'),
      JSON.stringify({
        word_embedding_dimension: FIXTURE_DIM,
        pooling_mode_cls_token: pooling === 'cls',
        pooling_mode_mean_tokens: pooling === 'mean',
        pooling_mode_max_tokens: pooling === 'max',
        pooling_mode_mean_sqrt_len_tokens: false,
      }),
    );
  }
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

export function cleanupFixtureDirs(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}
