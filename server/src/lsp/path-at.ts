// The object path under the cursor, for hover and completion. manifest/pathAtOffset treats node
// ranges as inclusive at both ends, so at the first character of `spec:` after a `metadata:` block
// it walks into metadata (whose block ends where `spec` starts). Here a key that contains the
// offset wins over a neighbour's value that merely ends there.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ManifestDocument, ObjectPath } from '../manifest';

export interface CursorPath {
  path: ObjectPath;
  onKey: boolean;
}

export function cursorPath(doc: ManifestDocument, fileOffset: number): CursorPath | undefined {
  const offset = fileOffset - doc.offset;
  const path: ObjectPath = [];
  let node: unknown = doc.yaml.contents;
  for (;;) {
    if (isMap(node)) {
      const hit = node.items.find((p) => contains(p.key, offset)) ?? node.items.find((p) => contains(p.value, offset));
      if (!hit || !isScalar(hit.key)) break;
      path.push(String(hit.key.value));
      if (contains(hit.key, offset)) return { path, onKey: true };
      node = hit.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => contains(item, offset));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path.length || contains(doc.yaml.contents, offset) ? { path, onKey: false } : undefined;
}

function contains(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}
