/**
 * Every error code kefu throws, from one catalogue. Codes are stable across releases (see README "Error codes").
 */
export type KefuErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_INPUT'
  | 'PACK_NOT_FOUND'
  | 'PACK_INVALID'
  | 'TRAINING_DATA_INVALID'
  | 'FORMAT_VERSION_UNSUPPORTED'
  | 'MODEL_INVALID'
  | 'PIPELINE_MISMATCH'
  | 'STATE_NOT_JSON'
  | 'STORE_CLOSED'
  | 'STORE_FAILED'
  | 'REDIS_CLIENT_MISSING'
  | 'ONNX_RUNTIME_MISSING'
  | 'MODEL_FILE_MISSING'
  | 'MODEL_CHECKSUM_MISMATCH'
  | 'EMBEDDING_DIM_MISMATCH'
  | 'EMBEDDER_DISPOSED'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'EMBEDDER_MISMATCH'
  | 'INDEX_INVALID'
  | 'FLOW_INVALID'
  | 'SESSION_CONFLICT'
  | 'LOG_READ_FAILED'
  | 'LOG_WRITE_FAILED';

/** Human-readable summary of each code, used by the CLI and the README table. */
export const KEFU_ERROR_CODES: Readonly<Record<KefuErrorCode, string>> = {
  INVALID_OPTION: 'An option has the wrong type or an unsupported value.',
  INVALID_INPUT: 'An argument that must be text (or data of a given shape) is not.',
  PACK_NOT_FOUND: 'The pack path does not exist or holds no pack files.',
  PACK_INVALID: 'The pack has problems; details.issues lists every one with file, line and column.',
  TRAINING_DATA_INVALID: 'Training data is empty or malformed; details.issues lists every problem.',
  FORMAT_VERSION_UNSUPPORTED: 'A saved artifact has an unknown format or formatVersion; retrain or upgrade kefu.',
  MODEL_INVALID: 'A saved model is malformed (missing fields, wrong types or inconsistent sizes).',
  PIPELINE_MISMATCH: 'The text pipeline differs from the one the model was trained with.',
  STATE_NOT_JSON: 'Session state holds values that do not survive JSON; details.issues lists each with its path.',
  STORE_CLOSED: 'The session store was used after close(); create a new store.',
  STORE_FAILED: 'The session store backend failed or holds a value kefu did not write; the cause has the reason.',
  REDIS_CLIENT_MISSING: 'The Redis session store needs the optional peer dependency ioredis: npm install ioredis, or pass a client.',
  ONNX_RUNTIME_MISSING: 'kefu/onnx needs the optional peer dependency onnxruntime-node: npm install onnxruntime-node.',
  MODEL_FILE_MISSING: 'A file the model directory or its manifest needs is missing (details.path names it).',
  MODEL_CHECKSUM_MISMATCH: 'A model file does not match the sha256 its manifest lists; fetch it again.',
  EMBEDDING_DIM_MISMATCH: 'Vectors of different dimensions met (model vs manifest, or embedder vs index).',
  EMBEDDER_DISPOSED: 'embed() was called after dispose(); create a new embedder.',
  MODEL_DOWNLOAD_FAILED: 'kefu model pull could not fetch a file (HTTP error or network failure); run it again to resume.',
  EMBEDDER_MISMATCH: 'An index holds vectors of another embedder (id differs), or vectors were used where the index has none.',
  INDEX_INVALID: 'A saved FAQ index is malformed (missing fields, wrong types, or a vector file of the wrong size).',
  FLOW_INVALID: 'Dialogue flows are malformed (unknown slot entity, intent, response or flow, missing prompt, unsafe regex); details.issues lists each.',
  SESSION_CONFLICT: 'A session kept changing under concurrent messages beyond the retry limit; the message was not applied, send it again.',
  LOG_READ_FAILED: 'A conversation log file cannot be opened or read; details.path names it.',
  LOG_WRITE_FAILED: 'A conversation log sink could not write (I/O error, unserialisable event, or write after close()).',
};

/**
 * The one error class of kefu. `code` is stable; `details` carries structured context.
 *
 * @example
 * ```ts
 * try { await loadPack('missing/'); } catch (e) { if (isKefuError(e)) console.error(e.code); }
 * ```
 */
export class KefuError extends Error {
  override readonly name = 'KefuError';
  readonly code: KefuErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: KefuErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/**
 * True for a KefuError, also when an ESM and a CJS copy of kefu are both loaded.
 *
 * @example
 * ```ts
 * if (isKefuError(err) && err.code === 'PACK_INVALID') showIssues(err.details.issues);
 * ```
 */
export const isKefuError = (e: unknown): e is KefuError =>
  e instanceof Error && e.name === 'KefuError' && typeof (e as { code?: unknown }).code === 'string';
