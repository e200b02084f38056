import { readFile } from 'node:fs/promises';
import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';

/**
 * Parses one JSONL row (already checked to be an object with a string `text`). Returns the row, or `null` after
 * pushing each problem, prefixed with `where` (`file:line`), to `issues`.
 */
export type JsonlRowParser<T> = (row: Readonly<Record<string, unknown>> & { readonly text: string }, where: string, issues: string[]) => T | null;

/**
 * Reads a JSONL file of objects with a string `text` (a BOM and blank lines are skipped) through `parseRow`. Every
 * malformed line is reported at once (`INVALID_INPUT` with `details.issues`, each `file:line: problem`); an
 * unreadable file is `INVALID_INPUT` too, naming the path. `what` describes the rows for messages (`{"text","intent"}`).
 *
 * @example
 * ```ts
 * const rows = await readJsonlRows('test.jsonl', '{"text","faq"}', (r, where, issues) =>
 *   typeof r.faq === 'string' ? { text: r.text, faq: r.faq } : (issues.push(`${where}: "faq" must be a string`), null));
 * ```
 */
export async function readJsonlRows<T>(path: string, what: string, parseRow: JsonlRowParser<T>): Promise<T[]> {
  checkOption(typeof path === 'string' && path !== '', 'readJsonlRows', 'path', path, 'a file path');
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (cause) {
    throw new KefuError('INVALID_INPUT', `Cannot read "${path}" (${(cause as Error).message}). Pass an existing JSONL file of ${what} rows.`, { path }, { cause });
  }
  const rows: T[] = [];
  const issues: string[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${path}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        issues.push(`${where}: not valid JSON`);
        return;
      }
      const r = value as Record<string, unknown> | null;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        issues.push(`${where}: expected an object ${what}, got ${describe(value)}`);
        return;
      }
      if (typeof r.text !== 'string') {
        issues.push(`${where}: "text" must be a string, got ${describe(r.text)}`);
        return;
      }
      const row = parseRow(r as Record<string, unknown> & { text: string }, where, issues);
      if (row !== null) rows.push(row);
    });
  if (issues.length > 0) {
    throw new KefuError(
      'INVALID_INPUT',
      `${issues.length} malformed line(s) in "${path}": ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. Each line must be ${what}.`,
      { path, issues },
    );
  }
  return rows;
}
