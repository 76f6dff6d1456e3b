// Rebuilds a workload's strategy block from rollout fields scattered at the wrong levels: every
// field's own lines (comments included) are moved under `strategy` / `rollingUpdate` and
// re-indented with the document's indentation. The result is checked by re-parsing it.
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { isRecord, keyRange, nodeAt, pairAt, parseManifest, type ManifestDocument, type ManifestFile, type ObjectPath } from '../../manifest';
import type { Fix, TextEdit } from '../../findings';
import { applyTextEdits } from '../../text-edits';
import { blockOfPair, columnOf, headerLine, indentUnit, reindentBlock } from './line-blocks';
import type { RolloutLayout } from '../lookup/rollout-layout';

export interface MisplacedField {
  path: ObjectPath;
  target: ObjectPath;
}

type AnyPair = Pair<Node, Node | null>;

/** The one fix for all misplaced fields of a document, or undefined when it cannot be made safely. */
export function rebuildStrategyFix(file: ManifestFile, doc: ManifestDocument, layout: RolloutLayout, misplaced: MisplacedField[]): Fix | undefined {
  const text = file.text;
  const S = layout.strategyField;
  const spec = nodeAt(doc, ['spec']);
  if (!isMap(spec) || spec.flow || misplaced.length === 0) return undefined;
  const specKey = keyRange(doc, ['spec'])!;
  const column = columnOf(text, doc.offset + (spec.items[0].key as Node).range![0]);
  const unit = column > columnOf(text, specKey[0]) ? column - columnOf(text, specKey[0]) : indentUnit(text, doc);

  const parts = {
    type: [] as AnyPair[],
    rollingUpdate: [] as AnyPair[],
    params: [] as AnyPair[],
    otherStrategy: [] as AnyPair[],
    otherRolling: [] as AnyPair[],
    /** spec fields written inside the strategy block: they go back under spec, after it */
    outward: [] as AnyPair[],
  };
  const strategyPair = pairAt(doc, ['spec', S]) as AnyPair | undefined;
  const collectRolling = (p: AnyPair): boolean => {
    parts.rollingUpdate.push(p);
    if (!isContainer(p.value)) return false;
    for (const c of mapItems(p.value)) {
      const k = keyOf(c);
      if (k === 'type') parts.type.push(c);
      else if (layout.params.includes(k)) parts.params.push(c);
      else if (layout.specFields.includes(k)) parts.outward.push(c);
      else parts.otherRolling.push(c);
    }
    return true;
  };
  if (strategyPair) {
    if (!isContainer(strategyPair.value)) return undefined;
    for (const c of mapItems(strategyPair.value)) {
      const k = keyOf(c);
      if (k === 'type') parts.type.push(c);
      else if (k === 'rollingUpdate') {
        if (!collectRolling(c)) return undefined;
      } else if (layout.params.includes(k)) parts.params.push(c);
      else if (layout.specFields.includes(k)) parts.outward.push(c);
      else parts.otherStrategy.push(c);
    }
  }
  const specLevel = misplaced.filter((m) => m.path.length === 2).map((m) => pairAt(doc, m.path) as AnyPair);
  for (const p of specLevel) {
    const k = keyOf(p);
    if (k === 'type') parts.type.push(p);
    else if (k === 'rollingUpdate') {
      if (!collectRolling(p)) return undefined;
    } else parts.params.push(p);
  }
  // two values for one field: which one the user meant is not ours to guess
  const paramKeys = parts.params.map(keyOf);
  if (parts.type.length > 1 || new Set(paramKeys).size !== paramKeys.length) return undefined;

  const pad = (n: number) => ' '.repeat(n);
  let block = strategyPair ? headerLine(text, doc, strategyPair, column) : `${pad(column)}${S}:\n`;
  for (const p of parts.type) block += reindentBlock(text, blockOfPair(text, doc, p)!, column + unit);
  if (parts.rollingUpdate.length || parts.params.length || parts.otherRolling.length) {
    block += parts.rollingUpdate[0] ? headerLine(text, doc, parts.rollingUpdate[0], column + unit) : `${pad(column + unit)}rollingUpdate:\n`;
    for (const p of [...parts.params, ...parts.otherRolling].sort(byOffset)) block += reindentBlock(text, blockOfPair(text, doc, p)!, column + 2 * unit);
  }
  for (const p of parts.otherStrategy) block += reindentBlock(text, blockOfPair(text, doc, p)!, column + unit);
  for (const p of parts.outward.sort(byOffset)) block += reindentBlock(text, blockOfPair(text, doc, p)!, column);

  const edits: TextEdit[] = [];
  const removals = specLevel.map((p) => blockOfPair(text, doc, p)!);
  if (strategyPair) {
    const own = blockOfPair(text, doc, strategyPair)!;
    edits.push({ range: [own.start, own.end], newText: block });
    for (const r of removals) edits.push({ range: [r.start, r.end], newText: '' });
  } else {
    removals.sort((a, b) => a.start - b.start);
    removals.forEach((r, i) => edits.push({ range: [r.start, r.end], newText: i === 0 ? block : '' }));
  }
  const where = `spec.${S}`;
  const fix: Fix = { title: `Move the rollout fields into ${where} (re-indent the block)`, edits, preferred: true };
  return verified(doc, misplaced, fix) ? fix : undefined;
}

/**
 * Applies the fix and checks the document now holds exactly the same values at their new paths.
 * The edits stay inside the document, so only its own text is edited and parsed again (the whole
 * file per document would make a file of many such documents quadratic).
 */
function verified(doc: ManifestDocument, misplaced: MisplacedField[], fix: Fix): boolean {
  const end = doc.offset + doc.source.length;
  if (fix.edits.some((e) => e.range[0] < doc.offset || e.range[1] > end)) return false;
  let fixed: string;
  try {
    fixed = applyTextEdits(doc.source, fix.edits.map((e) => ({ range: [e.range[0] - doc.offset, e.range[1] - doc.offset], newText: e.newText })));
  } catch {
    return false;
  }
  const after = parseManifest(fixed).documents[0];
  if (!after || after.problems.some((p) => p.severity === 'error')) return false;
  const expected = structuredClone(doc.value);
  for (const m of [...misplaced].sort((a, b) => b.path.length - a.path.length)) move(expected, m.path, m.target);
  return isDeepStrictEqual(after.value, expected);
}

function move(root: unknown, from: ObjectPath, to: ObjectPath): void {
  const parent = walk(root, from.slice(0, -1));
  if (!isRecord(parent)) return;
  const key = String(from[from.length - 1]);
  const value = parent[key];
  delete parent[key];
  let at = root as Record<string, unknown>;
  for (const seg of to.slice(0, -1)) {
    if (!isRecord(at[String(seg)])) at[String(seg)] = {};
    at = at[String(seg)] as Record<string, unknown>;
  }
  const last = String(to[to.length - 1]);
  at[last] = isRecord(at[last]) && isRecord(value) ? { ...(at[last] as object), ...value } : value ?? (isRecord(at[last]) ? at[last] : value);
}

function walk(root: unknown, path: ObjectPath): unknown {
  let v = root;
  for (const seg of path) v = isRecord(v) ? v[String(seg)] : undefined;
  return v;
}

/** A value new children can be written under: a block map, nothing, or an empty `{}`. */
function isContainer(v: unknown): boolean {
  return (isMap(v) && (!v.flow || v.items.length === 0)) || (isScalar(v) && v.value === null) || v === null;
}

function mapItems(v: unknown): AnyPair[] {
  return isMap(v) ? (v.items as AnyPair[]) : [];
}

function keyOf(p: AnyPair): string {
  return isScalar(p.key) ? String(p.key.value) : '';
}

function byOffset(a: AnyPair, b: AnyPair): number {
  return a.key!.range![0] - b.key!.range![0];
}
