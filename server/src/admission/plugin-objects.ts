// The workspace's own objects that the Pod admission plugins read from the cluster: the pod's
// ServiceAccount (serviceaccount/admission.go getServiceAccount, in the pod's namespace), its
// PriorityClass or the global default one (priority/admission.go admitPod, getDefaultPriorityClass),
// and the LimitRanges of its namespace (limitranger/admission.go GetLimitRanges). Where the workspace
// defines one it is taken as the cluster's; where it does not, the cluster decides and
// admission-plugins.ts leaves those fields unknown. Namespaced objects count only when their
// `metadata.namespace` names the pod's namespace (a pod without one lands in kubectl's context
// namespace, which the workspace cannot know).
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';

type Obj = Record<string, unknown>;

export interface PluginObjects {
  serviceAccount?: Obj;
  priorityClass?: Obj;
  /** The global default PriorityClass, when the pod names none and the workspace has one. */
  defaultPriorityClass?: Obj;
  /** Empty when the workspace has none in the namespace (then the cluster's decide). */
  limitRanges: Obj[];
}

const PRIORITY_CLASS_API_VERSION = 'scheduling.k8s.io/v1';

function valueOf(doc: ManifestDocument): Obj | undefined {
  return isRecord(doc.value) ? doc.value : undefined;
}

function priorityValue(pc: Obj): number | undefined {
  return typeof pc.value === 'number' && Number.isInteger(pc.value) ? pc.value : undefined;
}

/**
 * getDefaultPriorityClass: the class marked globalDefault (the API server refuses a second one,
 * validatePriorityClass; if several slip in, the one with the lowest value).
 */
function defaultPriorityClass(workspace: WorkspaceIndex): Obj | undefined {
  let found: Obj | undefined;
  for (const { doc } of workspace.documents('PriorityClass')) {
    const pc = doc.apiVersion === PRIORITY_CLASS_API_VERSION ? valueOf(doc) : undefined;
    if (!pc || pc.globalDefault !== true || priorityValue(pc) === undefined) continue;
    if (!found || priorityValue(pc)! < priorityValue(found)!) found = pc;
  }
  return found;
}

/** What the plugins would read for `pod` (a v1 Pod document's value, as written). */
export function pluginObjectsFor(workspace: WorkspaceIndex, pod: Obj, namespace: string | undefined): PluginObjects {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const named = (field: string) => (typeof spec[field] === 'string' && spec[field] ? (spec[field] as string) : undefined);
  const out: PluginObjects = { limitRanges: [] };
  const className = named('priorityClassName');
  if (className) {
    const doc = workspace.named('PriorityClass', className).find((e) => e.doc.apiVersion === PRIORITY_CLASS_API_VERSION)?.doc;
    out.priorityClass = doc && valueOf(doc);
  } else out.defaultPriorityClass = defaultPriorityClass(workspace);
  if (namespace === undefined) return out;
  // Convert_v1_PodSpec_To_core_PodSpec: the deprecated serviceAccount names the account when serviceAccountName is empty.
  const account = named('serviceAccountName') ?? named('serviceAccount') ?? 'default';
  const doc = workspace.named('ServiceAccount', account).find((e) => e.doc.apiVersion === 'v1' && e.doc.namespace === namespace)?.doc;
  out.serviceAccount = doc && valueOf(doc);
  for (const { doc } of workspace.documents('LimitRange')) {
    const value = doc.apiVersion === 'v1' && doc.namespace === namespace ? valueOf(doc) : undefined;
    if (value) out.limitRanges.push(value);
  }
  return out;
}

/** The same objects (by identity): an admitted copy made with one set stays valid for the other. */
export function samePluginObjects(a: PluginObjects | undefined, b: PluginObjects | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.serviceAccount === b.serviceAccount && a.priorityClass === b.priorityClass && a.defaultPriorityClass === b.defaultPriorityClass && a.limitRanges.length === b.limitRanges.length && a.limitRanges.every((lr, i) => lr === b.limitRanges[i]);
}
