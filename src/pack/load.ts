import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { KefuError } from '../errors.js';
import { assertText } from '../internal/assert.js';
import { checkRegexSafety } from '../internal/regex-safety.js';
import { createNormalizer } from '../text/normalize.js';
import { parseDictionary, type DictionaryEntry } from '../text/dictionary.js';
import type { Lang } from '../types.js';
import { parseAnnotated } from './annotate.js';
import { ALLOWED_KEYS, ID, SECTIONS, type LIST_SECTIONS, type SectionName } from './schema.js';
import {
  SYSTEM_ENTITIES,
  type Conversation,
  type ConversationExpect,
  type ConversationTurn,
  type SlotValidation,
  type DialoguePolicyDef,
  type FlowDef,
  type FlowOutcome,
  type SlotDef,
  type EntityDef,
  type Example,
  type FaqEntry,
  type Intent,
  type Pack,
  type PackIssue,
  type PackIssueCode,
  type PackTest,
  type ResponseTemplate,
  type SourceLocation,
} from './types.js';

/** One pack file's path (used in issue reports) and its text. */
export interface PackSource {
  readonly path: string;
  readonly content: string;
}

/** Result of {@link validatePackSources}: the pack, or every problem found. */
export type PackValidation =
  | { readonly ok: true; readonly pack: Pack; readonly issues: readonly PackIssue[] }
  | { readonly ok: false; readonly issues: readonly PackIssue[] };

type Path = (string | number)[];

interface FileCtx {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** A validated item with where it came from. */
interface Located<T> {
  readonly value: T;
  readonly ctx: FileCtx;
  readonly path: Path;
}

type Section<K extends SectionName> = z.output<(typeof SECTIONS)[K]>;

const PACK_FILE = /\.(ya?ml|json)$/i;
/** Pack files larger than this are refused: a pack is hand-written data, not a dump. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

class Collector {
  readonly issues: PackIssue[] = [];

  add(ctx: FileCtx, path: Path, code: PackIssueCode, message: string, opts: { key?: boolean; offset?: number } = {}): void {
    const { line, column } = locate(ctx, path, opts);
    this.issues.push({ severity: 'error', code, message, file: ctx.file, line, column, path: [...path] });
  }

  addAt(loc: SourceLocation, path: Path, code: PackIssueCode, message: string): void {
    this.issues.push({ severity: 'error', code, message, file: loc.file, line: loc.line, column: loc.column, path: [...path] });
  }
}

/** Finds the line/column of the node at `path` (or of its key), falling back to the nearest existing parent. */
function locate(ctx: FileCtx, path: Path, opts: { key?: boolean; offset?: number }): { line: number; column: number } {
  let p = [...path];
  let node: unknown = p.length ? ctx.doc.getIn(p, true) : ctx.doc.contents;
  while (node === undefined && p.length > 0) {
    p = p.slice(0, -1);
    node = p.length ? ctx.doc.getIn(p, true) : ctx.doc.contents;
  }
  let offset = 0;
  if (opts.key && p.length === path.length && p.length > 0) {
    const parent: unknown = p.length > 1 ? ctx.doc.getIn(p.slice(0, -1), true) : ctx.doc.contents;
    if (isMap(parent)) {
      const last = p[p.length - 1];
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === last);
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
  } else if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as YamlNode).range;
    if (range) offset = range[0];
    if (opts.offset !== undefined && isScalar(node)) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      offset += opts.offset + (quoted ? 1 : 0);
    }
  }
  const pos = ctx.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function locOf(ctx: FileCtx, path: Path): SourceLocation {
  const { line, column } = locate(ctx, path, {});
  return { file: ctx.file, line, column };
}

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function allowedKeysFor(section: string, item: unknown, rest: Path): readonly string[] | undefined {
  if (section === 'entities') {
    if (rest.length === 2 && rest[0] === 'values') return ALLOWED_KEYS['entities.values'];
    const type = (item as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? ALLOWED_KEYS[`entities.${type}`] : undefined;
  }
  if (section === 'responses' && rest.length === 0) return ALLOWED_KEYS.responses;
  if (section === 'flows' && rest.length === 2 && rest[0] === 'slots') return ALLOWED_KEYS['flows.slots'];
  return rest.length === 0 ? ALLOWED_KEYS[section] : undefined;
}

/** Validates one value with a zod schema, reporting every zod issue at its YAML location. */
function check<S extends z.ZodType>(
  out: Collector,
  ctx: FileCtx,
  base: Path,
  schema: S,
  value: unknown,
  section: string,
): z.output<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const full = [...base, ...rel];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysFor(section, value, rel);
      for (const key of issue.keys) {
        out.add(
          ctx,
          [...full, key],
          'unknown_key',
          `${pathText(full)}: unknown key "${key}"${allowed ? `; allowed keys: ${allowed.join(', ')}` : ''}`,
          { key: true },
        );
      }
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      const options = (issue as { options?: unknown[] }).options ?? [];
      out.add(ctx, full, 'schema', `${pathText(full)}: must be one of ${options.map(String).join(', ')}`);
    } else if (issue.code === 'invalid_type' && valueAt(value, rel) === undefined) {
      out.add(ctx, full, 'schema', `${pathText(full.slice(0, -1))}: missing required key "${String(full[full.length - 1])}"`);
    } else {
      out.add(ctx, full, 'schema', `${pathText(full)}: ${issue.message}`);
    }
  }
  return undefined;
}

/**
 * Validates pack files given as text, reporting every problem at once with file, line and column. Nothing in the
 * pack is executed: regular expressions are only compiled and checked for catastrophic backtracking.
 *
 * @example
 * ```ts
 * const r = validatePackSources([{ path: 'pack.yaml', content: 'version: 1\nname: demo\nlanguage: zh\n' }]);
 * if (!r.ok) for (const i of r.issues) console.error(`${i.file}:${i.line}:${i.column} ${i.message}`);
 * ```
 */
export function validatePackSources(sources: readonly PackSource[]): PackValidation {
  if (!Array.isArray(sources)) {
    throw new KefuError('INVALID_INPUT', 'validatePackSources(sources) takes an array of { path, content }.');
  }
  const out = new Collector();
  const manifests: Located<Record<string, unknown>>[] = [];
  const lists: { [K in (typeof LIST_SECTIONS)[number]]: Located<Section<K>>[] } = {
    dictionary: [],
    synonyms: [],
    intents: [],
    outOfScope: [],
    entities: [],
    faq: [],
    tests: [],
    flows: [],
    conversations: [],
  };
  const dialogues: Located<Section<'dialogue'>>[] = [];
  const responses: Located<{ key: string; value: Section<'responses'> }>[] = [];

  for (const src of sources) {
    assertText(src?.content, `content of ${String(src?.path)}`);
    const lines = new LineCounter();
    const doc = parseDocument(src.content, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const ctx: FileCtx = { file: src.path, doc, lines };
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        out.issues.push({
          severity: 'error',
          code: 'yaml_syntax',
          message: `YAML syntax: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
          file: src.path,
          line: pos.line,
          column: pos.col,
          path: [],
        });
      }
      continue;
    }
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) {
      out.add(ctx, [], 'schema', `a pack file must be a mapping of sections (${Object.keys(SECTIONS).join(', ')})`);
      continue;
    }
    let data: Record<string, unknown>;
    try {
      data = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
    } catch (cause) {
      out.add(ctx, [], 'yaml_syntax', `YAML could not be read: ${(cause as Error).message}`);
      continue;
    }
    const manifest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      if (!(key in SECTIONS)) {
        out.add(ctx, [key], 'unknown_key', `unknown top-level key "${key}"; allowed keys: ${ALLOWED_KEYS.file?.join(', ')}`, {
          key: true,
        });
        continue;
      }
      const name = key as SectionName;
      if (name === 'version' || name === 'name' || name === 'language' || name === 'description') {
        const ok = check(out, ctx, [key], SECTIONS[name], value, key);
        if (ok !== undefined) manifest[key] = ok;
        continue;
      }
      if (name === 'dialogue') {
        const ok = check(out, ctx, [key], SECTIONS.dialogue, value, key);
        if (ok !== undefined) dialogues.push({ value: ok, ctx, path: [key] });
        continue;
      }
      if (name === 'responses') {
        if (!isPlainObject(value)) {
          out.add(ctx, [key], 'schema', 'responses must be a mapping of response id → text, list of texts or { text, channels }');
          continue;
        }
        for (const [rid, rv] of Object.entries(value)) {
          if (!/^[a-z][a-z0-9_.]*$/.test(rid)) {
            out.add(ctx, [key, rid], 'schema', `response id "${rid}" must be lower-case letters, digits, "_" or "."`, { key: true });
            continue;
          }
          const ok = check(out, ctx, [key, rid], SECTIONS.responses, rv, 'responses');
          if (ok !== undefined) responses.push({ value: { key: rid, value: ok }, ctx, path: [key, rid] });
        }
        continue;
      }
      if (!Array.isArray(value)) {
        out.add(ctx, [key], 'schema', `${key} must be a list`);
        continue;
      }
      value.forEach((item, i) => {
        const ok = check(out, ctx, [key, i], SECTIONS[name], item, key);
        if (ok !== undefined) (lists[name] as Located<unknown>[]).push({ value: ok, ctx, path: [key, i] });
      });
    }
    if (Object.keys(manifest).length > 0 || 'version' in data) manifests.push({ value: manifest, ctx, path: [] });
  }

  const pack = assemble(out, sources, manifests, lists, responses, dialogues);
  if (out.issues.length > 0 || pack === undefined) return { ok: false, issues: sortIssues(out.issues) };
  return { ok: true, pack, issues: [] };
}

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sortIssues(issues: PackIssue[]): PackIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function assemble(
  out: Collector,
  sources: readonly PackSource[],
  manifests: Located<Record<string, unknown>>[],
  lists: { [K in (typeof LIST_SECTIONS)[number]]: Located<Section<K>>[] },
  responses: Located<{ key: string; value: Section<'responses'> }>[],
  dialogues: Located<Section<'dialogue'>>[],
): Pack | undefined {
  // Manifest: exactly one file declares version/name/language.
  const withVersion = manifests.filter((m) => 'version' in m.value || Object.keys(m.value).length > 0);
  const first = withVersion[0];
  if (!first) {
    const file = sources[0]?.path ?? 'pack.yaml';
    out.issues.push({
      severity: 'error',
      code: 'manifest',
      message: 'no pack file declares the manifest: add a pack.yaml with "version: 1", "name" and "language"',
      file,
      line: 1,
      column: 1,
      path: [],
    });
  } else {
    for (const extra of withVersion.slice(1)) {
      out.add(extra.ctx, [Object.keys(extra.value)[0] ?? 'version'], 'manifest', `the manifest is already declared in ${first.ctx.file}; keep version, name, language and description in one file`, { key: true });
    }
    for (const key of ['version', 'name', 'language'] as const) {
      if (!(key in first.value) && !hasKey(first.ctx, key)) {
        out.add(first.ctx, [], 'manifest', `the manifest is missing "${key}"${key === 'language' ? ' (zh or en)' : key === 'version' ? ' (1)' : ''}`);
      }
    }
  }
  const manifest = first?.value ?? {};

  const normalizer = createNormalizer();
  const norm = (s: string): string => normalizer.normalize(s).text;

  // Entities.
  const entities: EntityDef[] = [];
  const entityByName = new Map<string, Located<Section<'entities'>>>();
  for (const e of lists.entities) {
    const prev = entityByName.get(e.value.name);
    if (prev) {
      out.add(e.ctx, [...e.path, 'name'], 'duplicate_id', `entity "${e.value.name}" is already defined at ${where(prev)}`);
      continue;
    }
    entityByName.set(e.value.name, e);
    const loc = locOf(e.ctx, e.path);
    const desc = e.value.description === undefined ? {} : { description: e.value.description };
    switch (e.value.type) {
      case 'dictionary': {
        const values = e.value.values.map((v) => (typeof v === 'string' ? { value: v, synonyms: [] } : { value: v.value, synonyms: v.synonyms ?? [] }));
        const seen = new Map<string, number>();
        values.forEach((v, i) => {
          if (seen.has(v.value)) out.add(e.ctx, [...e.path, 'values', i], 'duplicate_id', `entity "${e.value.name}": value "${v.value}" is listed twice`);
          seen.set(v.value, i);
        });
        entities.push({ type: 'dictionary', name: e.value.name, ...desc, ...(e.value.fuzzy === undefined ? {} : { fuzzy: e.value.fuzzy }), values, loc });
        break;
      }
      case 'lookup':
        entities.push({ type: 'lookup', name: e.value.name, ...desc, values: e.value.values, loc });
        break;
      case 'regex': {
        const flags = e.value.flags ?? '';
        checkPattern(out, e.ctx, [...e.path, 'pattern'], e.value.pattern, flags, `entity "${e.value.name}"`);
        entities.push({ type: 'regex', name: e.value.name, ...desc, pattern: e.value.pattern, flags, loc });
        break;
      }
      case 'learned':
        entities.push({ type: 'learned', name: e.value.name, ...desc, loc });
        break;
    }
  }
  const system = new Set<string>(SYSTEM_ENTITIES);
  const canonicalValues = (name: string): Set<string> | undefined => {
    const def = entities.find((x) => x.name === name);
    if (def?.type === 'dictionary') return new Set(def.values.map((v) => v.value));
    if (def?.type === 'lookup') return new Set(def.values);
    return undefined;
  };

  /** Parses an annotated string at `path`, checking its entity references. */
  const annotated = (ctx: FileCtx, path: Path, source: string): Example | undefined => {
    const parsed = parseAnnotated(source);
    for (const p of parsed.problems) out.add(ctx, path, 'annotation', `${pathText(path)}: ${p.message}`, { offset: p.offset });
    for (const s of parsed.spans) {
      if (!entityByName.has(s.entity) && !system.has(s.entity)) {
        out.add(ctx, path, 'undefined_entity', `${pathText(path)}: entity "${s.entity}" is not defined; declare it under entities: or use a system entity (${SYSTEM_ENTITIES.join(', ')})`);
        continue;
      }
      const allowed = canonicalValues(s.entity);
      if (allowed && s.value !== undefined && !allowed.has(s.value)) {
        out.add(ctx, path, 'undefined_entity_value', `${pathText(path)}: "${s.value}" is not a value of entity "${s.entity}"; known values: ${[...allowed].slice(0, 20).join(', ')}`);
      }
    }
    if (parsed.text.trim() === '') {
      out.add(ctx, path, 'schema', `${pathText(path)}: the example is empty once annotations are removed`);
      return undefined;
    }
    if (parsed.problems.length > 0) return undefined;
    return { text: parsed.text, spans: parsed.spans, loc: locOf(ctx, path) };
  };

  // Intents.
  const intents: Intent[] = [];
  const intentByName = new Map<string, Located<Section<'intents'>>>();
  const tests: PackTest[] = [];
  const trainingTexts = new Map<string, SourceLocation>();
  for (const it of lists.intents) {
    const prev = intentByName.get(it.value.name);
    if (prev) {
      out.add(it.ctx, [...it.path, 'name'], 'duplicate_id', `intent "${it.value.name}" is already defined at ${where(prev)}`);
      continue;
    }
    intentByName.set(it.value.name, it);
    const examples: Example[] = [];
    it.value.examples.forEach((src, i) => {
      const ex = annotated(it.ctx, [...it.path, 'examples', i], src);
      if (!ex) return;
      examples.push(ex);
      if (ex.loc && !trainingTexts.has(norm(ex.text))) trainingTexts.set(norm(ex.text), ex.loc);
    });
    (it.value.tests ?? []).forEach((src, i) => {
      const ex = annotated(it.ctx, [...it.path, 'tests', i], src);
      if (ex) tests.push({ ...ex, intent: it.value.name });
    });
    intents.push({
      name: it.value.name,
      ...(it.value.description === undefined ? {} : { description: it.value.description }),
      examples,
      loc: locOf(it.ctx, it.path),
    });
  }
  const outOfScope: Example[] = [];
  for (const o of lists.outOfScope) {
    const ex = annotated(o.ctx, o.path, o.value);
    if (!ex) continue;
    outOfScope.push(ex);
    if (ex.loc && !trainingTexts.has(norm(ex.text))) trainingTexts.set(norm(ex.text), ex.loc);
  }

  // FAQ.
  const faq: FaqEntry[] = [];
  const faqById = new Map<string, Located<Section<'faq'>>>();
  const faqTexts = new Map<string, SourceLocation>();
  for (const f of lists.faq) {
    const v = f.value;
    const prev = faqById.get(v.id);
    if (prev) {
      out.add(f.ctx, [...f.path, 'id'], 'duplicate_id', `FAQ "${v.id}" is already defined at ${where(prev)}`);
      continue;
    }
    faqById.set(v.id, f);
    const match = v.match ?? 'smart';
    const patterns = v.patterns ?? [];
    if ((match === 'regex' || match === 'contains') && patterns.length === 0) {
      out.add(f.ctx, [...f.path, 'match'], 'schema', `FAQ "${v.id}": match "${match}" needs at least one entry under patterns:`);
    }
    if (match === 'regex') patterns.forEach((p, i) => checkPattern(out, f.ctx, [...f.path, 'patterns', i], p, 'i', `FAQ "${v.id}"`));
    if (v.validFrom && v.validTo && v.validFrom > v.validTo) {
      out.add(f.ctx, [...f.path, 'validTo'], 'schema', `FAQ "${v.id}": validTo ${v.validTo} is before validFrom ${v.validFrom}`);
    }
    const loc = locOf(f.ctx, f.path);
    for (const [i, q] of [v.question, ...(v.similar ?? [])].entries()) {
      const key = norm(q);
      if (!faqTexts.has(key)) faqTexts.set(key, locOf(f.ctx, i === 0 ? [...f.path, 'question'] : [...f.path, 'similar', i - 1]));
    }
    (v.tests ?? []).forEach((q, i) => tests.push({ text: q, spans: [], faq: v.id, loc: locOf(f.ctx, [...f.path, 'tests', i]) }));
    faq.push({
      id: v.id,
      question: v.question,
      similar: v.similar ?? [],
      answer: v.answer,
      channels: v.channels ?? {},
      category: typeof v.category === 'string' ? v.category.split('/').map((s) => s.trim()).filter(Boolean) : (v.category ?? []),
      tags: v.tags ?? [],
      enabled: v.enabled ?? true,
      ...(v.validFrom === undefined ? {} : { validFrom: v.validFrom }),
      ...(v.validTo === undefined ? {} : { validTo: v.validTo }),
      match,
      patterns,
      loc,
    });
  }

  // Top-level tests.
  for (const t of lists.tests) {
    const v = t.value;
    if (!('intent' in v) && !('faq' in v)) {
      out.add(t.ctx, t.path, 'schema', `${pathText(t.path)}: a test needs "intent" (a name, or null for out-of-scope) or "faq" (an id, or null)`);
      continue;
    }
    if (typeof v.intent === 'string' && !intentByName.has(v.intent)) {
      out.add(t.ctx, [...t.path, 'intent'], 'undefined_intent', `${pathText(t.path)}: intent "${v.intent}" is not defined; known intents: ${[...intentByName.keys()].join(', ')}`);
    }
    if (typeof v.faq === 'string' && !faqById.has(v.faq)) {
      out.add(t.ctx, [...t.path, 'faq'], 'undefined_faq', `${pathText(t.path)}: FAQ "${v.faq}" is not defined`);
    }
    const ex = annotated(t.ctx, [...t.path, 'text'], v.text);
    if (!ex) continue;
    tests.push({
      text: ex.text,
      spans: ex.spans,
      ...('intent' in v ? { intent: v.intent ?? null } : {}),
      ...('faq' in v ? { faq: v.faq ?? null } : {}),
      loc: ex.loc ?? locOf(t.ctx, t.path),
    });
  }

  // Held-out tests must not also be training data.
  for (const t of tests) {
    const key = norm(t.text);
    const leak = ('intent' in t ? trainingTexts.get(key) : undefined) ?? ('faq' in t ? faqTexts.get(key) : undefined);
    if (leak && t.loc) {
      out.addAt(t.loc, [], 'test_leak', `test "${t.text}" is also a training example at ${leak.file}:${leak.line}; held-out tests must be sentences the model never sees`);
    }
  }

  // Responses.
  const responseMap: Record<string, ResponseTemplate> = {};
  const responseAt = new Map<string, Located<unknown>>();
  for (const r of responses) {
    const prev = responseAt.get(r.value.key);
    if (prev) {
      out.add(r.ctx, r.path, 'duplicate_id', `response "${r.value.key}" is already defined at ${where(prev)}`, { key: true });
      continue;
    }
    responseAt.set(r.value.key, r);
    const v = r.value.value;
    const list = (x: string | readonly string[]): readonly string[] => (typeof x === 'string' ? [x] : x);
    responseMap[r.value.key] =
      typeof v === 'string' || Array.isArray(v)
        ? { variants: list(v as string | string[]), channels: {} }
        : {
            variants: list((v as { text: string | string[] }).text),
            channels: Object.fromEntries(Object.entries((v as { channels?: Record<string, string | string[]> }).channels ?? {}).map(([k, x]) => [k, list(x)])),
          };
  }

  const flows = assembleFlows(out, lists.flows, { intents: intentByName, entities: new Set([...entityByName.keys(), ...SYSTEM_ENTITIES]), responses: responseAt });
  const dialogue = assembleDialogue(out, dialogues, intentByName);
  const conversations = assembleConversations(out, lists.conversations, {
    intents: intentByName,
    faq: faqById,
    flows: new Set(flows.map((f) => f.name)),
  });

  if (out.issues.length > 0 || !first) return undefined;
  const dictionary: DictionaryEntry[] = parseDictionary(
    lists.dictionary.map((d) => (typeof d.value === 'string' ? d.value : { word: d.value.word, ...(d.value.freq === undefined ? {} : { freq: d.value.freq }), ...(d.value.tag === undefined ? {} : { tag: d.value.tag }) })),
  );
  return {
    version: 1,
    name: manifest.name as string,
    language: manifest.language as Lang,
    ...(typeof manifest.description === 'string' ? { description: manifest.description } : {}),
    dictionary,
    synonyms: lists.synonyms.map((s) => s.value),
    intents,
    outOfScope,
    entities,
    faq,
    responses: responseMap,
    tests,
    flows,
    dialogue,
    conversations,
  };
}

/** Drops keys whose value is undefined (zod's optional output has them; the pack's types are exact-optional). */
function compact<T>(o: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const list = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : Array.isArray(x) ? (x as readonly T[]) : [x as T]);

interface FlowRefs {
  readonly intents: ReadonlyMap<string, unknown>;
  readonly entities: ReadonlySet<string>;
  readonly responses: ReadonlyMap<string, unknown>;
}

/** Validates flows semantically: references to intents, entities, responses, slots and flows; prompts; regexes. */
function assembleFlows(out: Collector, items: Located<Section<'flows'>>[], refs: FlowRefs): FlowDef[] {
  const flows: FlowDef[] = [];
  const byName = new Map<string, Located<Section<'flows'>>>();
  const startedBy = new Map<string, string>();
  const checkReply = (ctx: FileCtx, path: Path, value: string | undefined): void => {
    if (value !== undefined && ID.test(value) && !refs.responses.has(value)) {
      out.add(ctx, path, 'undefined_response', `${pathText(path)}: "${value}" looks like a response id but no response "${value}" is defined; define it under responses: or write the reply text itself`);
    }
  };
  for (const f of items) {
    const v = f.value;
    const prev = byName.get(v.name);
    if (prev) {
      out.add(f.ctx, [...f.path, 'name'], 'duplicate_id', `flow "${v.name}" is already defined at ${where(prev)}`);
      continue;
    }
    byName.set(v.name, f);
    const intents = list(v.intent);
    intents.forEach((intent, i) => {
      const at = typeof v.intent === 'string' ? [...f.path, 'intent'] : [...f.path, 'intent', i];
      if (!refs.intents.has(intent)) {
        out.add(f.ctx, at, 'undefined_intent', `flow "${v.name}": intent "${intent}" is not defined; known intents: ${[...refs.intents.keys()].join(', ')}`);
      } else if (startedBy.has(intent)) {
        out.add(f.ctx, at, 'flow_invalid', `flow "${v.name}": intent "${intent}" already starts flow "${startedBy.get(intent)}"; an intent starts at most one flow`);
      } else startedBy.set(intent, v.name);
    });
    const slotNames = new Set<string>();
    const slots: SlotDef[] = [];
    (v.slots ?? []).forEach((s, i) => {
      const sp: Path = [...f.path, 'slots', i];
      if (slotNames.has(s.name)) out.add(f.ctx, [...sp, 'name'], 'duplicate_id', `flow "${v.name}": slot "${s.name}" is declared twice`);
      slotNames.add(s.name);
      if (!refs.entities.has(s.entity)) {
        out.add(f.ctx, [...sp, 'entity'], 'undefined_entity', `flow "${v.name}", slot "${s.name}": entity "${s.entity}" is not defined; declare it under entities: or use a system entity (${SYSTEM_ENTITIES.join(', ')})`);
      }
      const required = s.required ?? true;
      if (required && s.prompt === undefined) {
        out.add(f.ctx, sp, 'flow_invalid', `flow "${v.name}", slot "${s.name}": a required slot needs a prompt (the question that asks for it)`);
      }
      checkReply(f.ctx, [...sp, 'prompt'], s.prompt);
      list(s.reprompts).forEach((r, j) => checkReply(f.ctx, typeof s.reprompts === 'string' ? [...sp, 'reprompts'] : [...sp, 'reprompts', j], r));
      checkReply(f.ctx, [...sp, 'invalid'], s.invalid);
      const val = s.validate;
      if (val?.pattern !== undefined) checkPattern(out, f.ctx, [...sp, 'validate', 'pattern'], val.pattern, val.flags ?? '', `flow "${v.name}", slot "${s.name}"`);
      if (val?.minLength !== undefined && val.maxLength !== undefined && val.minLength > val.maxLength) {
        out.add(f.ctx, [...sp, 'validate'], 'flow_invalid', `flow "${v.name}", slot "${s.name}": minLength ${val.minLength} is above maxLength ${val.maxLength}`);
      }
      slots.push({
        name: s.name,
        entity: s.entity,
        ...(s.role === undefined ? {} : { role: s.role }),
        required,
        requiredUnless: list(s.requiredUnless),
        ...(s.prompt === undefined ? {} : { prompt: s.prompt }),
        reprompts: list(s.reprompts),
        fromText: s.fromText ?? false,
        ...(val === undefined ? {} : { validate: compact<SlotValidation>(val) }),
        ...(s.invalid === undefined ? {} : { invalid: s.invalid }),
        maxAttempts: s.maxAttempts ?? 3,
        onMaxAttempts: s.onMaxAttempts ?? 'handoff',
        carry: s.carry ?? true,
        loc: locOf(f.ctx, sp),
      });
    });
    (v.slots ?? []).forEach((s, i) => {
      list(s.requiredUnless).forEach((other, j) => {
        if (!slotNames.has(other)) {
          const at = typeof s.requiredUnless === 'string' ? [...f.path, 'slots', i, 'requiredUnless'] : [...f.path, 'slots', i, 'requiredUnless', j];
          out.add(f.ctx, at, 'undefined_slot', `flow "${v.name}", slot "${s.name}": requiredUnless names "${other}", which is not a slot of this flow (${[...slotNames].join(', ')})`);
        }
      });
    });
    checkReply(f.ctx, [...f.path, 'confirm'], v.confirm);
    checkReply(f.ctx, [...f.path, 'reply'], v.reply);
    checkReply(f.ctx, [...f.path, 'cancelled'], v.cancelled);
    const outcomes: Record<string, FlowOutcome> = {};
    for (const [name, o] of Object.entries(v.outcomes ?? {})) {
      const op: Path = [...f.path, 'outcomes', name];
      const outcome: FlowOutcome = typeof o === 'string' ? { reply: o } : compact<FlowOutcome>(o);
      checkReply(f.ctx, typeof o === 'string' ? op : [...op, 'reply'], outcome.reply);
      if (outcome.retry !== undefined && !slotNames.has(outcome.retry)) {
        out.add(f.ctx, [...op, 'retry'], 'undefined_slot', `flow "${v.name}", outcome "${name}": retry names "${outcome.retry}", which is not a slot of this flow`);
      }
      outcomes[name] = outcome;
    }
    if (v.outcomes !== undefined && v.action === undefined) {
      out.add(f.ctx, [...f.path, 'outcomes'], 'flow_invalid', `flow "${v.name}": outcomes need an action whose result selects them; add action: or remove outcomes:`);
    }
    flows.push({
      name: v.name,
      intents,
      label: v.label ?? v.name,
      ...(v.description === undefined ? {} : { description: v.description }),
      slots,
      ...(v.confirm === undefined ? {} : { confirm: v.confirm }),
      ...(v.action === undefined ? {} : { action: v.action }),
      outcomes,
      ...(v.reply === undefined ? {} : { reply: v.reply }),
      ...(v.cancelled === undefined ? {} : { cancelled: v.cancelled }),
      ...(v.handoff === undefined ? {} : { handoff: v.handoff }),
      loc: locOf(f.ctx, f.path),
    });
  }
  for (const f of items) {
    for (const [name, o] of Object.entries(f.value.outcomes ?? {})) {
      if (typeof o !== 'string' && o.next !== undefined && !byName.has(o.next)) {
        out.add(f.ctx, [...f.path, 'outcomes', name, 'next'], 'undefined_flow', `flow "${f.value.name}", outcome "${name}": next flow "${o.next}" is not defined; known flows: ${[...byName.keys()].join(', ')}`);
      }
    }
  }
  return flows;
}

function assembleDialogue(out: Collector, items: Located<Section<'dialogue'>>[], intents: ReadonlyMap<string, unknown>): DialoguePolicyDef {
  const first = items[0];
  if (!first) return {};
  for (const extra of items.slice(1)) {
    out.add(extra.ctx, extra.path, 'duplicate_id', `dialogue: is already declared in ${where(first)}; keep the dialogue policy in one file`, { key: true });
  }
  const v = first.value;
  const checkIntents = (path: Path, names: readonly string[] | undefined): void =>
    (names ?? []).forEach((n, i) => {
      if (!intents.has(n)) out.add(first.ctx, [...path, i], 'undefined_intent', `${pathText([...path, i])}: intent "${n}" is not defined`);
    });
  for (const key of ['cancelIntents', 'affirmIntents', 'denyIntents', 'smalltalkIntents'] as const) checkIntents([...first.path, key], v[key]);
  checkIntents([...first.path, 'handoff', 'explicitIntents'], v.handoff?.explicitIntents);
  checkIntents([...first.path, 'handoff', 'complaintIntents'], v.handoff?.complaintIntents);
  for (const key of ['cancelPatterns', 'restartPatterns'] as const) {
    (v[key] ?? []).forEach((p, i) => checkPattern(out, first.ctx, [...first.path, key, i], p, 'i', `dialogue.${key}`));
  }
  const hours = v.handoff?.serviceHours;
  if (hours) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: hours.timeZone });
    } catch {
      out.add(first.ctx, [...first.path, 'handoff', 'serviceHours', 'timeZone'], 'schema', `dialogue.handoff.serviceHours.timeZone: "${hours.timeZone}" is not an IANA time zone such as Asia/Shanghai`);
    }
  }
  return JSON.parse(JSON.stringify(v)) as DialoguePolicyDef;
}

interface ConversationRefs {
  readonly intents: ReadonlyMap<string, unknown>;
  readonly faq: ReadonlyMap<string, unknown>;
  readonly flows: ReadonlySet<string>;
}

const strings = (x: string | readonly string[] | undefined): readonly string[] | undefined => (x === undefined ? undefined : list(x));

function assembleConversations(out: Collector, items: Located<Section<'conversations'>>[], refs: ConversationRefs): Conversation[] {
  const result: Conversation[] = [];
  const names = new Map<string, Located<unknown>>();
  for (const c of items) {
    const v = c.value;
    const prev = names.get(v.name);
    if (prev) out.add(c.ctx, [...c.path, 'name'], 'duplicate_id', `conversation "${v.name}" is already defined at ${where(prev)}`);
    names.set(v.name, c);
    const turns: ConversationTurn[] = v.turns.map((t, i) => {
      const tp: Path = [...c.path, 'turns', i];
      const checkIntent = (path: Path, name: string | null | undefined): void => {
        if (typeof name === 'string' && !refs.intents.has(name)) out.add(c.ctx, path, 'undefined_intent', `conversation "${v.name}", turn ${i + 1}: intent "${name}" is not defined`);
      };
      const checkFlow = (path: Path, name: string | null | undefined): void => {
        if (typeof name === 'string' && !refs.flows.has(name)) out.add(c.ctx, path, 'undefined_flow', `conversation "${v.name}", turn ${i + 1}: flow "${name}" is not defined; known flows: ${[...refs.flows].join(', ')}`);
      };
      const checkFaq = (path: Path, id: string | null | undefined): void => {
        if (typeof id === 'string' && !refs.faq.has(id)) out.add(c.ctx, path, 'undefined_faq', `conversation "${v.name}", turn ${i + 1}: FAQ "${id}" is not defined`);
      };
      checkIntent([...tp, 'nlu', 'intent'], t.nlu?.intent);
      (t.nlu?.ranking ?? []).forEach((r, j) => checkIntent([...tp, 'nlu', 'ranking', j], r));
      checkFaq([...tp, 'nlu', 'faq'], t.nlu?.faq);
      checkIntent([...tp, 'expect', 'intent'], t.expect?.intent);
      checkFlow([...tp, 'expect', 'flow'], t.expect?.flow);
      checkFlow([...tp, 'expect', 'completed'], t.expect?.completed);
      checkFaq([...tp, 'expect', 'faq'], t.expect?.faq);
      const nlu = t.nlu;
      const e = t.expect ?? {};
      const entities = nlu?.entities === undefined ? undefined : Array.isArray(nlu.entities) ? nlu.entities : Object.entries(nlu.entities).map(([entity, value]) => ({ entity, value }));
      const emotion = nlu?.emotion === undefined ? undefined : typeof nlu.emotion === 'string' ? { label: nlu.emotion, confidence: 0.9 } : nlu.emotion;
      const replies = strings(e.replies);
      const notReplies = strings(e.notReplies);
      const summary = strings(e.summary);
      return {
        user: t.user,
        ...(t.at === undefined ? {} : { at: t.at }),
        ...(t.channel === undefined ? {} : { channel: t.channel }),
        ...(nlu === undefined
          ? {}
          : {
              nlu: {
                ...(nlu.intent === undefined ? {} : { intent: nlu.intent }),
                ...(nlu.decision === undefined ? {} : { decision: nlu.decision }),
                ...(nlu.ranking === undefined ? {} : { ranking: nlu.ranking }),
                ...(nlu.confidence === undefined ? {} : { confidence: nlu.confidence }),
                ...(entities === undefined ? {} : { entities }),
                ...(nlu.faq === undefined ? {} : { faq: nlu.faq }),
                ...(emotion === undefined ? {} : { emotion }),
              },
            }),
        expect: compact<ConversationExpect>({
          ...e,
          ...(replies === undefined ? {} : { replies }),
          ...(notReplies === undefined ? {} : { notReplies }),
          ...(summary === undefined ? {} : { summary }),
        }),
        loc: locOf(c.ctx, tp),
      };
    });
    const actions: Conversation['actions'] = Object.fromEntries(
      Object.entries(v.actions ?? {}).map(([k, a]) => [k, typeof a === 'string' ? { outcome: a } : compact<{ outcome: string }>(a)]),
    );
    result.push({
      name: v.name,
      ...(v.description === undefined ? {} : { description: v.description }),
      ...(v.start === undefined ? {} : { start: v.start }),
      ...(v.channel === undefined ? {} : { channel: v.channel }),
      ...(v.user === undefined ? {} : { user: compact<{ id?: string; vip?: boolean }>(v.user) }),
      actions,
      turns,
      loc: locOf(c.ctx, c.path),
    });
  }
  return result;
}

function hasKey(ctx: FileCtx, key: string): boolean {
  return isMap(ctx.doc.contents) && ctx.doc.contents.has(key);
}

function where(l: Located<unknown>): string {
  const loc = locOf(l.ctx, l.path);
  return `${loc.file}:${loc.line}`;
}

function checkPattern(out: Collector, ctx: FileCtx, path: Path, pattern: string, flags: string, owner: string): void {
  try {
    const r = checkRegexSafety(pattern, flags.includes('u') ? flags : `${flags}u`);
    if (!r.safe) out.add(ctx, path, 'unsafe_regex', `${owner}: pattern /${pattern}/ is unsafe: ${r.reason}. Rewrite it without nested or overlapping repetition`);
  } catch (cause) {
    out.add(ctx, path, 'bad_regex', `${owner}: pattern /${pattern}/ does not compile (${(cause as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

/**
 * Reads the pack files under a directory (or a single pack file) without validating them.
 *
 * @example
 * ```ts
 * const sources = await readPackSources('fixtures/packs/ecommerce-zh');
 * ```
 */
export async function readPackSources(path: string): Promise<PackSource[]> {
  assertText(path, 'pack path');
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new KefuError('PACK_NOT_FOUND', `Pack path "${path}" does not exist. Pass a pack directory or a pack.yaml file.`, { path }, { cause });
  }
  const files: string[] = [];
  if (info.isDirectory()) {
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile() && PACK_FILE.test(e.name)) files.push(full);
      }
    };
    await walk(path);
  } else {
    files.push(path);
  }
  if (files.length === 0) {
    throw new KefuError('PACK_NOT_FOUND', `No pack files (*.yaml, *.yml, *.json) under "${path}".`, { path });
  }
  const sources: PackSource[] = [];
  for (const f of files) {
    const size = (await stat(f)).size;
    if (size > MAX_FILE_BYTES) {
      throw new KefuError('PACK_INVALID', `Pack file "${f}" is ${size} bytes; pack files are limited to ${MAX_FILE_BYTES} bytes.`, {
        issues: [{ severity: 'error', code: 'schema', message: 'file too large', file: f, line: 1, column: 1, path: [] }],
      });
    }
    const display = info.isDirectory() ? join(path, relative(path, f)).split(sep).join('/') : f;
    sources.push({ path: display, content: await readFile(f, 'utf8') });
  }
  return sources;
}

/**
 * Loads and validates a pack directory (or file). Throws `PACK_INVALID` with `details.issues` listing every problem
 * (file, line, column, message), or `PACK_NOT_FOUND`.
 *
 * @example
 * ```ts
 * const pack = await loadPack('fixtures/packs/ecommerce-zh');
 * pack.intents.length; // 26
 * ```
 */
export async function loadPack(path: string): Promise<Pack> {
  const result = validatePackSources(await readPackSources(path));
  if (!result.ok) {
    const shown = result.issues.slice(0, 5).map((i) => `${i.file}:${i.line}:${i.column} ${i.message}`);
    const more = result.issues.length > 5 ? `\n… and ${result.issues.length - 5} more` : '';
    throw new KefuError(
      'PACK_INVALID',
      `Pack "${path}" has ${result.issues.length} problem(s); fix them (kefu lint --pack ${path} lists all):\n${shown.join('\n')}${more}`,
      { path, issues: result.issues },
    );
  }
  return result.pack;
}
