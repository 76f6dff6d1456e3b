// Which workloads a capacity report places together: every workload document of the files given
// (`kdry capacity DIR`), or every one sharing the scope of a file (the Dry-run view's Capacity
// part: the file's kustomization or chart, else its folder, as the simulation checks group them).
// Patches and chart templates are not objects of their own and are left out.
import type { ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { isWorkloadDocument, scopeOf } from './run';

export interface ScopeWorkload {
  /** `uri#document index`. */
  key: string;
  uri: string;
  doc: ManifestDocument;
  object: Record<string, unknown>;
}

function workload(uri: string, doc: ManifestDocument): ScopeWorkload {
  return { key: `${uri}#${doc.index}`, uri, doc, object: doc.value as Record<string, unknown> };
}

/** The workloads written in `uris`, in the order given, then document order. */
export function workloadsOfFiles(workspace: WorkspaceIndex, uris: readonly string[]): ScopeWorkload[] {
  const out: ScopeWorkload[] = [];
  for (const uri of uris) {
    const file = workspace.get(uri);
    if (!file || workspace.isPatch(uri)) continue;
    for (const doc of file.documents) if (isWorkloadDocument(doc, true)) out.push(workload(uri, doc));
  }
  return out;
}

/** The workloads sharing a scope with the workloads of `uri` (its own first), and the scopes' ids. */
export function workloadsInScopeOf(workspace: WorkspaceIndex, uri: string): { scopes: string[]; workloads: ScopeWorkload[] } {
  const own = workloadsOfFiles(workspace, [uri]);
  const scopes = new Set(own.map((w) => scopeOf(workspace, w.uri, w.doc)));
  const workloads = [...own];
  if (scopes.size === 0) return { scopes: [], workloads };
  for (const { uri: other, doc } of workspace.documents()) {
    if (other === uri || !isWorkloadDocument(doc, true)) continue;
    if (scopes.has(scopeOf(workspace, other, doc))) workloads.push(workload(other, doc));
  }
  return { scopes: [...scopes], workloads };
}
