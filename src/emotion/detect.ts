import { KefuError } from '../errors.js';
import { assertOptions, assertText, checkOption, describe } from '../internal/assert.js';
import { toOriginalSpan, type Normalizer } from '../text/index.js';
import { DEFAULT_EMOTION_LEXICON, EMOTION_LABELS, type EmotionCueLabel, type EmotionLabel, type EmotionLexicon } from './lexicon.js';

/** Why a cue fired: a lexicon term, an escalation word, repeated `!`/`?`, or an upper-case (shouted) word. */
export type EmotionCueKind = 'term' | 'complaint' | 'exclamation' | 'question' | 'shouting';

/** One piece of evidence, with its span in the caller's original text (half-open UTF-16 offsets). */
export interface EmotionCue {
  readonly kind: EmotionCueKind;
  readonly label: EmotionCueLabel;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The weight it added to `label` after intensifiers, negation and contrast. */
  readonly weight: number;
  /** True when a negator turned a satisfied term into dissatisfaction (`不满意` from `不` + `满意`, "not helpful"). */
  readonly negated: boolean;
}

/** What {@link detectEmotion} found. `scores` sum to 1 over the five labels; `confidence === scores[label]`. */
export interface EmotionResult {
  readonly label: EmotionLabel;
  readonly confidence: number;
  readonly scores: Readonly<Record<EmotionLabel, number>>;
  readonly cues: readonly EmotionCue[];
}

/** Options of {@link detectEmotion} and {@link createEmotionDetector}. */
export interface EmotionOptions {
  /** The language data; default {@link DEFAULT_EMOTION_LEXICON}. */
  readonly lexicon?: EmotionLexicon;
  /**
   * Evidence `neutral` starts with. A message is labelled with an emotion only when that emotion's summed cue weight
   * beats it; higher means fewer, surer labels. Tuned on the dev half of `fixtures/emotion/golden.yaml`.
   */
  readonly neutralWeight?: number;
  /** Weight of a run of two or more `!` (it strengthens the leading emotion, or reads as anger on its own). */
  readonly exclamationWeight?: number;
  /** Weight towards `anxious` of a run of two or more `?` (催问: "到底什么时候到？？？"). */
  readonly questionWeight?: number;
  /** Weight towards `angry` of each shouted (all upper-case, 4+ letters) Latin word that is not an acronym. */
  readonly shoutingWeight?: number;
  /** Multiplier of cues after a contrast word (但是, but); cues before it get its inverse. */
  readonly contrastBoost?: number;
  /**
   * A normaliser from `createNormalizer()` to run first, which adds traditional → simplified folding (`氣死` → `气死`).
   * Without one, only full-width → half-width and Latin lower-case folding are applied. Cue spans always index the
   * original text.
   */
  readonly normalizer?: Normalizer;
}

/** The defaults merged into every {@link EmotionOptions} (the lexicon defaults to {@link DEFAULT_EMOTION_LEXICON}). */
export const DEFAULT_EMOTION_OPTIONS = {
  neutralWeight: 0.8,
  exclamationWeight: 0.6,
  questionWeight: 0.8,
  shoutingWeight: 0.6,
  contrastBoost: 1.3,
} as const;

/** A detector with its lexicon compiled once; reuse it when scoring many messages (reports, the dialogue). */
export interface EmotionDetector {
  detect(text: string): EmotionResult;
}

interface CompiledTerm {
  readonly text: string;
  readonly label: EmotionCueLabel;
  readonly weight: number;
  readonly kind: 'term' | 'complaint';
  /** Latin term: must start at a word boundary. */
  readonly latin: boolean;
  /** Latin term ending in `*`: may continue with more letters. */
  readonly prefix: boolean;
}

interface Compiled {
  readonly byFirst: ReadonlyMap<string, readonly CompiledTerm[]>;
  readonly intensifiers: readonly (readonly [string, number])[];
  readonly post: readonly (readonly [string, number])[];
  readonly negators: readonly string[];
  readonly contrast: readonly string[];
  readonly acronyms: ReadonlySet<string>;
  readonly o: Required<Omit<EmotionOptions, 'lexicon' | 'normalizer'>>;
  readonly normalizer: Normalizer | undefined;
}

const LATIN = /[a-z0-9']/;
/** Cue look-back stops at these: a negator or intensifier in another clause does not apply. */
const CLAUSE_BREAK = /[,.;!?，。；！？、\n~…]/;
const LOOKBACK = 4;
const LOOKBACK_LATIN = 3;
const MAX_CHARS = 20_000;

/**
 * Compiles a lexicon and options into a reusable detector. Throws `INVALID_OPTION` for a malformed lexicon or
 * option, listing what is accepted.
 *
 * @example
 * ```ts
 * const detector = createEmotionDetector({ neutralWeight: 1.2 });
 * detector.detect('气死我了，我要投诉！！！').label; // 'angry'
 * ```
 */
export function createEmotionDetector(options?: EmotionOptions): EmotionDetector {
  const compiled = compile(options);
  return { detect: (text) => run(compiled, text) };
}

/**
 * Detects the emotion of one customer message (Chinese or English): angry / anxious / dissatisfied / satisfied /
 * neutral, with a confidence, per-label scores and the cues that fired. Rules: lexicon terms (longest match),
 * intensifiers before (太, very) and after (死了), negation (不满意 = 不 + 满意 → dissatisfied; 不着急 → no cue),
 * contrast (cues after 但是 weigh more), repeated `!` and `?`, shouted upper-case words and escalation words (投诉,
 * 12315). Never throws on any string; text past 20,000 UTF-16 units is ignored. For many messages, compile once with
 * {@link createEmotionDetector}.
 *
 * @example
 * ```ts
 * const r = detectEmotion('都三天了怎么还没发货？？？');
 * r.label;      // 'anxious'
 * r.cues[0];    // { kind: 'term', label: 'anxious', text: '怎么还没', start: 5, end: 9, weight: 1.2, negated: false }
 * ```
 */
export function detectEmotion(text: string, options?: EmotionOptions): EmotionResult {
  assertText(text, 'detectEmotion: text');
  return run(compile(options), text);
}

function compile(options: EmotionOptions | undefined): Compiled {
  assertOptions(options, 'createEmotionDetector');
  const o = { ...DEFAULT_EMOTION_OPTIONS, ...(options ?? {}) };
  for (const key of ['neutralWeight', 'exclamationWeight', 'questionWeight', 'shoutingWeight', 'contrastBoost'] as const) {
    const v = o[key];
    checkOption(typeof v === 'number' && Number.isFinite(v) && v >= 0, 'createEmotionDetector', key, v, 'a finite number ≥ 0');
  }
  checkOption(o.neutralWeight > 0, 'createEmotionDetector', 'neutralWeight', o.neutralWeight, 'a number > 0');
  checkOption(o.contrastBoost >= 1, 'createEmotionDetector', 'contrastBoost', o.contrastBoost, 'a number ≥ 1');
  const normalizer = options?.normalizer;
  checkOption(
    normalizer === undefined || (typeof normalizer === 'object' && normalizer !== null && typeof normalizer.normalize === 'function'),
    'createEmotionDetector',
    'normalizer',
    normalizer,
    'a Normalizer from createNormalizer()',
  );
  const lexicon = options?.lexicon ?? DEFAULT_EMOTION_LEXICON;
  const issues = lexiconIssues(lexicon);
  if (issues.length > 0) {
    throw new KefuError(
      'INVALID_OPTION',
      `createEmotionDetector: option "lexicon" is malformed: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}. ` +
        'Start from a copy of DEFAULT_EMOTION_LEXICON.',
      { option: 'lexicon', issues },
    );
  }
  const byFirst = new Map<string, CompiledTerm[]>();
  const add = (raw: string, label: EmotionCueLabel, weight: number, kind: 'term' | 'complaint'): void => {
    const prefix = raw.endsWith('*');
    const t = fold(prefix ? raw.slice(0, -1) : raw);
    if (t === '') return;
    const term: CompiledTerm = { text: t, label, weight, kind, latin: /^[a-z0-9]/.test(t), prefix };
    const first = t[0] as string;
    const list = byFirst.get(first) ?? [];
    list.push(term);
    byFirst.set(first, list);
  };
  for (const label of EMOTION_LABELS) {
    if (label === 'neutral') continue;
    for (const [t, w] of Object.entries(lexicon.terms[label])) add(t, label, w, 'term');
  }
  for (const [t, w] of Object.entries(lexicon.complaint)) add(t, 'angry', w, 'complaint');
  // Longest first so 不满意 wins over 满意 and 很满意 over 满意 at the same start.
  for (const list of byFirst.values()) list.sort((a, b) => b.text.length - a.text.length);
  const sortedPairs = (r: Readonly<Record<string, number>>): [string, number][] =>
    Object.entries(r)
      .map(([k, v]): [string, number] => [fold(k), v])
      .sort((a, b) => b[0].length - a[0].length);
  return {
    byFirst,
    intensifiers: sortedPairs(lexicon.intensifiers),
    post: sortedPairs(lexicon.postIntensifiers),
    negators: lexicon.negators.map(fold).sort((a, b) => b.length - a.length),
    contrast: lexicon.contrast.map(fold),
    acronyms: new Set(lexicon.acronyms.map((a) => a.toUpperCase())),
    o,
    normalizer,
  };
}

function lexiconIssues(lexicon: unknown): string[] {
  const issues: string[] = [];
  if (typeof lexicon !== 'object' || lexicon === null) return [`expected an object, got ${describe(lexicon)}`];
  const l = lexicon as Record<string, unknown>;
  const checkWeights = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push(`${path} must be an object of phrase → weight, got ${describe(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) issues.push(`${path}.${k} must be a finite number ≥ 0, got ${describe(v)}`);
    }
  };
  const terms = l.terms as Record<string, unknown> | undefined;
  if (typeof terms !== 'object' || terms === null) issues.push(`terms must be an object with angry, anxious, dissatisfied, satisfied`);
  else for (const label of ['angry', 'anxious', 'dissatisfied', 'satisfied']) checkWeights(terms[label], `terms.${label}`);
  for (const key of ['complaint', 'intensifiers', 'postIntensifiers']) checkWeights(l[key], key);
  for (const key of ['negators', 'contrast', 'acronyms']) {
    const v = l[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) issues.push(`${key} must be an array of strings, got ${describe(v)}`);
  }
  return issues;
}

/**
 * Length-preserving fold of one UTF-16 unit at a time: full-width ASCII → ASCII, ideographic space → space, Latin
 * upper → lower case. Keeping the length keeps cue offsets valid in the original string.
 */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}

interface RawCue {
  kind: EmotionCueKind;
  label: EmotionCueLabel;
  start: number;
  end: number;
  weight: number;
  negated: boolean;
}

function run(c: Compiled, input: string): EmotionResult {
  const original = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  const normalized = c.normalizer?.normalize(original);
  const source = normalized === undefined ? original : normalized.text;
  const text = fold(source);
  const cues: RawCue[] = [];
  let prevEnd = 0;
  const contrastAt: number[] = [];

  for (let i = 0; i < text.length; ) {
    if (isWordStart(text, i)) {
      const con = c.contrast.find((w) => matchesAt(text, i, w, /^[a-z]/.test(w), false));
      if (con !== undefined) contrastAt.push(i + con.length);
    }
    const term = findTerm(c, text, i);
    if (term === undefined) {
      i++;
      continue;
    }
    const end = term.prefix ? extendWord(text, i + term.text.length) : i + term.text.length;
    let weight = term.weight;
    let label = term.label;
    let negated = false;
    const before = clauseBefore(text, Math.max(prevEnd, i - (term.latin ? 24 : LOOKBACK)), i);
    const negator = isAnotAQuestion(before) ? undefined : findBefore(before, c.negators, term.latin);
    if (negator !== undefined && term.kind === 'term') {
      // A negated satisfied term is dissatisfaction (不满意, "not helpful"); a negated negative term is no cue
      // (不着急, "not angry").
      if (label === 'satisfied') {
        label = 'dissatisfied';
        weight *= 0.9;
        negated = true;
      } else weight = 0;
    }
    const intensifier = findBefore(before, c.intensifiers.map(([w]) => w), term.latin);
    if (intensifier !== undefined) weight *= c.intensifiers.find(([w]) => w === intensifier)?.[1] ?? 1;
    const post = c.post.find(([w]) => text.startsWith(w, end));
    if (post !== undefined) weight *= post[1];
    if (weight > 0) cues.push({ kind: term.kind, label, start: i, end, weight, negated });
    prevEnd = end + (post?.[0].length ?? 0);
    i = Math.max(prevEnd, i + 1);
  }

  // Contrast: the clause after 但是 is what the customer means ("谢谢，但是还是太慢了").
  const lastContrast = contrastAt.length > 0 ? (contrastAt[contrastAt.length - 1] as number) : -1;
  if (lastContrast >= 0 && cues.some((q) => q.start >= lastContrast) && cues.some((q) => q.start < lastContrast)) {
    for (const q of cues) q.weight = q.start >= lastContrast ? q.weight * c.o.contrastBoost : q.weight / c.o.contrastBoost;
  }

  punctuationCues(text, c, cues);
  shoutingCues(source, c, cues);

  const raw: Record<EmotionCueLabel, number> = { angry: 0, anxious: 0, dissatisfied: 0, satisfied: 0 };
  for (const q of cues) raw[q.label] += q.weight;
  const total = raw.angry + raw.anxious + raw.dissatisfied + raw.satisfied + c.o.neutralWeight;
  const scores: Record<EmotionLabel, number> = {
    angry: raw.angry / total,
    anxious: raw.anxious / total,
    dissatisfied: raw.dissatisfied / total,
    satisfied: raw.satisfied / total,
    neutral: c.o.neutralWeight / total,
  };
  let label: EmotionLabel = 'neutral';
  for (const l of EMOTION_LABELS) if (scores[l] > scores[label]) label = l;

  const toOriginal = (start: number, end: number): { start: number; end: number; text: string } => {
    if (normalized === undefined) return { start, end, text: original.slice(start, end) };
    return toOriginalSpan(normalized, start, end);
  };
  const out: EmotionCue[] = cues
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((q) => ({ kind: q.kind, label: q.label, ...toOriginal(q.start, q.end), weight: round(q.weight), negated: q.negated }));
  return { label, confidence: scores[label], scores, cues: out };
}

function findTerm(c: Compiled, text: string, i: number): CompiledTerm | undefined {
  const list = c.byFirst.get(text[i] as string);
  if (list === undefined) return undefined;
  for (const term of list) {
    if (matchesAt(text, i, term.text, term.latin, term.prefix)) return term;
  }
  return undefined;
}

/** `word` occurs at `i`; a Latin word must start at a word boundary and, unless `prefix`, end at one. */
function matchesAt(text: string, i: number, word: string, latin: boolean, prefix: boolean): boolean {
  if (!text.startsWith(word, i)) return false;
  if (!latin) return true;
  if (i > 0 && LATIN.test(text[i - 1] as string)) return false;
  const after = text[i + word.length];
  return prefix || after === undefined || !/[a-z0-9]/.test(after) || !/[a-z0-9]$/.test(word);
}

function isWordStart(text: string, i: number): boolean {
  return i === 0 || !LATIN.test(text[i - 1] as string) || !LATIN.test(text[i] as string);
}

function extendWord(text: string, end: number): number {
  let e = end;
  while (e < text.length && /[a-z]/.test(text[e] as string)) e++;
  return e;
}

/** The part of `text[from, to)` after the last clause break. */
function clauseBefore(text: string, from: number, to: number): string {
  let start = from;
  for (let k = to - 1; k >= from; k--) {
    if (CLAUSE_BREAK.test(text[k] as string)) {
      start = k + 1;
      break;
    }
  }
  return text.slice(start, to);
}

/**
 * A word of `words` in the look-back window: for Chinese, within the last few characters; for a Latin term, among
 * the last few whole words.
 */
function findBefore(before: string, words: readonly string[], latin: boolean): string | undefined {
  if (latin || /[a-z]\s*$/.test(before)) {
    const tail = before
      .split(/[^a-z0-9']+/)
      .filter((w) => w !== '')
      .slice(-LOOKBACK_LATIN);
    const hit = words.find((w) => /^[a-z]/.test(w) && !w.includes(' ') && tail.includes(w));
    if (hit !== undefined) return hit;
  }
  const window = before.slice(-LOOKBACK);
  return words.find((w) => !/^[a-z]/.test(w) && window.includes(w));
}

/** 是不是 / 会不会 / 有没有 just before a term ask a question; their 不 / 没 negates nothing. */
function isAnotAQuestion(before: string): boolean {
  return /(.)[不没]有?\1/.test(before.slice(-LOOKBACK - 2));
}

function punctuationCues(text: string, c: Compiled, cues: RawCue[]): void {
  const runs = /[!?]{2,}/g;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const hasQuestion = m[0].includes('?');
    const hasExclaim = m[0].includes('!');
    if (hasQuestion && (m[0].match(/\?/g)?.length ?? 0) >= 2 && c.o.questionWeight > 0) {
      cues.push({ kind: 'question', label: 'anxious', start, end, weight: c.o.questionWeight, negated: false });
    }
    if (hasExclaim && (m[0].match(/!/g)?.length ?? 0) >= 2 && c.o.exclamationWeight > 0) {
      // Repeated `!` strengthens whatever the message already says; on its own it reads as anger.
      const sums: Record<EmotionCueLabel, number> = { angry: 0, anxious: 0, dissatisfied: 0, satisfied: 0 };
      for (const q of cues) sums[q.label] += q.weight;
      let lead: EmotionCueLabel = 'angry';
      for (const l of ['anxious', 'dissatisfied', 'satisfied'] as const) if (sums[l] > sums[lead]) lead = l;
      cues.push({ kind: 'exclamation', label: lead, start, end, weight: c.o.exclamationWeight, negated: false });
    }
  }
}

function shoutingCues(source: string, c: Compiled, cues: RawCue[]): void {
  if (c.o.shoutingWeight === 0 || !/[a-z]/.test(source)) return; // an all-caps message is a style, not shouting
  const words = /(?<![A-Za-z])[A-Z]{4,}(?![A-Za-z])/g;
  for (let m = words.exec(source); m !== null; m = words.exec(source)) {
    if (c.acronyms.has(m[0])) continue;
    cues.push({ kind: 'shouting', label: 'angry', start: m.index, end: m.index + m[0].length, weight: c.o.shoutingWeight, negated: false });
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
