// The scope model: which objects of the workspace can see each other, and how near they are.
// Kubernetes scopes references by namespace; a repository adds deployment units. A reference is
// resolved in the nearest ring that has a candidate: the same file, the same unit (kustomization
// or Helm chart), the same folder, and the workspace as a last resort. docs/scope.md explains it.
import { dirname, relative } from 'node:path';
import type { ManifestDocument } from '../manifest';
import { uriToPath, type IndexedDocument, type WorkspaceIndex } from '../workspace';
import { UnitIndex, type Unit } from './units';

export enum Ring {
  File = 0,
  Unit = 1,
  Folder = 2,
  Workspace = 3,
}

export interface Placement {
  uri: string;
  /** The file's folder (local path), undefined for untitled buffers and stdin. */
  dir?: string;
  units: Unit[];
  /**
   * Where the object will live: a kustomization's `namespace:` overrides `metadata.namespace` (as
   * kustomize does); undefined when neither says, so `kubectl apply -n` (`helm install -n` for a
   * chart's) decides.
   */
  namespace?: string;
  namespaceFrom: 'kustomization' | 'metadata' | 'unknown';
}

/** Cluster-scoped kinds (no namespace), among those references name. */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass', 'CustomResourceDefinition', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);

export function isClusterScoped(kind: string | undefined): boolean {
  return kind !== undefined && CLUSTER_SCOPED.has(kind);
}

const unitIndexes = new WeakMap<WorkspaceIndex, { version: number; units: UnitIndex }>();

/** The workspace's deployment units, rebuilt only when its structure changed. */
export function unitIndex(workspace: WorkspaceIndex): UnitIndex {
  const cached = unitIndexes.get(workspace);
  if (cached && cached.version === workspace.structureVersion) return cached.units;
  const units = new UnitIndex(workspace);
  unitIndexes.set(workspace, { version: workspace.structureVersion, units });
  return units;
}

export function placementOf(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): Placement {
  const { dir, units } = unitIndex(workspace).fileOf(uri);
  const overridden = units.find((u) => u.namespace !== undefined)?.namespace;
  if (overridden !== undefined) return { uri, dir, units, namespace: overridden, namespaceFrom: 'kustomization' };
  if (doc.namespace) return { uri, dir, units, namespace: doc.namespace, namespaceFrom: 'metadata' };
  return { uri, dir, units, namespaceFrom: 'unknown' };
}

/** The scope a placement is simulated in: its innermost deployment unit, else its folder, else its file. */
export function scopeIdOf(placement: Placement): string {
  return placement.units[0]?.uri ?? placement.dir ?? placement.uri;
}

export function ringBetween(from: Placement, to: Placement): Ring {
  if (from.uri === to.uri) return Ring.File;
  if (from.units.some((u) => to.units.includes(u))) return Ring.Unit;
  if (from.dir !== undefined && from.dir === to.dir) return Ring.Folder;
  return Ring.Workspace;
}

/**
 * Two namespaced objects can refer to each other: the same namespace, or one of them has none set
 * (then `kubectl apply -n` puts both where the user says, and kdry does not guess otherwise).
 */
export function sameNamespace(a: Placement, b: Placement): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}

export interface Resolved {
  matches: IndexedDocument[];
  /** The ring the matches were found in (Workspace when none). */
  ring: Ring;
}

/**
 * The candidates nearest to `from` (same file first, then unit, folder, workspace), each in a
 * namespace `from` can see unless `kind` is cluster-scoped; with `namespace` (a reference that
 * names the target's namespace), in that one (or none set).
 */
export function nearest(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, candidates: Iterable<IndexedDocument>, namespace?: string): Resolved {
  // placed on the first candidate: most lookups (an HPA for this workload, a Service) find none,
  // and placing a large document on every keystroke for nothing was a millisecond of its check
  let origin: ReturnType<typeof placementOf> | undefined;
  let seenFrom: ReturnType<typeof placementOf> | undefined;
  let best: IndexedDocument[] = [];
  let ring = Ring.Workspace + 1;
  for (const c of candidates) {
    if (c.uri === from.uri && c.doc === from.doc) continue;
    if (!origin) {
      origin = placementOf(workspace, from.uri, from.doc);
      seenFrom = namespace === undefined ? origin : { ...origin, namespace };
    }
    const where = placementOf(workspace, c.uri, c.doc);
    if (!isClusterScoped(c.doc.kind) && !sameNamespace(seenFrom!, where)) continue;
    const r = ringBetween(origin, where);
    if (r < ring) (ring = r), (best = [c]);
    else if (r === ring) best.push(c);
  }
  return { matches: best, ring: Math.min(ring, Ring.Workspace) };
}

/** "in `other-app/`, a different folder" for a match outside the unit and folder of `from`; '' otherwise. */
export function whereFrom(workspace: WorkspaceIndex, from: string, match: IndexedDocument, ring: Ring): string {
  if (ring !== Ring.Workspace) return '';
  const a = uriToPath(from);
  const b = uriToPath(match.uri);
  if (!a || !b) return ' (in another file, outside this deployment unit)';
  const roots = workspaceRoot(a, b);
  return ` in \`${relative(roots, dirname(b)) || '.'}/\`, a different folder`;
}

/** The deepest folder two paths share. */
function workspaceRoot(a: string, b: string): string {
  let dir = dirname(a);
  while (relative(dir, b).startsWith('..') && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * `namespace/name` as a cluster message quotes it. Where no namespace is set (neither a
 * kustomization nor `metadata.namespace`), kdry does not assume `default`: the namespace is a
 * placeholder, and `unsetNote` says why.
 */
export function namespacedName(namespace: string | undefined, name: string): string {
  return `${namespace ?? '<namespace>'}/${name}`;
}

/** Who decides the namespace of an object none is set for: `helm install -n` for a chart's, else `kubectl apply -n`. */
function namespaceDecider(units: readonly Unit[]): string {
  return units.some((u) => u.kind === 'chart') ? '`helm install -n`' : '`kubectl apply -n`';
}

/** Follows a message that quoted namespacedName: '' when the namespace is known. */
export function unsetNote(placement: Pick<Placement, 'namespace' | 'units'>): string {
  return placement.namespace === undefined ? ` (no namespace is set: ${namespaceDecider(placement.units)} decides it)` : '';
}

/** Where kdry looked, for a reference that resolves to nothing. */
export function lookedIn(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument, namespace?: string): string {
  const p = placementOf(workspace, uri, doc);
  const target = namespace ?? p.namespace;
  const ns = target !== undefined ? `namespace \`${target}\`` : `any namespace (none is set: ${namespaceDecider(p.units)} decides)`;
  return `kdry looked in the workspace, ${ns}`;
}
