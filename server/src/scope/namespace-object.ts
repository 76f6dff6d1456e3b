// The Namespace object an object will live in, when the repository holds it: the namespace comes
// from the scope model (a kustomization's `namespace:`, then `metadata.namespace`), the object is
// the nearest Namespace of that name (same file, unit, folder, then the workspace). In a build
// (buildsOf), the namespace is the one the build gives the object, and a Namespace that build
// makes wins, as that build makes it (an overlay's patch or labels may set its Pod Security labels).
import type { ManifestDocument } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { builtDocument, namespaceInBuild, type Build } from './built-document';
import { nearest, Ring } from './scope';

export interface NamespaceObject {
  /** The namespace's name; undefined when nothing sets it (`kubectl apply -n` decides). */
  namespace?: string;
  /** The nearest Namespace objects of that name (several only when equally near), as built. */
  matches: IndexedDocument[];
  ring: Ring;
}

export function namespaceObjectOf(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, build?: Pick<Build, 'root' | 'doc'>): NamespaceObject {
  const namespace = namespaceInBuild(workspace, from, build);
  if (namespace === undefined) return { matches: [], ring: Ring.Workspace };
  const candidates = workspace.named('Namespace', namespace).filter((n) => n.doc.apiVersion === 'v1');
  const root = build?.root;
  const inBuild = root ? candidates.filter((n) => root.members?.has(n.uri)) : [];
  if (root && inBuild.length > 0) return { namespace, matches: inBuild.map((n) => ({ ...n, doc: builtDocument(workspace, n.uri, n.doc, root) })), ring: Ring.Unit };
  const { matches, ring } = nearest(workspace, from, candidates);
  return { namespace, matches, ring };
}
