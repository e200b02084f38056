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
  /** Unique term ids of each live document, for removal and the document-side coverage. */
  docTerms: (Int32Array | null)[];
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
  const ids = new Int32Array(tf.size);
  let k = 0;
  for (const [id, count] of tf) {
    ids[k++] = id;
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
  index.livePostings += ids.length;
}

/** Removes a live document; its postings are dropped later by {@link compactBm25}. */
export function bm25Remove(index: Bm25, doc: number): void {
  const ids = index.docTerms[doc];
  if (!ids) return;
  for (const id of ids) (index.postings[id] as Posting).df--;
  index.liveDocs--;
  index.totalLen -= index.docLen[doc] as number;
  index.docLen[doc] = -1;
  index.docTerms[doc] = null;
  index.livePostings -= ids.length;
  index.deadPostings += ids.length;
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
  readonly touched: Int32Array;
  nTouched: number;
  /** Marks documents already in `touched`. */
  readonly seen: Uint8Array;
}

export function createScratch(families: number, size: number): Bm25Scratch {
  return {
    scores: Array.from({ length: families }, () => new Float64Array(size)),
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

/**
 * Adds `BM25(q, d) / idfMass` (the query coverage, 1 for a document that holds every query term once at
 * average length) to `scratch.scores[family][d]` for every live document `d` sharing a term with the query.
 *
 * Cost control for large indexes: terms are visited rarest first, and a term held by more than `openLimit`
 * documents only adds to documents a rarer term already touched. Such terms carry little IDF, so a document matching
 * nothing else could not score high anyway; this keeps a query on a 100k-entry index to a few thousand postings.
 */
export function bm25Accumulate(index: Bm25, query: Bm25Query, scratch: Bm25Scratch, family: number, openLimit: number): void {
  if (query.ids.length === 0 || query.idfMass <= 0) return;
  const { k1, b } = index.params;
  const avgdl = index.liveDocs > 0 ? index.totalLen / index.liveDocs : 1;
  const order = query.ids.map((_, i) => i).sort((x, y) => (query.idfs[y] as number) - (query.idfs[x] as number));
  const scale = 1 / query.idfMass;
  const { touched, seen } = scratch;
  const scores = scratch.scores[family] as Float64Array;
  for (const qi of order) {
    const p = index.postings[query.ids[qi] as number] as Posting;
    const w = (query.idfs[qi] as number) * (k1 + 1) * scale;
    const open = p.df <= openLimit || scratch.nTouched === 0;
    if (open) {
      for (let r = 0; r < p.n; r++) {
        const d = p.docs[r] as number;
        const dl = index.docLen[d] as number;
        if (dl < 0) continue;
        const tf = p.tfs[r] as number;
        if (seen[d] === 0) {
          seen[d] = 1;
          touched[scratch.nTouched++] = d;
        }
        scores[d] = (scores[d] as number) + (w * tf) / (tf + k1 * (1 - b + (b * dl) / avgdl));
      }
    } else if (p.n <= scratch.nTouched * 4) {
      // Short posting list: walk it and keep the documents already touched.
      for (let r = 0; r < p.n; r++) {
        const d = p.docs[r] as number;
        if (seen[d] === 0) continue;
        const dl = index.docLen[d] as number;
        if (dl < 0) continue;
        const tf = p.tfs[r] as number;
        scores[d] = (scores[d] as number) + (w * tf) / (tf + k1 * (1 - b + (b * dl) / avgdl));
      }
    } else {
      // Long posting list, few touched documents: binary-search each of them.
      for (let t = 0; t < scratch.nTouched; t++) {
        const d = touched[t] as number;
        const r = findDoc(p, d);
        if (r < 0) continue;
        const dl = index.docLen[d] as number;
        if (dl < 0) continue;
        const tf = p.tfs[r] as number;
        scores[d] = (scores[d] as number) + (w * tf) / (tf + k1 * (1 - b + (b * dl) / avgdl));
      }
    }
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
 * every term of the document). Balances the query coverage, which alone would rate a one-word query a full match
 * of any question containing that word.
 */
export function docCoverage(index: Bm25, doc: number, queryIds: ReadonlySet<number>): number {
  const ids = index.docTerms[doc];
  if (!ids || ids.length === 0) return 0;
  let all = 0;
  let hit = 0;
  for (const id of ids) {
    const idf = bm25Idf(index, (index.postings[id] as Posting).df);
    all += idf;
    if (queryIds.has(id)) hit += idf;
  }
  return all > 0 ? hit / all : 0;
}
