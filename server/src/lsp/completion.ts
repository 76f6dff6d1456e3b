// Completion: keys the schema allows in the mapping at the cursor (required first, blocks as
// snippets for objects and lists), enum values (true/false for booleans) after `key:`, and
// apiVersion/kind pairs.
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar } from 'yaml';
import { KNOWN_KINDS, nodeAt, pathAtOffset, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import { documentAt, kindKeyOf, readableDocument } from './documents';
import { tooLargeForEditorFeatures } from './large-documents';
import { propertiesAt, schemaAt, schemaCatalog, type PropertyCompletion, type SchemaCatalog, type SchemaInfo } from '../schema';
import { customPropertiesAt, customSchemaAt } from '../crd/field-info';
import type { WorkspaceIndex } from '../workspace';

const KEY_PREFIX = /^(\s*)(-\s+)?([\w./-]*)$/;
const VALUE_PREFIX = /^(\s*)(-\s+)?([\w./-]+):[ \t]+(\S*)$/;
const KEY_LINE = /^(\s*)(-\s+)?([^\s#'"][^:#]*?):(\s|$)/;

/** `catalog`: the schemas of the target Kubernetes release. */
export function completion(text: TextDocument, file: ManifestFile, offset: number, workspace?: WorkspaceIndex, catalog: SchemaCatalog = schemaCatalog()): CompletionItem[] {
  const pos = text.positionAt(offset);
  const prefix = text.getText({ start: { line: pos.line, character: 0 }, end: pos });
  const written = documentAt(file, offset);
  if (tooLargeForEditorFeatures(written)) return [];
  const doc = readableDocument(written) ?? written; // a template mid-edit: its raw tree still helps
  if (!doc) return [];
  const kindKey = kindKeyOf(doc);
  const value = VALUE_PREFIX.exec(prefix);
  if (value) {
    const col = value[1].length + (value[2]?.length ?? 0);
    const parent = parentPath(doc, text, pos.line, col);
    const key = value[3];
    if (parent.length === 0 && (key === 'apiVersion' || key === 'kind')) return kindValues(key, doc, catalog);
    if (!kindKey) return [];
    const schema = schemaAt(kindKey, [...parent, key], catalog) ?? customSchema(workspace, kindKey, [...parent, key]);
    const values = schema?.enum ?? (schema?.type === 'boolean' ? ['true', 'false'] : []);
    return values.map((v, i) => ({ label: String(v), kind: CompletionItemKind.EnumMember, sortText: String(i).padStart(3, '0') }));
  }
  const key = KEY_PREFIX.exec(prefix);
  if (!key) return [];
  const dash = !!key[2];
  const col = key[1].length + (key[2]?.length ?? 0);
  const parent = parentPath(doc, text, pos.line, col);
  // `- ` under `containers:` starts a new item: complete the item's keys
  if (dash && typeof parent[parent.length - 1] !== 'number') parent.push(0);
  const items: CompletionItem[] = parent.length === 0 ? kindPairs(doc, catalog) : [];
  if (!kindKey) return items;
  const existing = dash ? new Set<string>() : keysOf(doc, parent);
  const properties = propertiesAt(kindKey, parent, catalog);
  for (const p of properties.length ? properties : customProperties(workspace, kindKey, parent)) if (!existing.has(p.name)) items.push(keyItem(p));
  return items;
}

/** A custom resource's schema at `path`, from its CRD in the workspace or kdry's bundled snapshot. */
function customSchema(workspace: WorkspaceIndex | undefined, kindKey: string, path: ObjectPath): SchemaInfo | undefined {
  return workspace && customSchemaAt(workspace, kindKey, path);
}

function customProperties(workspace: WorkspaceIndex | undefined, kindKey: string, path: ObjectPath): PropertyCompletion[] {
  return workspace ? customPropertiesAt(workspace, kindKey, path) : [];
}

/** The path of the mapping a new key at `line`/`col` would belong to, from indentation. */
export function parentPath(doc: ManifestDocument, text: TextDocument, line: number, col: number): ObjectPath {
  const firstLine = text.positionAt(doc.range[0]).line;
  for (let l = line - 1; l >= firstLine; l--) {
    const s = text.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } });
    const m = KEY_LINE.exec(s);
    if (!m) continue;
    const keyCol = m[1].length + (m[2]?.length ?? 0);
    if (keyCol > col) continue;
    const at = pathAtOffset(doc, text.offsetAt({ line: l, character: keyCol }));
    if (!at || !at.onKey) return [];
    return keyCol < col ? at.path : at.path.slice(0, -1);
  }
  return [];
}

function keysOf(doc: ManifestDocument, path: ObjectPath): Set<string> {
  const node = path.length === 0 ? doc.yaml.contents : nodeAt(doc, path);
  const keys = new Set<string>();
  if (isMap(node)) for (const p of node.items) if (isScalar(p.key)) keys.add(String(p.key.value));
  return keys;
}

function keyItem(p: PropertyCompletion): CompletionItem {
  const body = p.type === 'object' ? `${p.name}:\n  $0` : p.type === 'array' ? `${p.name}:\n  - $0` : `${p.name}: $0`;
  return {
    label: p.name,
    kind: CompletionItemKind.Property,
    detail: `${p.required ? 'required ' : ''}${p.type ?? ''}`.trim(),
    documentation: p.description,
    sortText: `${p.required ? '0' : '1'}${p.name}`,
    insertText: body,
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

/** Top-level items that write both lines at once: `apiVersion: apps/v1` + `kind: Deployment`. */
function kindPairs(doc: ManifestDocument, catalog: SchemaCatalog): CompletionItem[] {
  if (kindKeyOf(doc)) return [];
  return completableKinds(catalog).map((k, i) => ({
    label: `${k.apiVersion} ${k.kind}`,
    kind: CompletionItemKind.Module,
    detail: 'apiVersion and kind',
    filterText: `apiVersion ${k.kind}`,
    sortText: String(i).padStart(3, '0'),
    insertText: `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\n`,
    insertTextFormat: InsertTextFormat.PlainText,
  }));
}

function kindValues(key: 'apiVersion' | 'kind', doc: ManifestDocument, catalog: SchemaCatalog): CompletionItem[] {
  const c = doc.yaml.contents;
  const other = isMap(c) ? c.get(key === 'kind' ? 'apiVersion' : 'kind') : undefined;
  const kinds = completableKinds(catalog);
  const matching = kinds.filter((k) => typeof other !== 'string' || (key === 'kind' ? k.apiVersion === other : k.kind === other));
  const values = [...new Set(matching.map((k) => (key === 'kind' ? k.kind : k.apiVersion)))];
  return values.map((v, i) => ({ label: v, kind: CompletionItemKind.Value, sortText: String(i).padStart(3, '0'), detail: key === 'kind' ? matching.find((k) => k.kind === v)?.apiVersion : undefined }));
}

/** Every kind the release serves: the workload kinds kdry simulates first, then the rest by name. */
function completableKinds(catalog: SchemaCatalog): { apiVersion: string; kind: string }[] {
  const workloads = new Set(KNOWN_KINDS.map((k) => `${k.apiVersion}/${k.kind}`));
  const others = [...catalog.release.kinds.entries()]
    .filter(([key]) => !workloads.has(key))
    .map(([, k]) => k)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.apiVersion.localeCompare(b.apiVersion));
  return [...KNOWN_KINDS, ...others];
}
