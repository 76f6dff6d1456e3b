// Generated names as the API server makes them (generateName + a random suffix), made
// deterministic: the suffix is a seeded hash, so the same input always gives the same names.

/** kube's rand.String alphabet: no vowels (no words), no confusable 0/1/3. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `text`, continuing from hash `h` (fnv1a(a + b, basis) = fnv1a(b, fnv1a(a, basis))). */
function fnv1a(text: string, h: number): number {
  h >>>= 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

/** The suffix's character codes, reused: one string is made per suffix, not one per character. */
const suffixCodes = new Uint16Array(64);

/**
 * A deterministic, random-looking suffix in kube's alphabet: the same seed gives the same suffix.
 * Round r hashes `${seed}#${r}` (continuing the seed's hash, not making that string: a rollout
 * names 20,000 pods) and mixes in the seed hashed from another basis.
 */
export function nameSuffix(seed: string, length = 5): string {
  // Bad lengths never loop: at most 64 characters.
  const wanted = Number.isFinite(length) ? Math.min(Math.max(Math.floor(length), 0), 64) : 5;
  const seedHash = fnv1a(seed, FNV_OFFSET_BASIS);
  let made = 0;
  let round = 0;
  while (made < wanted) {
    const roundHash = fnv1a(String(round), fnv1a('#', seedHash));
    round++;
    let h = roundHash ^ fnv1a(seed, 0x9747b28c + round);
    for (let i = 0; i < 6 && made < wanted; i++) {
      suffixCodes[made++] = NAME_SUFFIX_ALPHABET.charCodeAt((h >>> 0) % NAME_SUFFIX_ALPHABET.length);
      h = Math.floor((h >>> 0) / NAME_SUFFIX_ALPHABET.length);
    }
  }
  // Every pod name's suffix has 5 characters: made from the codes directly, without an argument list.
  if (wanted === 5) return String.fromCharCode(suffixCodes[0], suffixCodes[1], suffixCodes[2], suffixCodes[3], suffixCodes[4]);
  return String.fromCharCode(...suffixCodes.subarray(0, wanted));
}
