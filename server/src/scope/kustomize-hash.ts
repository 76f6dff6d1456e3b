// The content hash kustomize appends to a generated ConfigMap's or Secret's name (api/hasher/
// hasher.go Hasher.Hash): sha256 of a JSON encoding of the object's kind and data, as hex, cut
// to 10 characters with 0, 1, 3, a, e mapped to g, h, k, m, t (encode, so the suffix has no
// vowels and never reads as a word or a number).
// - ConfigMap (encodeConfigMap): {"binaryData"?, "data", "kind", "name"}, binaryData only when
//   the object has that map; Secret (encodeSecret): {"data", "kind", "name", "stringData"?,
//   "type"}. A missing field is "" (getNodeValues).
// - "name" is always "": getNodeValues looks the path "metadata/name" up as one field name
//   (yaml.Lookup does not split it), which no object has. So a prefix does not change the hash:
//   upstream's TestSimpleMultiplePatches builds a-b-configmap-in-base-798k5k7g9f and
//   staging-team-foo-configmap-in-base-798k5k7g9f from the same data.
// - Go's json.Marshal: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c ...
// Worked example (api/krusty/configmaps_test.go TestGeneratorIntVsStringNoMerge):
// {"data":{"crisis":"true","fruit":"Indian Gooseberry","year":"2020"},"kind":"ConfigMap","name":""}
// hashes to 79t79mt227, so the ConfigMap `bob` is built as bob-79t79mt227.
import { createHash } from 'node:crypto';
import { isRecord } from '../manifest';

/** The suffix kustomize gives a ConfigMap or Secret with this content. */
export function kustomizeHash(object: Record<string, unknown>): string {
  const field = (v: unknown) => (v === undefined || v === null ? '' : v);
  const encoded: Record<string, unknown> =
    object.kind === 'Secret'
      ? { kind: 'Secret', type: field(object.type), name: '', data: field(object.data), ...(isRecord(object.stringData) ? { stringData: object.stringData } : {}) }
      : { kind: 'ConfigMap', name: '', data: field(object.data), ...(isRecord(object.binaryData) ? { binaryData: object.binaryData } : {}) };
  return encode(createHash('sha256').update(goJson(encoded)).digest('hex'));
}

function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/** encoding/json Marshal of plain data: map keys sorted by their bytes, Go's HTML-safe string escapes. */
function goJson(value: unknown): string {
  return marshal(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function marshal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(marshal).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value ?? null);
  // Written by hand: a JavaScript object puts integer-like keys ("10", "9") first, Go sorts them as text.
  const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${marshal(value[k])}`).join(',')}}`;
}
