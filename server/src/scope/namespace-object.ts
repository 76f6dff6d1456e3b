// The Namespace object an object will live in, when the repository holds it: the namespace comes
// from the scope model (a kustomization's `namespace:`, then `metadata.namespace`), the object is
// the nearest Namespace of that name (same file, unit, folder, then the workspace).
import type { ManifestDocument } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { nearest, placementOf, Ring, type Placement } from './scope';

export interface NamespaceObject {
  placement: Placement;
  /** The nearest Namespace objects named like the object's namespace (several only when equally near). */
  matches: IndexedDocument[];
  ring: Ring;
}

export function namespaceObjectOf(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }): NamespaceObject {
  const placement = placementOf(workspace, from.uri, from.doc);
  if (placement.namespace === undefined) return { placement, matches: [], ring: Ring.Workspace };
  const { matches, ring } = nearest(workspace, from, workspace.named('Namespace', placement.namespace).filter((n) => n.doc.apiVersion === 'v1'));
  return { placement, matches, ring };
}
