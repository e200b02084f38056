/** Where an entity came from; also its default priority when spans overlap (system > regex > dictionary > learned). */
export type EntitySource = 'system' | 'regex' | 'dictionary' | 'learned';

/**
 * One extracted entity. `start`/`end` are half-open UTF-16 offsets into the caller's original text and
 * `text === original.slice(start, end)`. `value` is the normalised value: a canonical string (phone digits, ISO date,
 * dictionary canonical value, …) or a number (`money`, `number`, `quantity`).
 */
export interface Entity {
  readonly entity: string;
  readonly value: string | number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly source: EntitySource;
  /** 1 for deterministic matches; lower for fuzzy dictionary and learned-tagger matches. */
  readonly confidence: number;
  /** `tracking_number`: the recognised courier code (`SF`, `JD`, `YT`, `ZTO`, …). */
  readonly courier?: string;
  /** `money`: ISO 4217 code (`CNY` unless the text says otherwise). */
  readonly currency?: string;
  /** `quantity`: the measure word or unit (`件`, `个`, `dozen`, …); `phone`: `mobile` or `landline` go in `kind`. */
  readonly unit?: string;
  /** A sub-type where one entity has several forms (`phone`: `mobile` | `landline`; `date` ranges: `range`). */
  readonly kind?: string;
  /** The slot role when one entity type fills several slots (`from`/`to`, `old`/`new`). */
  readonly role?: string;
}
