/**
 * A compact, incremental BM25 inverted index over integer document ids. One instance holds one feature family
 * (words, character n-grams or pinyin keys); the FAQ index keeps several and fuses them.
 *
 * Postings are typed arrays in increasing document order (ids are only ever appended), so a 100k-entry knowledge
 * base costs a few bytes per posting rather than a `Map` entry each. Removal marks a document dead and lowers the
 * document frequencies at once; dead postings are dropped by a compaction that runs when they outnumber live ones.
 */

/** BM25 parameters: term-frequency saturation `k1` and length normalisation `b`. */
export interface Bm25Params {
  readonly k1: number;
  readonly b: number;
}

interface Posting {
  docs: Int32Array;
  tfs: Uint16Array;
  /** Used length of `docs`/`tfs` (dead documents included until compaction). */
  n: number;
  /** Live documents containing the term: the document frequency. */
  df: number;
}

/** Internal mutable index; created by {@link createBm25}. */
export interface Bm25 {
  readonly params: Bm25Params;
  readonly termIds: Map<string, number>;
  readonly postings: Posting[];
  /** Length (term count) of each document; -1 for a free or removed id. */
  docLen: Float64Array;
  /**
   * Each live document's unique terms as interleaved `(term id, term frequency)` pairs, for removal, the
   * document-side coverage and scoring the documents a query touched term by term.
   */
  docTerms: (Int32Array | null)[];
  /** Per-term query weights while a query scores documents term by term (see {@link bm25AccumulateAll}); zero between queries. */
  queryWeight: Float64Array;
  /** Bumped by every change; the document IDF masses are valid while it matches `massVersion`. */
  version: number;
  massVersion: number;
  /** IDF mass of each document's unique terms at `massVersion` (filled lazily, NaN = not computed yet). */
  docMass: Float64Array;
  liveDocs: number;
  totalLen: number;
  deadPostings: number;
  livePostings: number;
}

export function createBm25(params: Bm25Params): Bm25 {
  return {
    params,
    termIds: new Map(),
    postings: [],
    docLen: new Float64Array(64).fill(-1),
    docTerms: [],
    queryWeight: new Float64Array(0),
    version: 0,
    massVersion: -1,
    docMass: new Float64Array(0),
    liveDocs: 0,
    totalLen: 0,
    deadPostings: 0,
    livePostings: 0,
  };
}

/** Inverse document frequency (Robertson–Spärck Jones, kept positive as in Lucene). `df = 0` gives the largest value. */
export function bm25Idf(index: Bm25, df: number): number {
  const n = index.liveDocs;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The IDF of a term string (an unknown term has df 0). */
export function termIdf(index: Bm25, term: string): number {
  const id = index.termIds.get(term);
  return bm25Idf(index, id === undefined ? 0 : (index.postings[id] as Posting).df);
}

/** Adds document `doc` (an unused id) with its terms (repeats count as term frequency). */
export function bm25Add(index: Bm25, doc: number, terms: readonly string[]): void {
  if (doc >= index.docLen.length) {
    const grown = new Float64Array(Math.max(doc + 1, index.docLen.length * 2)).fill(-1);
    grown.set(index.docLen);
    index.docLen = grown;
  }
  index.version++;
  const tf = new Map<number, number>();
  for (const term of terms) {
    let id = index.termIds.get(term);
    if (id === undefined) {
      id = index.postings.length;
      index.termIds.set(term, id);
      index.postings.push({ docs: new Int32Array(2), tfs: new Uint16Array(2), n: 0, df: 0 });
    }
    tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  const ids = new Int32Array(tf.size * 2);
  let k = 0;
  for (const [id, count] of tf) {
    ids[k++] = id;
    ids[k++] = Math.min(count, 0xffff);
    const p = index.postings[id] as Posting;
    if (p.n === p.docs.length) {
      const docs = new Int32Array(p.n * 2);
      docs.set(p.docs);
      const tfs = new Uint16Array(p.n * 2);
      tfs.set(p.tfs);
      p.docs = docs;
      p.tfs = tfs;
    }
    p.docs[p.n] = doc;
    p.tfs[p.n] = Math.min(count, 0xffff);
    p.n++;
    p.df++;
  }
  index.docTerms[doc] = ids;
  index.docLen[doc] = terms.length;
  index.liveDocs++;
  index.totalLen += terms.length;
  index.livePostings += tf.size;
}

/** Removes a live document; its postings are dropped later by {@link compactBm25}. */
export function bm25Remove(index: Bm25, doc: number): void {
  const ids = index.docTerms[doc];
  if (!ids) return;
  index.version++;
  for (let j = 0; j < ids.length; j += 2) (index.postings[ids[j] as number] as Posting).df--;
  index.liveDocs--;
  index.totalLen -= index.docLen[doc] as number;
  index.docLen[doc] = -1;
  index.docTerms[doc] = null;
  index.livePostings -= ids.length / 2;
  index.deadPostings += ids.length / 2;
  if (index.deadPostings > 1024 && index.deadPostings > index.livePostings) compactBm25(index);
}

/** Drops postings of removed documents. */
export function compactBm25(index: Bm25): void {
  for (const p of index.postings) {
    let w = 0;
    for (let r = 0; r < p.n; r++) {
      const d = p.docs[r] as number;
      if ((index.docLen[d] as number) < 0) continue;
      p.docs[w] = d;
      p.tfs[w] = p.tfs[r] as number;
      w++;
    }
    p.n = w;
  }
  index.deadPostings = 0;
}

/**
 * Scratch space reused across queries: one score array per family (indexed by document id) and the list of
 * documents any family touched.
 */
export interface Bm25Scratch {
  readonly scores: Float64Array[];
  /** Per family and document: the IDF of the query terms the document holds (the numerator of {@link docCoverage}). */
  readonly hits: Float64Array[];
  readonly touched: Int32Array;
  nTouched: number;
  /** Marks documents already in `touched`. */
  readonly seen: Uint8Array;
}

export function createScratch(families: number, size: number): Bm25Scratch {
  return {
    scores: Array.from({ length: families }, () => new Float64Array(size)),
    hits: Array.from({ length: families }, () => new Float64Array(size)),
    touched: new Int32Array(size),
    nTouched: 0,
    seen: new Uint8Array(size),
  };
}

/** Clears what the last query touched. */
export function resetScratch(scratch: Bm25Scratch): void {
  for (let t = 0; t < scratch.nTouched; t++) {
    const d = scratch.touched[t] as number;
    scratch.seen[d] = 0;
    for (const s of scratch.scores) s[d] = 0;
    for (const h of scratch.hits) h[d] = 0;
  }
  scratch.nTouched = 0;
}

/** A query prepared against one family: known term ids with their IDF, and the IDF mass of all its terms. */
export interface Bm25Query {
  readonly ids: readonly number[];
  readonly idfs: readonly number[];
  /** Sum of the IDF of every unique query term, unknown terms included: the score of a perfect short match. */
  readonly idfMass: number;
}

export function prepareQuery(index: Bm25, terms: readonly string[]): Bm25Query {
  const unique = new Set(terms);
  const ids: number[] = [];
  const idfs: number[] = [];
  let idfMass = 0;
  for (const term of unique) {
    const id = index.termIds.get(term);
    const df = id === undefined ? 0 : (index.postings[id] as Posting).df;
    const idf = bm25Idf(index, df);
    idfMass += idf;
    if (id !== undefined && df > 0) {
      ids.push(id);
      idfs.push(idf);
    }
  }
  return { ids, idfs, idfMass };
}

/** One family's query against one index, as {@link bm25AccumulateAll} takes it. */
export interface Bm25FamilyQuery {
  readonly index: Bm25;
  readonly query: Bm25Query;
  /** The family's slot in `scratch.scores`. */
  readonly family: number;
}

/**
 * Adds `BM25(q, d) / idfMass` (the query coverage, 1 for a document that holds every query term once at average
 * length) to `scratch.scores[family][d]` for every live document `d` sharing a term with the query, in every family.
 *
 * Cost control for large indexes: a term held by at most `openLimit` documents "opens" its documents (walks its
 * postings); a commoner term only adds to documents some rare term of any family opened. When no term is rare
 * enough, the single rarest term of all families opens. Common terms carry little IDF, so a document matching
 * nothing rare could not score high anyway; this keeps a query on a 100k-entry index to a few thousand documents.
 * A common term then scores the opened documents the cheaper of two ways: walking its postings, or, when the
 * opened documents hold fewer terms in all than the common terms' postings, reading each opened document's own
 * terms.
 */
export function bm25AccumulateAll(parts: readonly Bm25FamilyQuery[], scratch: Bm25Scratch, openLimit: number): void {
  const live = parts.filter((p) => p.query.ids.length > 0 && p.query.idfMass > 0);
  const opened = live.map((p) => new Uint8Array(p.query.ids.length));
  live.forEach((p, f) => {
    p.query.ids.forEach((id, qi) => {
      if ((p.index.postings[id] as Posting).df <= openLimit) {
        addTermByPostings(p, qi, scratch, true);
        (opened[f] as Uint8Array)[qi] = 1;
      }
    });
  });
  if (scratch.nTouched === 0) {
    // Nothing rare: the rarest term of any family opens (ties: the first family, the first term).
    let bf = -1;
    let bq = -1;
    let bdf = Infinity;
    live.forEach((p, f) => {
      p.query.ids.forEach((id, qi) => {
        const df = (p.index.postings[id] as Posting).df;
        if (df < bdf) {
          bdf = df;
          bf = f;
          bq = qi;
        }
      });
    });
    if (bf < 0) return;
    addTermByPostings(live[bf] as Bm25FamilyQuery, bq, scratch, true);
    (opened[bf] as Uint8Array)[bq] = 1;
  }
  live.forEach((p, f) => {
    const rest: number[] = [];
    let walkCost = 0;
    p.query.ids.forEach((id, qi) => {
      if ((opened[f] as Uint8Array)[qi] === 1) return;
      rest.push(qi);
      walkCost += Math.min((p.index.postings[id] as Posting).n, scratch.nTouched * 8);
    });
    if (rest.length === 0) return;
    const perDocCost = scratch.nTouched * (p.index.liveDocs > 0 ? p.index.livePostings / p.index.liveDocs : 0) * 2;
    if (perDocCost < walkCost) scoreTouchedByDocument(p, rest, scratch);
    else for (const qi of rest) addTermByPostings(p, qi, scratch, false);
  });
}

/** The BM25 weight of query term `qi` before the term-frequency part: idf · (k1 + 1) / idfMass. */
const termWeight = (p: Bm25FamilyQuery, qi: number): number => ((p.query.idfs[qi] as number) * (p.index.params.k1 + 1)) / p.query.idfMass;

/**
 * Adds one query term to the scores through its postings. `open`: walk them, touching every live document. Else only
 * touched documents get it: a walk of a short posting list, or a binary search per touched document.
 */
function addTermByPostings(p: Bm25FamilyQuery, qi: number, scratch: Bm25Scratch, open: boolean): void {
  const index = p.index;
  const { k1, b } = index.params;
  const avgdl = index.liveDocs > 0 ? index.totalLen / index.liveDocs : 1;
  const post = index.postings[p.query.ids[qi] as number] as Posting;
  const w = termWeight(p, qi);
  const idf = p.query.idfs[qi] as number;
  const { touched, seen } = scratch;
  const scores = scratch.scores[p.family] as Float64Array;
  const hits = scratch.hits[p.family] as Float64Array;
  /** Adds the term to live document `d`, which holds it at posting `r`; false for a removed document. */
  const add = (d: number, r: number): boolean => {
    const dl = index.docLen[d] as number;
    if (dl < 0) return false;
    const tf = post.tfs[r] as number;
    scores[d] = (scores[d] as number) + (w * tf) / (tf + k1 * (1 - b + (b * dl) / avgdl));
    hits[d] = (hits[d] as number) + idf;
    return true;
  };
  if (open) {
    for (let r = 0; r < post.n; r++) {
      const d = post.docs[r] as number;
      if (add(d, r) && seen[d] === 0) {
        seen[d] = 1;
        touched[scratch.nTouched++] = d;
      }
    }
  } else if (post.n <= scratch.nTouched * 4) {
    for (let r = 0; r < post.n; r++) {
      const d = post.docs[r] as number;
      if (seen[d] === 1) add(d, r);
    }
  } else {
    for (let t = 0; t < scratch.nTouched; t++) {
      const d = touched[t] as number;
      const r = findDoc(post, d);
      if (r >= 0) add(d, r);
    }
  }
}

/** Adds the common terms `rest` to the touched documents by reading each document's own (term, tf) pairs. */
function scoreTouchedByDocument(p: Bm25FamilyQuery, rest: readonly number[], scratch: Bm25Scratch): void {
  const index = p.index;
  const { k1, b } = index.params;
  const avgdl = index.liveDocs > 0 ? index.totalLen / index.liveDocs : 1;
  if (index.queryWeight.length < index.postings.length) index.queryWeight = new Float64Array(Math.max(index.postings.length, index.queryWeight.length * 2));
  const qw = index.queryWeight;
  for (const qi of rest) qw[p.query.ids[qi] as number] = termWeight(p, qi);
  // IDF = weight × idfMass / (k1 + 1), recovered per hit term rather than kept in a second table.
  const toIdf = p.query.idfMass / (k1 + 1);
  const { touched } = scratch;
  const scores = scratch.scores[p.family] as Float64Array;
  const hits = scratch.hits[p.family] as Float64Array;
  try {
    for (let t = 0; t < scratch.nTouched; t++) {
      const d = touched[t] as number;
      const terms = index.docTerms[d];
      if (!terms) continue;
      const dl = index.docLen[d] as number;
      const norm = k1 * (1 - b + (b * dl) / avgdl);
      let add = 0;
      let hit = 0;
      for (let j = 0; j < terms.length; j += 2) {
        const w = qw[terms[j] as number] as number;
        if (w === 0) continue;
        const tf = terms[j + 1] as number;
        add += (w * tf) / (tf + norm);
        hit += w;
      }
      if (add !== 0) {
        scores[d] = (scores[d] as number) + add;
        hits[d] = (hits[d] as number) + hit * toIdf;
      }
    }
  } finally {
    for (const qi of rest) qw[p.query.ids[qi] as number] = 0;
  }
}

/** Binary search of a document in a posting list (documents are in increasing order). */
function findDoc(p: Posting, doc: number): number {
  let lo = 0;
  let hi = p.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = p.docs[mid] as number;
    if (v === doc) return mid;
    if (v < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Document coverage: the share of the document's IDF mass that the query's terms cover (1 when the query holds
 * every term of the document), from the IDF of the query terms the document holds (`scratch.hits` after
 * {@link bm25AccumulateAll}). Balances the query coverage, which alone would rate a one-word query a full match of
 * any question containing that word. Each document's IDF mass is cached until the index changes.
 */
export function docCoverage(index: Bm25, doc: number, hitIdf: number): number {
  const ids = index.docTerms[doc];
  if (!ids || ids.length === 0) return 0;
  if (index.massVersion !== index.version || index.docMass.length < index.docLen.length) {
    index.docMass = new Float64Array(index.docLen.length).fill(NaN);
    index.massVersion = index.version;
  }
  let mass = index.docMass[doc] as number;
  if (mass !== mass) {
    mass = 0;
    for (let j = 0; j < ids.length; j += 2) mass += bm25Idf(index, (index.postings[ids[j] as number] as Posting).df);
    index.docMass[doc] = mass;
  }
  return mass > 0 ? Math.min(1, hitIdf / mass) : 0;
}
