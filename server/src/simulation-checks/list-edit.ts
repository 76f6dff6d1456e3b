// One edit that adds an item (a flat mapping) to a block sequence under a mapping: after the
// list's last item when it exists, else as a new `field:` entry at the end of the mapping.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { keyRange, nodeAt, type ManifestDocument, type ObjectPath } from '../manifest';
import type { TextEdit } from '../findings';
import { yamlScalar } from '../text-edits';

/** Undefined when the place is written in a style one edit cannot extend safely (flow style, an alias). */
export function appendListItem(text: string, doc: ManifestDocument, mapPath: ObjectPath, field: string, item: Record<string, string>): TextEdit[] | undefined {
  const map = nodeAt(doc, mapPath);
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const list = nodeAt(doc, [...mapPath, field]);
  if (list !== undefined && list !== null) {
    if (!isSeq(list) || list.flow || list.items.length === 0) return undefined;
    const first = list.items[0] as Node;
    const last = list.items[list.items.length - 1] as Node;
    if (!first.range || !last.range) return undefined;
    const dashColumn = columnOf(text, doc.offset + first.range[0]) - 2;
    return [atLineStart(text, lineEndAfter(text, doc.offset + last.range[1]), itemLines(item, dashColumn))];
  }
  const firstKey = (map.items[0] as Pair<Node, Node | null>).key;
  const lastPair = map.items[map.items.length - 1] as Pair<Node, Node | null>;
  if (!isScalar(firstKey) || !firstKey.range) return undefined;
  const end = (lastPair.value as Node | null)?.range?.[1] ?? (lastPair.key as Node).range?.[1];
  if (end === undefined || keyRange(doc, mapPath) === undefined && mapPath.length > 0) return undefined;
  const column = columnOf(text, doc.offset + firstKey.range[0]);
  return [atLineStart(text, lineEndAfter(text, doc.offset + end), `${' '.repeat(column)}${field}:\n${itemLines(item, column)}`)];
}

/** An empty range at the start of the line after `offset` (the text's end when none follows). */
function lineEndAfter(text: string, offset: number): [number, number] {
  const before = text.lastIndexOf('\n', offset - 1);
  const lineHasContent = text.slice(before + 1, offset).trim().length > 0;
  const nl = lineHasContent ? text.indexOf('\n', offset) : before;
  const at = nl < 0 ? text.length : nl + 1;
  return [at, at];
}

/** Lines inserted at a line start; at the end of a text without a final newline, one goes first. */
function atLineStart(text: string, range: [number, number], lines: string): TextEdit {
  return { range, newText: range[0] === text.length && text.length > 0 && !text.endsWith('\n') ? `\n${lines}` : lines };
}

function itemLines(item: Record<string, string>, dashColumn: number): string {
  return Object.entries(item)
    .map(([k, v], i) => `${' '.repeat(dashColumn)}${i === 0 ? '- ' : '  '}${k}: ${yamlScalar(v)}\n`)
    .join('');
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}
