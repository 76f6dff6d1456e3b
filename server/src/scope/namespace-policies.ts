// The LimitRanges and ResourceQuotas that govern an object's pods, and the other workloads that
// share their namespace: namespace-wide policy objects are found like any reference, nearest first
// in the scope model (docs/scope.md), in the namespace the object will live in.
import { isRecord, type ManifestDocument } from '../manifest';
import { podsTemplatePath, valueAt } from '../manifest/pod-template';
import { applyLimitRangeDefaults, limitRangeItems, podResourcesOf, type DefaultedResource, type LimitRangeItem } from '../k8s/limit-range';
import { quotaPodOf, type QuotaPod } from '../k8s/resource-quota';
import { dropDisabledPodLevelResources } from '../k8s/pod-level-resources';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { nearest, placementOf, ringBetween, Ring } from './scope';

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

export function limitRangesFor(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  const all = v1Documents(workspace, 'LimitRange');
  return all.length ? nearest(workspace, from, all).matches : [];
}

export function resourceQuotasFor(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  const all = v1Documents(workspace, 'ResourceQuota');
  return all.length ? nearest(workspace, from, all).matches : [];
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

const admittedCache = new WeakMap<ManifestDocument, { revision: number; release: string; pod: AdmittedPod | undefined }>();

/**
 * A workload's (or Pod's) pod after the API server's defaulting and the LimitRanger plugin's
 * defaults, in Kubernetes `release` (pod-level `spec.resources` count from 1.34, where
 * PodLevelResources is on by default); once per document and workspace revision (quota counts
 * every workload of a namespace for each of them).
 */
export function admittedPod(workspace: WorkspaceIndex, from: From, release: string): AdmittedPod | undefined {
  const cached = admittedCache.get(from.doc);
  if (cached && cached.revision === workspace.revision && cached.release === release) return cached.pod;
  const pod = admit(workspace, from, release);
  admittedCache.set(from.doc, { revision: workspace.revision, release, pod });
  return pod;
}

function admit(workspace: WorkspaceIndex, from: From, release: string): AdmittedPod | undefined {
  const limitRanges = limitRangesFor(workspace, from);
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

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

const neighbourCache = new WeakMap<WorkspaceIndex, { revision: number; byNamespace: Map<string, IndexedDocument[]> }>();

/**
 * The other objects of the namespace `from` will live in (workloads and Pods, in file order): the
 * same namespace when it is known; when it is not set, those of the same file, unit or folder
 * that have none either (`kubectl apply -n` puts them together).
 */
export function namespaceNeighbours(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  const origin = placementOf(workspace, from.uri, from.doc);
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
