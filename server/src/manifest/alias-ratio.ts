// The API server's and kubectl's guard against alias bombs, applied before `yaml` builds a value.
// goyaml.v2 (and v3) decode.go `decoder.unmarshal` counts every node it decodes, and separately
// those it decodes inside an alias expansion, and refuses the document ("document contains
// excessive aliasing") once `aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount >
// allowedAliasRatio(decodeCount)`. So one anchor used 120 times in a Deployment is read, while a
// billion-laughs document is refused after a few thousand nodes. (`yaml`'s own maxAliasCount
// refused any anchor used 100 times.)
//
// The counts are computed without expanding anything: an alias adds its anchor's expanded size,
// memoised per node. Within one expansion both counts grow together, so the ratio is highest at
// the end of a top-level alias: checking there finds every document goyaml refuses.
import { isAlias, isCollection, isPair, isScalar, visit, type Document, type Node } from 'yaml';

export const EXCESSIVE_ALIASING = 'document contains excessive aliasing';

/** Sizes past this are all "a bomb"; it keeps the sums finite (Infinity / Infinity is NaN). */
const CAP = 1e15;

// decode.go: alias_ratio_range_low, alias_ratio_range_high.
const RANGE_LOW = 400_000;
const RANGE_HIGH = 4_000_000;

/** decode.go `allowedAliasRatio`: 99% of a small document may come from aliases, 10% of a very large one. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RANGE_LOW) return 0.99;
  if (decodeCount >= RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - RANGE_LOW) / (RANGE_HIGH - RANGE_LOW));
}

/** decode.go `decoder.unmarshal`'s test, after `decodeCount` nodes of which `aliasCount` came from aliases. */
export function aliasRatioExceeded(aliasCount: number, decodeCount: number): boolean {
  return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
}

/** Whether goyaml would refuse the document for its aliases (see the top of this file). */
export function excessiveAliasing(yaml: Document.Parsed): boolean {
  // Anchors as defined so far in document order: an alias names the last one before it.
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  let decodeCount = 1; // the document node
  let aliasCount = 0;
  let refused = false;
  const size = (node: unknown, open: Set<Node>): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      return target ? Math.min(CAP, 1 + size(target, open)) : 1;
    }
    if (!isCollection(node) && !isScalar(node)) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // An anchor whose value contains an alias of itself expands without end (goyaml: "anchor ... value contains itself").
    if (open.has(node)) return CAP;
    let total = 1;
    if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) total += isPair(item) ? size(item.key, open) + size(item.value, open) : size(item, open);
      open.delete(node);
    }
    total = Math.min(CAP, total);
    sizes.set(node, total);
    return total;
  };
  visit(yaml, {
    Node(_, node) {
      decodeCount++;
      if (isAlias(node)) {
        const expanded = size(node, new Set()) - 1;
        decodeCount += expanded;
        aliasCount += expanded;
        if (aliasRatioExceeded(aliasCount, decodeCount)) {
          refused = true;
          return visit.BREAK;
        }
      } else if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return refused;
}
