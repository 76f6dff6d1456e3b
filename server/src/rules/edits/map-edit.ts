// Edits that set `key: value` entries in a block mapping, creating the mapping (and its missing
// parents) at the document's indentation when it does not exist yet.
import { isMap, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { keyRange, nodeAt, type ManifestDocument, type ObjectPath } from '../../manifest';
import type { TextEdit } from '../../findings';
import { blockOfPair, columnOf, indentUnit, nextLineStart } from './line-blocks';
import { mappingLines, yamlScalar } from '../../text-edits';

/**
 * Sets each entry in the mapping at `mapPath` (replacing the value of keys that exist). Undefined
 * when the place is written in a style an edit cannot extend safely (a scalar, a nested flow map).
 */
export function setMapEntries(text: string, doc: ManifestDocument, mapPath: ObjectPath, entries: Record<string, unknown>): TextEdit[] | undefined {
  const target = nodeAt(doc, mapPath);
  if (isMap(target) && target.flow) return setInFlowMap(doc, target, entries);
  const flowParent = deepestFlowMap(doc, mapPath);
  if (flowParent) return addToFlowMap(text, doc, flowParent.map, flowParent.missing, entries);
  let depth = mapPath.length;
  while (depth > 0 && !isBlockMap(nodeAt(doc, mapPath.slice(0, depth)))) depth--;
  const parent = depth === 0 ? doc.yaml.contents : nodeAt(doc, mapPath.slice(0, depth));
  if (!isBlockMap(parent) || parent.items.length === 0) return undefined;
  const firstKey = parent.items[0].key as Node;
  const column = columnOf(text, doc.offset + firstKey.range![0]);
  // nest new mappings the way this part of the document is already nested
  const parentKey = depth > 0 ? keyRange(doc, mapPath.slice(0, depth)) : undefined;
  const unit = parentKey && column > columnOf(text, parentKey[0]) ? column - columnOf(text, parentKey[0]) : indentUnit(text, doc);

  if (depth === mapPath.length) return setInBlockMap(text, doc, parent.items as Pair<Node, Node | null>[], column, entries);

  const missing = mapPath.slice(depth).map(String);
  const existing = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === missing[0]) as Pair<Node, Node | null> | undefined;
  if (existing) {
    // `labels:` with nothing after it: the new entries go on the following lines
    const v = existing.value;
    const empty = v === null || (isScalar(v) && v.value === null && (!v.range || v.range[0] === v.range[1]));
    if (!empty) return undefined;
    const at = nextLineStart(text, doc.offset + (existing.key as Node).range![1]);
    const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return [{ range: [at, at], newText: newline + nested(missing.slice(1), entries, column + unit, unit) }];
  }
  const first = blockOfPair(text, doc, parent.items[0] as Pair<Node, Node | null>)!;
  // a mapping that is a sequence item (`- name: web`): its first line starts with the dash, so the
  // new mapping goes after its last entry instead
  if (text.slice(first.start, first.keyStart).trim() !== '') {
    const last = blockOfPair(text, doc, parent.items[parent.items.length - 1] as Pair<Node, Node | null>)!;
    const newline = last.end === text.length && !text.endsWith('\n') ? '\n' : '';
    return [{ range: [last.end, last.end], newText: newline + nested(missing, entries, column, unit) }];
  }
  return [{ range: [first.start, first.start], newText: nested(missing, entries, column, unit) }];
}

function setInBlockMap(text: string, doc: ManifestDocument, items: Pair<Node, Node | null>[], column: number, entries: Record<string, unknown>): TextEdit[] {
  const edits: TextEdit[] = [];
  const added: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entries)) {
    const pair = items.find((p) => isScalar(p.key) && String(p.key.value) === k);
    if (!pair) {
      added[k] = v;
      continue;
    }
    const keyRange = (pair.key as Node).range!;
    const valueEnd = pair.value?.range && pair.value.range[1] > pair.value.range[0] ? pair.value.range[1] : keyRange[1];
    edits.push({ range: [doc.offset + keyRange[0], doc.offset + valueEnd], newText: `${yamlScalar(k)}: ${yamlScalar(v)}` });
  }
  if (Object.keys(added).length > 0) {
    const last = blockOfPair(text, doc, items[items.length - 1])!;
    const lastLineEndsFile = !text.slice(last.start, last.end).endsWith('\n');
    edits.push({ range: [last.end, last.end], newText: (lastLineEndsFile ? '\n' : '') + mappingLines(added, column) });
  }
  return edits;
}

/** `{app: web}` becomes `{app: web, tier: api}`: a flat flow map of scalars is rewritten whole. */
function setInFlowMap(doc: ManifestDocument, map: YAMLMap, entries: Record<string, unknown>): TextEdit[] | undefined {
  if (!map.range || map.items.some((p) => !isScalar(p.key) || (p.value !== null && !isScalar(p.value)))) return undefined;
  const merged: Record<string, unknown> = {};
  for (const p of map.items) merged[String((p.key as Node & { value: unknown }).value)] = isScalar(p.value) ? p.value.value : null;
  Object.assign(merged, entries);
  const body = Object.entries(merged).map(([k, v]) => `${yamlScalar(k)}: ${yamlScalar(v)}`);
  return [{ range: [doc.offset + map.range[0], doc.offset + map.range[1]], newText: `{${body.join(', ')}}` }];
}

/**
 * The nearest existing ancestor of `mapPath` when it is a flow map (`securityContext: {readOnlyRootFilesystem: true}`,
 * a container written `{name: init, image: busybox}`), with the keys still missing below it.
 */
function deepestFlowMap(doc: ManifestDocument, mapPath: ObjectPath): { map: YAMLMap; missing: string[] } | undefined {
  for (let depth = mapPath.length - 1; depth >= 0; depth--) {
    const node = depth === 0 ? doc.yaml.contents : nodeAt(doc, mapPath.slice(0, depth));
    if (node === undefined || node === null) continue;
    const missing = mapPath.slice(depth);
    return isMap(node) && node.flow && missing.every((s) => typeof s === 'string') ? { map: node, missing: missing as string[] } : undefined;
  }
  return undefined;
}

/** `{name: init, image: busybox}` becomes `{name: init, image: busybox, securityContext: {runAsNonRoot: true}}`. */
function addToFlowMap(text: string, doc: ManifestDocument, map: YAMLMap, missing: string[], entries: Record<string, unknown>): TextEdit[] | undefined {
  if (!map.range) return undefined;
  const close = text.lastIndexOf('}', doc.offset + map.range[1] - 1);
  if (close < doc.offset + map.range[0]) return undefined;
  const before = text.slice(doc.offset + map.range[0] + 1, close).trimEnd();
  const separator = before === '' || before.endsWith(',') ? '' : ', ';
  const body = Object.entries(entries).map(([k, v]) => `${yamlScalar(k)}: ${yamlScalar(v)}`).join(', ');
  const value = missing.slice(1).reduceRight((inner, key) => `{${yamlScalar(key)}: ${inner}}`, `{${body}}`);
  const at = doc.offset + map.range[0] + 1 + before.length;
  return [{ range: [at, at], newText: `${separator}${yamlScalar(missing[0])}: ${value}` }];
}

function nested(segments: string[], entries: Record<string, unknown>, column: number, unit: number): string {
  const head = segments.map((s, i) => `${' '.repeat(column + i * unit)}${s}:\n`).join('');
  return head + mappingLines(entries, column + segments.length * unit);
}

function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow;
}
