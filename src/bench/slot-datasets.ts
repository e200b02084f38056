import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KefuError } from '../errors.js';
import { checkOption, describe } from '../internal/assert.js';
import { isLabelledSpan } from '../internal/span.js';
import type { Lang } from '../types.js';
import { sharedDatasetsDir, type LoadSharedDatasetOptions } from './datasets.js';
import { readJsonlRows } from './jsonl.js';

/** A gold entity of a bench row: half-open UTF-16 offsets into `text`; `value` is the expected resolved value, if any. */
export interface GoldEntity {
  readonly entity: string;
  readonly start: number;
  readonly end: number;
  readonly value?: string | number;
}

/** One message with its gold entities. */
export interface EntityRow {
  readonly text: string;
  readonly entities: readonly GoldEntity[];
}

/**
 * Reads a JSONL file of `{"text", "entities": [{"start","end","entity","value"}]}` rows (other fields are ignored), the
 * format of the shared CAIS, SNIPS and CLUENER2020 copies. In those files `value` repeats the surface
 * (`text.slice(start, end)`), so it is NOT kept as a resolved value. Every malformed line is reported at once
 * (`INVALID_INPUT` with `details.issues`).
 *
 * @example
 * ```ts
 * const rows = await readSlotJsonl('../shared/datasets/cais/test.jsonl');
 * rows[0]; // { text: '我要听吴雨霏的歌', entities: [{ entity: 'singer_name', start: 3, end: 6 }] }
 * ```
 */
export async function readSlotJsonl(path: string): Promise<EntityRow[]> {
  checkOption(typeof path === 'string' && path !== '', 'readSlotJsonl', 'path', path, 'a file path');
  return readJsonlRows(path, '{"text","entities"}', (r, where, issues) => {
    const { text } = r;
    const raw = r.entities ?? [];
    if (!Array.isArray(raw)) {
      issues.push(`${where}: "entities" must be an array, got ${describe(raw)}`);
      return null;
    }
    const entities: GoldEntity[] = [];
    raw.forEach((e: unknown, k) => {
      if (!isLabelledSpan(e, text.length)) {
        issues.push(`${where}: entities[${k}] must be {"entity","start","end"} with 0 ≤ start < end ≤ ${text.length}, got ${JSON.stringify(e)}`);
        return;
      }
      entities.push({ entity: e.entity, start: e.start, end: e.end });
    });
    return { text, entities };
  });
}

/** The public slot-filling / NER datasets the entity bench reads in place from `../shared/datasets/`. */
export type SharedSlotDatasetId = 'cais' | 'snips' | 'cluener2020';

/** What the bench knows about a shared slot dataset. */
export interface SharedSlotDataset {
  readonly id: SharedSlotDatasetId;
  readonly name: string;
  readonly language: Lang;
  /** The split scored: `test`, or `dev` where the test labels are not public (CLUENER2020). */
  readonly evalSplit: 'test' | 'dev';
  readonly license: string;
}

/** CAIS (Chinese, 24 slot types), SNIPS (English, 39) and CLUENER2020 (Chinese NER, 10 types; scored on dev). */
export const SHARED_SLOT_DATASETS: readonly SharedSlotDataset[] = [
  { id: 'cais', name: 'CAIS', language: 'zh', evalSplit: 'test', license: 'none stated (research use)' },
  { id: 'snips', name: 'SNIPS', language: 'en', evalSplit: 'test', license: 'CC0 1.0' },
  { id: 'cluener2020', name: 'CLUENER2020', language: 'zh', evalSplit: 'dev', license: 'none stated (research use)' },
];

/** A loaded slot dataset (`eval` is the split scored), or why it was skipped. */
export type SharedSlotDatasetResult =
  | ({ readonly status: 'ok'; readonly dir: string; readonly train: readonly EntityRow[]; readonly eval: readonly EntityRow[] } & SharedSlotDataset)
  | ({ readonly status: 'skipped'; readonly reason: string } & SharedSlotDataset);

/**
 * Reads a shared slot dataset in place (never copying it): its `train` split and the split it is scored on
 * (`test`; `dev` for CLUENER2020). Resolves to `{ status: 'skipped' }` when `../shared` or the dataset is absent.
 *
 * @example
 * ```ts
 * const cais = await loadSharedSlotDataset('cais');
 * if (cais.status === 'ok') console.log(cais.train.length, cais.eval.length); // 7995 1012
 * ```
 */
export async function loadSharedSlotDataset(id: SharedSlotDatasetId, options?: LoadSharedDatasetOptions): Promise<SharedSlotDatasetResult> {
  const info = SHARED_SLOT_DATASETS.find((d) => d.id === id);
  if (info === undefined) {
    throw new KefuError('INVALID_OPTION', `Unknown shared slot dataset ${describe(id)}; valid ids: ${SHARED_SLOT_DATASETS.map((d) => d.id).join(', ')}.`, {
      got: describe(id),
      valid: SHARED_SLOT_DATASETS.map((d) => d.id),
    });
  }
  const datasetsDir = sharedDatasetsDir(options);
  if (!(await isDirectory(datasetsDir))) return { ...info, status: 'skipped', reason: `../shared not found (looked for ${datasetsDir})` };
  const dir = join(datasetsDir, id);
  if (!(await isDirectory(dir))) return { ...info, status: 'skipped', reason: `dataset folder not found: ${dir}` };
  const [train, evalRows] = await Promise.all([readSlotJsonl(join(dir, 'train.jsonl')), readSlotJsonl(join(dir, `${info.evalSplit}.jsonl`))]);
  return { ...info, status: 'ok', dir, train, eval: evalRows };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
