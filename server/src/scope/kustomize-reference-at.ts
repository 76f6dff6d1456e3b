// The object a kustomization names by name at an offset of its file (`replicas: - name: web`, a
// patch's `target.name`, a replacement's source): the reverse of kustomizeReferencesTo, so go to
// definition and rename work from the kustomization's side too. Only the objects the kustomization
// builds are candidates (its members); a name there reaches nothing else.
import type { ManifestFile } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { isKustomization } from '../workspace/kustomize';
import { kustomizeReferencesTo, type KustomizeNameReference } from './kustomize-name-references';
import { unitIndex } from './scope';

export interface KustomizeReferenceAt {
  target: IndexedDocument;
  reference: KustomizeNameReference;
}

/** Each object the name under `offset` of a kustomization file refers to (several when a patch target names a kind-less name). */
export function kustomizeReferencesAt(workspace: WorkspaceIndex, file: ManifestFile, offset: number): KustomizeReferenceAt[] {
  if (!isKustomization(file.uri)) return [];
  const unit = unitIndex(workspace).kustomization(file.uri);
  if (!unit) return [];
  const out: KustomizeReferenceAt[] = [];
  for (const uri of unit.members ?? []) {
    const member = workspace.get(uri);
    for (const doc of member?.documents ?? []) {
      if (!doc.kind || !doc.name) continue;
      const target: IndexedDocument = { uri, file: member!, doc };
      const reference = kustomizeReferencesTo(workspace, target).find((r) => r.uri === file.uri && r.range[0] <= offset && offset <= r.range[1]);
      if (reference) out.push({ target, reference });
    }
  }
  return out;
}

/**
 * The object's own name for `newText` typed at a reference written with the build's prefixes and
 * suffixes before it (`prod-web` for `web` under `namePrefix: prod-`): those are taken off.
 */
export function baseNameAt(reference: KustomizeNameReference, newText: string): string {
  const [prefix, suffix] = reference.renamed('\u0000').split('\u0000');
  return newText.startsWith(prefix) && newText.endsWith(suffix) && newText.length >= prefix.length + suffix.length ? newText.slice(prefix.length, newText.length - suffix.length) : newText;
}
