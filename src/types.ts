/** Languages a pack or a pipeline can declare. */
export type Lang = 'zh' | 'en';

/** A half-open UTF-16 span into the caller's original text: `text === original.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Optional diagnostics sink; kefu never prints. */
export type Logger = (level: 'debug' | 'info' | 'warn', message: string, code?: string) => void;
