import { KefuError } from '../errors.js';

/** A user-dictionary word for the Chinese segmenter. */
export interface DictionaryEntry {
  readonly word: string;
  /** Frequency weight; higher keeps the word whole more often. Default 2000. */
  readonly freq?: number;
  /** Part-of-speech tag, e.g. `n`. */
  readonly tag?: string;
}

/** Default weight of a user word: enough for a 2–4 character shop term to beat its split. */
export const DEFAULT_WORD_FREQ = 2000;

/**
 * Parses dictionary lines as jieba writes them (`word [freq] [tag]`) or passes entries through.
 *
 * @example
 * ```ts
 * parseDictionary(['花呗', '价保 3000 n']); // [{ word: '花呗' }, { word: '价保', freq: 3000, tag: 'n' }]
 * ```
 */
export function parseDictionary(lines: readonly (string | DictionaryEntry)[]): DictionaryEntry[] {
  const out: DictionaryEntry[] = [];
  for (const line of lines) {
    if (typeof line !== 'string') {
      out.push(line);
      continue;
    }
    const parts = line.trim().split(/\s+/).filter(Boolean);
    const [word, second, third] = parts;
    if (word === undefined) continue;
    const entry: { word: string; freq?: number; tag?: string } = { word };
    if (second !== undefined) {
      if (/^\d+$/.test(second)) {
        entry.freq = Number(second);
        if (third !== undefined) entry.tag = third;
      } else {
        entry.tag = second;
      }
    }
    out.push(entry);
  }
  return out;
}

/** Serialises entries to the jieba dictionary format, rejecting words that would corrupt it. */
export function dictionaryToText(entries: readonly DictionaryEntry[]): string {
  return entries
    .map((e) => {
      if (typeof e.word !== 'string' || e.word.trim() === '' || /\s/.test(e.word)) {
        throw new KefuError(
          'INVALID_OPTION',
          `Dictionary word ${JSON.stringify(e.word)} is empty or contains whitespace. Use one word per entry.`,
          { word: e.word },
        );
      }
      const freq = e.freq ?? DEFAULT_WORD_FREQ;
      return e.tag ? `${e.word} ${freq} ${e.tag}` : `${e.word} ${freq}`;
    })
    .join('\n');
}
