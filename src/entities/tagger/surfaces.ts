import type { Atom } from './atoms.js';

/** Known surfaces of one entity (dictionary synonyms, lookup values, or gazetteer entries learned from training spans). */
export interface SurfaceList {
  readonly entity: string;
  readonly surfaces: readonly string[];
  /**
   * Gazetteer lists only: how reliably these surfaces are the entity where they occur in the training text, from 0
   * (rarely annotated where they occur) to 3 (nearly always). Absent for pack dictionaries and in older models.
   */
  readonly level?: number;
}

/** An entity a surface belongs to, with the reliability level of the list it came from (−1: none). */
export interface SurfaceEntity {
  readonly entity: string;
  readonly level: number;
}

/** Normalised surfaces → entity names, for matching at unit boundaries. */
export interface SurfaceIndex {
  readonly map: ReadonlyMap<string, readonly SurfaceEntity[]>;
  /** The longest surface, in units; matching never looks further. */
  readonly maxUnits: number;
}

/** A surface found in a message: units `[from, to)` and the entity it belongs to. */
export interface SurfaceMatch {
  readonly from: number;
  readonly to: number;
  readonly entity: string;
  readonly level: number;
}

/** Longest surface the index keeps, in units; longer ones (whole sentences pasted as values) are left out. */
export const MAX_SURFACE_UNITS = 12;

/**
 * Indexes surfaces after normalising them with `normalize` (the tagger's normaliser, so `順豐` matches `顺丰`).
 * `units(text)` counts the tagging units of a normalised surface.
 */
export function buildSurfaceIndex(
  lists: readonly SurfaceList[],
  normalize: (s: string) => string,
  units: (normalized: string) => number,
): SurfaceIndex {
  const map = new Map<string, SurfaceEntity[]>();
  let maxUnits = 0;
  for (const { entity, surfaces, level } of lists) {
    const item = { entity, level: level ?? -1 };
    for (const s of surfaces) {
      const key = normalize(s);
      if (key === '') continue;
      const n = units(key);
      if (n === 0 || n > MAX_SURFACE_UNITS) continue;
      const names = map.get(key);
      if (names === undefined) map.set(key, [item]);
      else if (!names.some((e) => e.entity === entity)) names.push(item);
      if (n > maxUnits) maxUnits = n;
    }
  }
  return { map, maxUnits };
}

/** Every indexed surface that starts and ends on unit boundaries of `text` (overlapping matches included). */
export function matchSurfaces(index: SurfaceIndex, text: string, atoms: readonly Atom[]): SurfaceMatch[] {
  const out: SurfaceMatch[] = [];
  if (index.map.size === 0) return out;
  for (let i = 0; i < atoms.length; i++) {
    const start = (atoms[i] as Atom).start;
    const last = Math.min(atoms.length, i + index.maxUnits);
    for (let j = i; j < last; j++) {
      const names = index.map.get(text.slice(start, (atoms[j] as Atom).end));
      if (names === undefined) continue;
      for (const e of names) out.push({ from: i, to: j + 1, entity: e.entity, level: e.level });
    }
  }
  return out;
}
