// Objects a Helm chart's templates name with template actions (`name: {{ include "app.fullname" . }}-config`).
// kdry does not render charts, so such a name cannot be resolved: a reference that finds nothing
// in scope may name one of them, and the message says so instead of guessing which.
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';
import { isRecord, valueRange, type ManifestDocument } from '../manifest';
import { relative } from 'node:path';
import { isBelow, uriToPath, type WorkspaceIndex } from '../workspace';
import { placementOf } from './scope';
import { templatedReferences } from './template-references';

export interface TemplatedName {
  /** The template file, relative to the chart's folder. */
  file: string;
  /** The name as the template writes it, actions included. */
  written: string;
}

/** The templated names of `kind` in the chart that holds `from` (none when it is in no chart). */
export function templatedNamesInChart(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, kind: string): TemplatedName[] {
  const chart = placementOf(workspace, from.uri, from.doc).units.find((u) => u.kind === 'chart');
  return chart ? (chartNames(workspace, chart.dir).get(kind) ?? []) : [];
}

/**
 * The references of `kind` in the chart that holds `from` whose names are made by template actions
 * (none when it is in no chart): any of them may name `from`, and kdry cannot tell (a rename leaves them alone and says so).
 */
export function templatedReferencesInChart(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, kind: string): TemplatedName[] {
  const chart = placementOf(workspace, from.uri, from.doc).units.find((u) => u.kind === 'chart');
  return chart ? (chartTemplates(workspace, chart.dir).references.get(kind) ?? []) : [];
}

function chartNames(workspace: WorkspaceIndex, dir: string): Map<string, TemplatedName[]> {
  return chartTemplates(workspace, dir).names;
}

/** By kind: the objects a chart's templates name with template actions, and the references they make so. */
interface ChartTemplates {
  names: Map<string, TemplatedName[]>;
  references: Map<string, TemplatedName[]>;
}

const perRevision = new WeakMap<WorkspaceIndex, { revision: number; byChart: Map<string, ChartTemplates> }>();

/** Every templated name of a chart's templates, by kind: read once per workspace revision (a check asks for each unresolved reference). */
function chartTemplates(workspace: WorkspaceIndex, dir: string): ChartTemplates {
  let memo = perRevision.get(workspace);
  if (memo?.revision !== workspace.revision) perRevision.set(workspace, (memo = { revision: workspace.revision, byChart: new Map() }));
  let found = memo.byChart.get(dir);
  if (found) return found;
  found = { names: new Map(), references: new Map() };
  const add = (byKind: Map<string, TemplatedName[]>, kind: string, entry: TemplatedName): void => {
    const list = byKind.get(kind);
    if (list) list.push(entry);
    else byKind.set(kind, [entry]);
  };
  for (const uri of workspace.uris()) {
    const path = uriToPath(uri);
    if (!path || !isBelow(path, dir)) continue;
    const file = workspace.get(uri)!;
    for (const doc of file.documents) {
      const masked = doc.template?.document;
      if (!doc.templated || !masked || !isRecord(masked.value) || typeof masked.value.kind !== 'string') continue;
      for (const { ref, written } of templatedReferences(file, masked)) add(found.references, ref.kind, { file: relative(dir, path), written });
      const name = isRecord(masked.value.metadata) ? masked.value.metadata.name : undefined;
      const range = valueRange(masked, ['metadata', 'name']);
      if (typeof name !== 'string' || !name.includes(TEMPLATE_PLACEHOLDER) || !range) continue;
      add(found.names, masked.value.kind, { file: relative(dir, path), written: file.text.slice(range[0], range[1]) });
    }
  }
  memo.byChart.set(dir, found);
  return found;
}

/**
 * For a reference that resolves to nothing: that the chart's templates name objects of its kind
 * with template actions kdry cannot resolve ('' when they do not).
 */
export function templatedNamesNote(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, kind: string): string {
  const names = templatedNamesInChart(workspace, from, kind);
  if (names.length === 0) return '';
  const listed = names.slice(0, 3).map((n) => `\`${n.written}\` in \`${n.file}\``).join(', ');
  return ` The chart's templates name ${names.length === 1 ? `a ${kind}` : `${names.length} ${kind}s`} with template actions (${listed}${names.length > 3 ? ', ...' : ''}), which kdry cannot resolve without rendering the chart: it may be ${names.length === 1 ? 'that one' : 'one of them'}.`;
}
