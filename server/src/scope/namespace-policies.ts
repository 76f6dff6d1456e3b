// The LimitRanges and ResourceQuotas that govern an object's pods, and the other workloads that
// share their namespace: namespace-wide policy objects are found like any reference, nearest first
// in the scope model (docs/scope.md), in the namespace the object will live in.
import { isRecord, type ManifestDocument } from '../manifest';
import { podsTemplatePath, valueAt } from '../manifest/pod-template';
import { applyLimitRangeDefaults, limitRangeItems, podResourcesOf, type DefaultedResource, type LimitRangeItem } from '../k8s/limit-range';
import { quotaPodOf, type QuotaPod } from '../k8s/resource-quota';
import { dropDisabledPodLevelResources } from '../k8s/pod-level-resources';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { nearest, placementOf, ringBetween, Ring, whereFrom, type Resolved } from './scope';
import { builtObjectsOf } from './built-document';
import type { Unit } from './units';

type From = { uri: string; doc: ManifestDocument };

const byKindCache = new WeakMap<WorkspaceIndex, { revision: number; byKind: Map<string, IndexedDocument[]> }>();

/** The v1 objects of a kind, listed once per workspace revision (every workload asks). */
function v1Documents(workspace: WorkspaceIndex, kind: string): IndexedDocument[] {
  let cached = byKindCache.get(workspace);
  if (!cached || cached.revision !== workspace.revision) byKindCache.set(workspace, (cached = { revision: workspace.revision, byKind: new Map() }));
  let list = cached.byKind.get(kind);
  if (!list) cached.byKind.set(kind, (list = [...workspace.documents(kind)].filter((d) => d.doc.apiVersion === 'v1')));
  return list;
}

const NONE: Resolved = { matches: [], ring: Ring.Workspace };

/**
 * The LimitRanges of the namespace `from` lives in, nearest first. Found only in the workspace
 * (ring 4, e.g. another app's folder for an object without a namespace), they may not be the
 * namespace's it is applied in: the rules then warn and say where they are. `namespace`: the one a
 * build gives the object (built-document.ts namespaceInBuild), when judged per build; `root`: that
 * build's kustomization, whose own LimitRanges in the namespace, as it builds them, are the ones
 * its pods meet (two overlays of one namespace name each apply their own).
 */
export function limitRangesFor(workspace: WorkspaceIndex, from: From, namespace?: string, root?: Unit): Resolved {
  return namespacePolicies(workspace, 'LimitRange', from, namespace, root);
}

/** The v1 objects of `kind` (LimitRange, ResourceQuota) that `root`'s build makes in `namespace`, as it builds them; none without either. */
export function policiesOfBuild(workspace: WorkspaceIndex, kind: string, namespace: string | undefined, root: Unit | undefined): IndexedDocument[] {
  if (!root || namespace === undefined) return [];
  return builtObjectsOf(workspace, root, kind).filter((e) => e.doc.apiVersion === 'v1' && e.doc.namespace === namespace);
}

function namespacePolicies(workspace: WorkspaceIndex, kind: string, from: From, namespace: string | undefined, root: Unit | undefined): Resolved {
  const own = policiesOfBuild(workspace, kind, namespace, root);
  if (own.length > 0) return { matches: own, ring: Ring.Unit };
  const all = v1Documents(workspace, kind);
  return all.length ? nearest(workspace, from, all, namespace) : NONE;
}

/**
 * What a finding against a namespace policy found only in the workspace adds, and its severity
 * then (docs/scope.md: a defect found against a ring-4 match is a warning that says where it is).
 * Example: ` ResourceQuota "mem-cpu" was found only in \`team-a/\`, a different folder, in namespace
 * "team-a": it judges this Deployment only where both are applied to the same namespace.`
 */
export function foundElsewhere(workspace: WorkspaceIndex, from: From, found: Resolved): { severity: 'warning'; note: string } | undefined {
  const [policy] = found.matches;
  if (found.ring !== Ring.Workspace || !policy) return undefined;
  const namespace = placementOf(workspace, policy.uri, policy.doc).namespace;
  const where = whereFrom(workspace, from.uri, policy, found.ring);
  return {
    severity: 'warning',
    note: ` ${policy.doc.kind} "${policy.doc.name ?? ''}" was found only${where}${namespace ? `, in namespace "${namespace}"` : ''}: it judges this ${from.doc.kind ?? 'object'} only where both are applied to the same namespace.`,
  };
}

/** The ResourceQuotas of the namespace `from` lives in, found as limitRangesFor finds LimitRanges. */
export function resourceQuotasFor(workspace: WorkspaceIndex, from: From, namespace?: string, root?: Unit): Resolved {
  return namespacePolicies(workspace, 'ResourceQuota', from, namespace, root);
}

export interface AdmittedPod {
  /** The pod spec as written. */
  spec: Record<string, unknown>;
  /** Where it is in the document. */
  specPath: (string | number)[];
  /** The pod as quota sees it: LimitRange defaults applied. */
  pod: QuotaPod;
  /** What the LimitRanges filled in. */
  defaulted: DefaultedResource[];
  limitRanges: { entry: IndexedDocument; items: LimitRangeItem[] }[];
}

const admittedCache = new WeakMap<ManifestDocument, { revision: number; release: string; namespace?: string; root?: Unit; pod: AdmittedPod | undefined }>();

/**
 * A workload's (or Pod's) pod after the API server's defaulting and the LimitRanger plugin's
 * defaults, in Kubernetes `release` (pod-level `spec.resources` count from 1.34, where
 * PodLevelResources is on by default); once per document and workspace revision (quota counts
 * every workload of a namespace for each of them). `namespace` and `root`: as limitRangesFor takes them.
 */
export function admittedPod(workspace: WorkspaceIndex, from: From, release: string, namespace?: string, root?: Unit): AdmittedPod | undefined {
  const cached = admittedCache.get(from.doc);
  if (cached && cached.revision === workspace.revision && cached.release === release && cached.namespace === namespace && cached.root === root) return cached.pod;
  const pod = admit(workspace, from, release, namespace, root);
  admittedCache.set(from.doc, { revision: workspace.revision, release, namespace, root, pod });
  return pod;
}

function admit(workspace: WorkspaceIndex, from: From, release: string, namespace: string | undefined, root: Unit | undefined): AdmittedPod | undefined {
  const limitRanges = limitRangesFor(workspace, from, namespace, root).matches;
  const templatePath = podsTemplatePath(from.doc);
  if (!templatePath) return undefined;
  const specPath = [...templatePath, 'spec'];
  const spec = valueAt(from.doc.value, specPath);
  if (!isRecord(spec)) return undefined;
  const ranges = limitRanges.map((entry) => ({ entry, items: limitRangeItems(valueAt(entry.doc.value, ['spec'])) }));
  const { pod, set } = applyLimitRangeDefaults(
    ranges.map((r) => r.items),
    podResourcesOf(spec),
  );
  return { spec, specPath, pod: quotaPodOf(dropDisabledPodLevelResources(spec, release), pod), defaulted: set, limitRanges: ranges };
}

/** How many pods a workload keeps at once (a DaemonSet's depend on the nodes: undefined). */
export function podCountOf(doc: ManifestDocument): number | undefined {
  const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback);
  switch (doc.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      return int(valueAt(doc.value, ['spec', 'replicas']), 1);
    case 'Job':
      return int(valueAt(doc.value, ['spec', 'parallelism']), 1);
    case 'CronJob':
      return int(valueAt(doc.value, ['spec', 'jobTemplate', 'spec', 'parallelism']), 1);
    case 'Pod':
      return 1;
    default:
      return undefined;
  }
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

const neighbourCache = new WeakMap<WorkspaceIndex, { revision: number; byNamespace: Map<string, IndexedDocument[]> }>();

/**
 * The other objects of the namespace `from` will live in (workloads and Pods, in file order): the
 * same namespace when it is known; when it is not set, those of the same file, unit or folder
 * that have none either (`kubectl apply -n` puts them together). `namespace`: the one a build gives
 * `from` (as limitRangesFor takes it).
 */
export function namespaceNeighbours(workspace: WorkspaceIndex, from: From, namespace?: string): IndexedDocument[] {
  const placed = placementOf(workspace, from.uri, from.doc);
  const origin = namespace === undefined ? placed : { ...placed, namespace };
  let cached = neighbourCache.get(workspace);
  if (!cached || cached.revision !== workspace.revision) {
    const byNamespace = new Map<string, IndexedDocument[]>();
    for (const entry of workspace.documents()) {
      if (!entry.doc.kind || !WORKLOAD_KINDS.has(entry.doc.kind)) continue;
      const ns = placementOf(workspace, entry.uri, entry.doc).namespace ?? '';
      const list = byNamespace.get(ns);
      if (list) list.push(entry);
      else byNamespace.set(ns, [entry]);
    }
    cached = { revision: workspace.revision, byNamespace };
    neighbourCache.set(workspace, cached);
  }
  const same = cached.byNamespace.get(origin.namespace ?? '') ?? [];
  return same.filter((e) => !(e.uri === from.uri && e.doc === from.doc) && (origin.namespace !== undefined || ringBetween(origin, placementOf(workspace, e.uri, e.doc)) <= Ring.Folder));
}
