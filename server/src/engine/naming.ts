// Generated names as the API server makes them (generateName + a random suffix), made
// deterministic: the suffix is a seeded hash, so the same input always gives the same names.

/** kube's rand.String alphabet: no vowels (no words), no confusable 0/1/3. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A deterministic, random-looking suffix in kube's alphabet: the same seed gives the same suffix. */
export function nameSuffix(seed: string, length = 5): string {
  // Bad lengths never loop: at most 64 characters.
  const wanted = Number.isFinite(length) ? Math.min(Math.max(Math.floor(length), 0), 64) : 5;
  let out = '';
  let round = 0;
  while (out.length < wanted) {
    let h = fnv1a(`${seed}#${round++}`, 0x811c9dc5) ^ fnv1a(seed, 0x9747b28c + round);
    for (let i = 0; i < 6 && out.length < wanted; i++) {
      out += NAME_SUFFIX_ALPHABET[(h >>> 0) % NAME_SUFFIX_ALPHABET.length];
      h = Math.floor((h >>> 0) / NAME_SUFFIX_ALPHABET.length);
    }
  }
  return out;
}
