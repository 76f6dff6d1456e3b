// The node each alias of a `yaml` document tree stands for: the last node anchored with its name
// before it, in the order `visit` meets them (a collection before its items, a key before its
// value). `yaml`'s own Alias.resolve walks the document up to the alias on every call (nodes/Alias.js),
// so a lookup through each of many aliases was quadratic; here one walk per tree answers them all.
import { isAlias, visit, type Alias, type Document, type Node } from 'yaml';

const targetsOf = new WeakMap<Document, Map<Alias, Node>>();

/** What `alias.resolve(doc)` gives, from one walk of `doc` (a parsed tree, never changed afterwards). */
export function aliasTarget(doc: Document, alias: Alias): Node | undefined {
  let targets = targetsOf.get(doc);
  if (!targets) {
    const found = (targets = new Map());
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node(_, node) {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target) found.set(node, target);
        } else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
    targetsOf.set(doc, targets);
  }
  return targets.get(alias);
}
