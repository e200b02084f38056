// 32-bit feature hashing (MurmurHash3 block mixing). Features are never materialised as strings: a feature is the
// hash of its template id and the hashes of the units it looks at, so featurising a message allocates no strings.
// The functions are part of the saved-model contract: changing them changes every feature id (bump formatVersion).

/** FNV-1a over the UTF-16 units of `s`, finalised. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return finish(h ^ s.length);
}

/** Mixes one 32-bit value into a running hash (MurmurHash3 body step). */
export function combine(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let r = h ^ k;
  r = (r << 13) | (r >>> 19);
  return (Math.imul(r, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 finaliser; the result is an unsigned 32-bit integer. */
export function finish(h: number): number {
  let r = h ^ (h >>> 16);
  r = Math.imul(r, 0x85ebca6b);
  r ^= r >>> 13;
  r = Math.imul(r, 0xc2b2ae35);
  r ^= r >>> 16;
  return r >>> 0;
}
