/** A labelled span as training and bench files carry it: half-open UTF-16 offsets into its text. */
export interface LabelledSpan {
  readonly entity: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Whether `value` is a well-formed labelled span of a text `textLength` code units long: a non-empty entity name and
 * integer offsets with 0 ≤ start < end ≤ textLength. Used wherever annotated rows are read, so every reader accepts
 * and refuses the same spans.
 */
export function isLabelledSpan(value: unknown, textLength: number): value is LabelledSpan {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const { start, end } = s;
  return (
    typeof s.entity === 'string' &&
    s.entity !== '' &&
    typeof start === 'number' &&
    typeof end === 'number' &&
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    start < end &&
    end <= textLength
  );
}
