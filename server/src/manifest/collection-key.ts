// A map or list used as a mapping key (`? [a, b]`, `{[a]: 1}`, `? ? ? 1`). Kubernetes reads YAML
// into Go maps and refuses such a key: goyaml.v2 decode.go `decoder.mapping` fails with
// "invalid map key: %#v" when a key decodes to a map or slice (sigs.k8s.io/yaml's Unmarshal, which
// kubectl and the API server use, reports it as "error converting YAML to JSON: yaml: invalid map
// key: ..."). The `yaml` library instead turns the key into a string, re-serialising it at every
// level: 250 nested keys (1.2 KB) took seconds. So a document with one is refused before toJS.
import { isCollection, visit, type Document } from 'yaml';
import type { Offsets } from './types';

export const COLLECTION_KEY_MESSAGE = 'A map or list is used as a map key here: Kubernetes reads keys as strings and refuses this document (`yaml: invalid map key`); the document is not checked further';

/** The range of the first (outermost) map key that is a collection, or undefined. */
export function collectionKey(yaml: Document.Parsed): Offsets | undefined {
  let found: Offsets | undefined;
  visit(yaml, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return undefined;
      const range = pair.key.range;
      found = range ? [range[0], Math.max(range[1], range[0] + 1)] : [0, 1];
      return visit.BREAK;
    },
  });
  return found;
}
