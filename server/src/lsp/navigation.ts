// Go to definition, find references, rename and document links between objects (scope/links.ts),
// as LSP shapes. Targets in files that are not open are converted with their indexed text.
import type { DocumentLink, Location, WorkspaceEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestFile } from '../manifest';
import { isJsonPath, type WorkspaceIndex } from '../workspace';
import { definitionsAt, linksOf, referencesAt, renameAt, templatedReferencesLeftAlone, type Place } from '../scope/links';
import { kustomizationPathLinks } from '../scope/kustomization-paths';
import { yamlScalar } from '../text-edits';
import { toRange } from './convert';

const lineIndexes = new WeakMap<ManifestFile, TextDocument>();

/** Positions in any indexed file, from its text (one line index per parsed file). */
function textOf(workspace: WorkspaceIndex, uri: string): TextDocument | undefined {
  const file = workspace.get(uri);
  if (!file) return undefined;
  let doc = lineIndexes.get(file);
  if (!doc) lineIndexes.set(file, (doc = TextDocument.create(uri, 'yaml', 0, file.text)));
  return doc;
}

/** Where a place of any indexed file is, as an LSP location. */
export function toLocation(workspace: WorkspaceIndex, place: Place): Location | undefined {
  const text = textOf(workspace, place.uri);
  return text && { uri: place.uri, range: toRange(text, place.range) };
}

export function definition(workspace: WorkspaceIndex, file: ManifestFile, offset: number): Location[] {
  return definitionsAt(workspace, file, offset).flatMap((p) => toLocation(workspace, p) ?? []);
}

export function references(workspace: WorkspaceIndex, file: ManifestFile, offset: number, includeDeclaration: boolean): Location[] {
  const found = referencesAt(workspace, file, offset).flatMap((p) => toLocation(workspace, p) ?? []);
  if (!includeDeclaration) return found;
  const own = textOf(workspace, file.uri);
  const word = own && wordAt(file.text, offset);
  return own && word ? [{ uri: file.uri, range: toRange(own, word) }, ...found] : found;
}

export function documentLinks(workspace: WorkspaceIndex, file: ManifestFile): DocumentLink[] {
  const own = textOf(workspace, file.uri);
  if (!own) return [];
  const objects = linksOf(workspace, file).flatMap((link) => {
    const target = toLocation(workspace, link.target);
    // VS Code opens `file#L12,5` at that line and column.
    return target ? [{ range: toRange(own, link.range), target: `${target.uri}#L${target.range.start.line + 1},${target.range.start.character + 1}`, tooltip: 'Go to the referenced object' }] : [];
  });
  const paths = kustomizationPathLinks(workspace, file).map((link): DocumentLink => ({ range: toRange(own, link.range), target: link.target, tooltip: 'Open the file' }));
  return paths.length ? [...objects, ...paths] : objects;
}

/** The range a rename would change at `offset`, or undefined when nothing there can be renamed. */
export function prepareRename(workspace: WorkspaceIndex, file: ManifestFile, offset: number): { range: ReturnType<typeof toRange>; placeholder: string } | undefined {
  const edits = renameAt(workspace, file, offset, '');
  const own = textOf(workspace, file.uri);
  const at = edits?.find((e) => e.uri === file.uri && e.range[0] <= offset && offset <= e.range[1]);
  return at && own ? { range: toRange(own, at.range), placeholder: file.text.slice(at.range[0], at.range[1]) } : undefined;
}

export function rename(workspace: WorkspaceIndex, file: ManifestFile, offset: number, newName: string): WorkspaceEdit | null {
  const edits = renameAt(workspace, file, offset, yamlScalar(newName));
  if (!edits?.length) return null;
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) {
    const text = textOf(workspace, e.uri);
    // A JSON manifest's names and labels are JSON strings: quoted, whatever the name.
    const newText = isJsonPath(e.uri) ? JSON.stringify(newName) : e.newText;
    if (text) (changes[e.uri] ??= []).push({ range: toRange(text, e.range), newText });
  }
  return { changes };
}

/**
 * What a rename of an object's name at `offset` leaves alone, in words for the editor (a rename's
 * WorkspaceEdit cannot carry a note): the references of its chart whose names are made by template
 * actions. Undefined when there are none.
 */
export function renameLeftAlone(workspace: WorkspaceIndex, file: ManifestFile, offset: number): string | undefined {
  const left = templatedReferencesLeftAlone(workspace, file, offset);
  if (!left) return undefined;
  const n = left.references.length;
  const SHOWN = 3;
  const listed = left.references.slice(0, SHOWN).map((r) => `${r.written} in ${r.file}`).join(', ') + (n > SHOWN ? `, and ${n - SHOWN} more` : '');
  return `kdry left alone ${n === 1 ? 'a reference' : `${n} references`} to a ${left.kind} in the chart whose name is made by template actions (${listed}): it cannot tell without rendering the chart whether ${n === 1 ? 'it names' : 'they name'} ${left.kind} ${left.name}. Check ${n === 1 ? 'it' : 'them'} by hand.`;
}

function wordAt(text: string, offset: number): [number, number] | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w.-]/.test(text[start - 1])) start--;
  while (end < text.length && /[\w.-]/.test(text[end])) end++;
  return end > start ? [start, end] : undefined;
}
