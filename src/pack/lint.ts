import { assertOptions, checkOption } from '../internal/assert.js';
import { createNormalizer } from '../text/normalize.js';
import type { Pack, PackIssue, PackIssueCode, SourceLocation } from './types.js';

/** Options of {@link lintPack}. */
export interface LintOptions {
  /** Intents with fewer training examples get a warning. Default 10. */
  readonly minExamples?: number;
  /** Character-bigram Jaccard similarity at or above which two examples of different intents are near-duplicates. Default 0.8. */
  readonly nearDuplicate?: number;
}

/** The defaults merged into every {@link LintOptions}. */
export const DEFAULT_LINT_OPTIONS: Required<LintOptions> = { minExamples: 10, nearDuplicate: 0.8 };

interface Owned {
  readonly owner: string;
  readonly text: string;
  readonly norm: string;
  readonly loc?: SourceLocation;
}

/**
 * Quality warnings for a valid pack: one example under two intents, intents with too few examples, near-duplicate
 * examples across intents, held-out tests that nearly copy a training example, dictionary values never used.
 *
 * @example
 * ```ts
 * for (const w of lintPack(pack)) console.log(`${w.file}:${w.line} ${w.message}`);
 * ```
 */
export function lintPack(pack: Pack, options?: LintOptions): PackIssue[] {
  assertOptions(options, 'lintPack');
  const o = { ...DEFAULT_LINT_OPTIONS, ...(options ?? {}) };
  checkOption(Number.isInteger(o.minExamples) && o.minExamples >= 0, 'lintPack', 'minExamples', o.minExamples, 'a non-negative integer');
  checkOption(typeof o.nearDuplicate === 'number' && o.nearDuplicate > 0 && o.nearDuplicate <= 1, 'lintPack', 'nearDuplicate', o.nearDuplicate, 'a number in (0, 1]');
  const warnings: PackIssue[] = [];
  const warn = (code: PackIssueCode, message: string, loc?: SourceLocation): void => {
    warnings.push({ severity: 'warning', code, message, file: loc?.file ?? pack.name, line: loc?.line ?? 1, column: loc?.column ?? 1, path: [] });
  };
  const normalizer = createNormalizer();
  const norm = (s: string): string => normalizer.normalize(s).text;

  const examples: Owned[] = [];
  for (const intent of pack.intents) {
    if (intent.examples.length < o.minExamples) {
      warn('few_examples', `intent "${intent.name}" has ${intent.examples.length} examples; ${o.minExamples}+ varied examples make it reliable`, intent.loc);
    }
    for (const ex of intent.examples) examples.push({ owner: intent.name, text: ex.text, norm: norm(ex.text), ...(ex.loc ? { loc: ex.loc } : {}) });
  }
  for (const ex of pack.outOfScope) examples.push({ owner: '(outOfScope)', text: ex.text, norm: norm(ex.text), ...(ex.loc ? { loc: ex.loc } : {}) });

  // Exact duplicates across owners.
  const firstByNorm = new Map<string, Owned>();
  const exact = new Set<string>();
  for (const ex of examples) {
    const prev = firstByNorm.get(ex.norm);
    if (!prev) {
      firstByNorm.set(ex.norm, ex);
    } else if (prev.owner !== ex.owner) {
      exact.add(ex.norm);
      warn('duplicate_example', `"${ex.text}" is an example of both "${prev.owner}" (${at(prev.loc)}) and "${ex.owner}"`, ex.loc);
    }
  }

  // Near duplicates across owners, through an inverted index of character bigrams.
  const grams = examples.map((ex) => bigrams(ex.norm));
  const index = new Map<string, number[]>();
  grams.forEach((g, i) => g.forEach((b) => (index.get(b) ?? index.set(b, []).get(b))?.push(i)));
  for (let i = 0; i < examples.length; i++) {
    const a = examples[i] as Owned;
    const ga = grams[i] as Set<string>;
    if (ga.size < 3 || exact.has(a.norm)) continue;
    const shared = new Map<number, number>();
    for (const b of ga) for (const j of index.get(b) ?? []) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, inter] of shared) {
      const b = examples[j] as Owned;
      if (b.owner === a.owner || b.norm === a.norm) continue;
      const gb = grams[j] as Set<string>;
      const jaccard = inter / (ga.size + gb.size - inter);
      if (jaccard >= o.nearDuplicate) {
        warn('near_duplicate', `"${b.text}" (${b.owner}) is nearly the same as "${a.text}" (${a.owner}, ${at(a.loc)}); the classifier cannot tell them apart`, b.loc);
      }
    }
  }

  // Held-out tests that are near-copies of a training example make accuracy figures meaningless.
  for (const t of pack.tests) {
    const gt = bigrams(norm(t.text));
    if (gt.size < 3) continue;
    const shared = new Map<number, number>();
    for (const b of gt) for (const j of index.get(b) ?? []) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, inter] of shared) {
      const ex = examples[j] as Owned;
      const gb = grams[j] as Set<string>;
      if (inter / (gt.size + gb.size - inter) >= o.nearDuplicate) {
        warn('near_test_leak', `held-out test "${t.text}" is nearly the same as training example "${ex.text}" (${at(ex.loc)}); rewrite one of them`, t.loc);
        break;
      }
    }
  }

  // Entity values never used.
  const corpus = [
    ...pack.intents.flatMap((i) => i.examples),
    ...pack.tests,
    ...pack.outOfScope,
  ];
  const usedCanonical = new Set<string>();
  for (const ex of corpus) for (const s of ex.spans) if (s.value !== undefined) usedCanonical.add(`${s.entity}\u0000${s.value}`);
  const allText = corpus.map((e) => norm(e.text)).join('\n');
  for (const e of pack.entities) {
    if (e.type !== 'dictionary' && e.type !== 'lookup') continue;
    const values = e.type === 'dictionary' ? e.values : e.values.map((v) => ({ value: v, synonyms: [] as readonly string[] }));
    for (const v of values) {
      if (usedCanonical.has(`${e.name}\u0000${v.value}`)) continue;
      if ([v.value, ...v.synonyms].some((s) => allText.includes(norm(s)))) continue;
      warn('unused_entity_value', `entity "${e.name}": value "${v.value}" appears in no example or test`, e.loc);
    }
  }
  return warnings;
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  const chars = [...s.replace(/\s+/g, '')];
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return out;
}

function at(loc?: SourceLocation): string {
  return loc ? `${loc.file}:${loc.line}` : '?';
}
