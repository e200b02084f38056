export { KefuError, isKefuError, KEFU_ERROR_CODES, type KefuErrorCode } from './errors.js';
export type { Lang, Span, Logger } from './types.js';
export * from './text/index.js';
export * from './pack/index.js';
export * from './intent/index.js';
export * from './embeddings/index.js';
export * from './emotion/index.js';
export * from './dialogue/index.js';
export * from './retrieval/index.js';
