/**
 * A static check for regular expressions that can backtrack catastrophically on the input lengths a chat message can
 * have. The rules are the classic ReDoS shapes, checked on a small parse of the pattern:
 *  1. nested quantifiers: a repeated group containing an unbounded quantifier, `(a+)+`, `(\w+\s?)*`;
 *  2. a repeated alternation whose branches can start with the same character, `(a|ab)*`, `(\d|1)+`;
 *  3. two adjacent unbounded quantifiers over overlapping characters, `\d+\d*`, `.*.*` (quadratic);
 * Bounded repetition of bounded parts, such as `\d(?: ?\d){11,19}`, is accepted.
 */

export interface RegexSafetyResult {
  readonly safe: boolean;
  /** Why the pattern was rejected, naming the offending part. */
  readonly reason?: string;
}

type Atom =
  | { readonly kind: 'chars'; readonly source: string; readonly test: (c: string) => boolean }
  | { readonly kind: 'group'; readonly source: string; readonly alts: readonly Seq[]; readonly lookaround: boolean }
  | { readonly kind: 'anchor'; readonly source: string }
  | { readonly kind: 'backref'; readonly source: string };

interface Item {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Seq = Item[];

/** Characters probed when comparing character sets: ASCII, common CJK, full-width forms and a few symbols. */
const PROBES: readonly string[] = (() => {
  const out: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) out.push(String.fromCharCode(c));
  for (const s of '的一是我不了人在有中大国退货订单快递发票客服元号码\t\n\u3000，。！？：（）０１ＡＺａｚ¥€😀') out.push(s);
  return out;
})();

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  parse(): Seq[] {
    const alts = this.alternation();
    if (this.pos < this.src.length) throw new SyntaxError(`unexpected ")" at ${this.pos}`);
    return alts;
  }

  private alternation(): Seq[] {
    const alts: Seq[] = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Seq {
    const seq: Seq = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom();
      const [min, max] = this.quantifier();
      seq.push({ atom, min, max });
    }
    return seq;
  }

  private quantifier(): [number, number] {
    const c = this.src[this.pos];
    let q: [number, number] = [1, 1];
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return q;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.pos += m[0].length;
      if (this.src[this.pos] === '?') this.pos++;
      return [min, max];
    } else return q;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++;
    return q;
  }

  private atom(): Atom {
    const start = this.pos;
    const c = this.src[this.pos] as string;
    if (c === '(') {
      this.pos++;
      let lookaround = false;
      if (this.src.startsWith('?:', this.pos)) this.pos += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.pos))) {
        lookaround = true;
        this.pos += this.src[this.pos + 1] === '<' ? 3 : 2;
      } else if (this.src.startsWith('?<', this.pos)) {
        const close = this.src.indexOf('>', this.pos);
        if (close < 0) throw new SyntaxError('unterminated group name');
        this.pos = close + 1;
      }
      const alts = this.alternation();
      if (this.src[this.pos] !== ')') throw new SyntaxError('unterminated group');
      this.pos++;
      return { kind: 'group', source: this.src.slice(start, this.pos), alts, lookaround };
    }
    if (c === '^' || c === '$') {
      this.pos++;
      return { kind: 'anchor', source: c };
    }
    if (c === '[') {
      let i = this.pos + 1;
      if (this.src[i] === '^') i++;
      if (this.src[i] === ']') i++;
      while (i < this.src.length && this.src[i] !== ']') i += this.src[i] === '\\' ? 2 : 1;
      if (i >= this.src.length) throw new SyntaxError('unterminated character class');
      this.pos = i + 1;
      return this.chars(this.src.slice(start, this.pos));
    }
    if (c === '\\') {
      const rest = this.src.slice(this.pos);
      const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>|\d+|[\s\S])/.exec(rest);
      const token = (m as RegExpExecArray)[0];
      this.pos += token.length;
      if (token === '\\b' || token === '\\B') return { kind: 'anchor', source: token };
      if (/^\\(?:[1-9]\d*|k<)/.test(token)) return { kind: 'backref', source: token };
      return this.chars(token);
    }
    if (c === ')') throw new SyntaxError('unbalanced ")"');
    const cp = String.fromCodePoint(this.src.codePointAt(this.pos) as number);
    this.pos += cp.length;
    return this.chars(cp === '.' ? '.' : cp);
  }

  private chars(source: string): Atom {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${source})$`, this.flags.replace(/[gy]/g, ''));
    } catch {
      re = new RegExp(`^(?:${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`);
    }
    return { kind: 'chars', source, test: (ch) => re.test(ch) };
  }
}

/** Can the sequence match the empty string? */
function nullable(seq: Seq): boolean {
  return seq.every((it) => it.min === 0 || it.atom.kind === 'anchor' || (it.atom.kind === 'group' && (it.atom.lookaround || it.atom.alts.some(nullable))));
}

/** Probe characters that can begin a match of the sequence. */
function firstChars(seq: Seq): Set<string> {
  const out = new Set<string>();
  for (const it of seq) {
    const a = it.atom;
    if (a.kind === 'anchor' || (a.kind === 'group' && a.lookaround)) continue;
    if (a.kind === 'backref') {
      PROBES.forEach((p) => out.add(p));
      return out;
    }
    if (a.kind === 'chars') PROBES.forEach((p) => a.test(p) && out.add(p));
    else a.alts.forEach((alt) => firstChars(alt).forEach((p) => out.add(p)));
    if (it.min > 0 && !(a.kind === 'group' && a.alts.some(nullable))) return out;
  }
  return out;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function hasUnboundedInside(alts: readonly Seq[]): Item | undefined {
  for (const seq of alts) {
    for (const it of seq) {
      if (it.max === Infinity && it.atom.kind !== 'anchor') return it;
      if (it.atom.kind === 'group') {
        const inner = hasUnboundedInside(it.atom.alts);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

function check(alts: readonly Seq[]): string | undefined {
  for (const seq of alts) {
    for (let k = 0; k < seq.length; k++) {
      const it = seq[k] as Item;
      const a = it.atom;
      if (a.kind === 'group') {
        if (it.max > 1) {
          const inner = hasUnboundedInside(a.alts);
          if (inner) return `nested quantifier: "${inner.atom.source}" repeated inside "${a.source}" can backtrack exponentially`;
          if (it.max === Infinity && a.alts.length > 1) {
            const firsts = a.alts.map(firstChars);
            for (let x = 0; x < firsts.length; x++) {
              for (let y = x + 1; y < firsts.length; y++) {
                if (overlaps(firsts[x] as Set<string>, firsts[y] as Set<string>)) {
                  return `repeated alternation "${a.source}" has branches that can start with the same character`;
                }
              }
            }
          }
        }
        const innerReason = check(a.alts);
        if (innerReason) return innerReason;
      }
      const next = seq[k + 1];
      if (it.max === Infinity && next && next.max === Infinity && a.kind !== 'anchor' && next.atom.kind !== 'anchor') {
        if (overlaps(firstChars([{ ...it, min: 1 }]), firstChars([{ ...next, min: 1 }]))) {
          return `adjacent unbounded quantifiers "${a.source}" and "${next.atom.source}" overlap (quadratic backtracking)`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Checks a pattern for catastrophic-backtracking shapes. Throws SyntaxError when the pattern does not compile.
 *
 * @example
 * ```ts
 * checkRegexSafety('(a+)+$').safe; // false
 * checkRegexSafety('\\d(?: ?\\d){11,19}').safe; // true
 * ```
 */
export function checkRegexSafety(pattern: string, flags = ''): RegexSafetyResult {
  new RegExp(pattern, flags);
  const alts = new Parser(pattern, flags).parse();
  const reason = check(alts);
  return reason ? { safe: false, reason } : { safe: true };
}
