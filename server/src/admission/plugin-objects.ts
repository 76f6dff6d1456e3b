// The workspace's own objects that the Pod admission plugins read from the cluster: the pod's
// ServiceAccount (serviceaccount/admission.go getServiceAccount, in the pod's namespace), its
// PriorityClass or the global default one (priority/admission.go admitPod, getDefaultPriorityClass),
// and the LimitRanges of its namespace (limitranger/admission.go GetLimitRanges). Where the workspace
// defines one it is taken as the cluster's; where it does not, the cluster decides and
// admission-plugins.ts leaves those fields unknown. Namespaced objects count only in the pod's
// namespace, as their kustomize builds place them (a kustomization's `namespace:` gives a
// ServiceAccount or LimitRange written without one its namespace, and an overlay's patch its
// fields: scope/built-document.ts buildsOf); a pod without a namespace lands in kubectl's context
// namespace, which the workspace cannot know.
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { buildsOf, builtObjectsOf } from '../scope/built-document';
import type { Unit } from '../scope/units';

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

interface BuiltNamespaced {
  revision: number;
  /** v1 ServiceAccounts by `namespace/name`, as built: the first document that builds one wins. */
  serviceAccounts: Map<string, Obj>;
  /** v1 LimitRanges by namespace, as built, each document once per namespace. */
  limitRanges: Map<string, Obj[]>;
}

const builtNamespaced = new WeakMap<WorkspaceIndex, BuiltNamespaced>();

/** The workspace's ServiceAccounts and LimitRanges in the namespaces their builds place them, once per revision. */
function namespacedObjects(workspace: WorkspaceIndex): BuiltNamespaced {
  const known = builtNamespaced.get(workspace);
  if (known?.revision === workspace.revision) return known;
  const serviceAccounts = new Map<string, Obj>();
  const limitRanges = new Map<string, Obj[]>();
  const each = (kind: string, add: (built: ManifestDocument, namespace: string, value: Obj) => void) => {
    for (const { uri, doc } of workspace.documents(kind)) {
      const seen = new Set<string>();
      for (const { doc: built } of buildsOf(workspace, uri, doc)) {
        const value = built.apiVersion === 'v1' && built.kind === kind && built.namespace !== undefined && !seen.has(built.namespace) ? valueOf(built) : undefined;
        if (!value) continue;
        seen.add(built.namespace!);
        add(built, built.namespace!, value);
      }
    }
  };
  each('ServiceAccount', (built, namespace, value) => {
    const key = `${namespace}/${built.name ?? ''}`;
    if (!serviceAccounts.has(key)) serviceAccounts.set(key, value);
  });
  each('LimitRange', (_built, namespace, value) => limitRanges.set(namespace, [...(limitRanges.get(namespace) ?? []), value]));
  const fresh = { revision: workspace.revision, serviceAccounts, limitRanges };
  builtNamespaced.set(workspace, fresh);
  return fresh;
}

/**
 * The ServiceAccounts and LimitRanges `root`'s build makes, by the namespace it places them in:
 * what `kubectl apply -k root` leaves in the namespace its pods are created in.
 */
function namespacedObjectsOfBuild(workspace: WorkspaceIndex, root: Unit): Omit<BuiltNamespaced, 'revision'> {
  const serviceAccounts = new Map<string, Obj>();
  const limitRanges = new Map<string, Obj[]>();
  for (const kind of ['ServiceAccount', 'LimitRange']) {
    for (const { doc } of builtObjectsOf(workspace, root, kind)) {
      const value = doc.apiVersion === 'v1' && doc.namespace !== undefined ? valueOf(doc) : undefined;
      if (!value) continue;
      if (kind === 'LimitRange') limitRanges.set(doc.namespace!, [...(limitRanges.get(doc.namespace!) ?? []), value]);
      else if (!serviceAccounts.has(`${doc.namespace}/${doc.name ?? ''}`)) serviceAccounts.set(`${doc.namespace}/${doc.name ?? ''}`, value);
    }
  }
  return { serviceAccounts, limitRanges };
}

/**
 * What the plugins would read for `pod` (a v1 Pod document's value, as its build makes it). `root`:
 * the kustomization whose build applies the pod; the ServiceAccount and the LimitRanges that build
 * places in the pod's namespace are the ones it meets (another overlay's of the same namespace name
 * are another cluster's or another apply's), the workspace's where the build has none.
 */
export function pluginObjectsFor(workspace: WorkspaceIndex, pod: Obj, namespace: string | undefined, root?: Unit): PluginObjects {
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
  const { serviceAccounts, limitRanges } = namespacedObjects(workspace);
  const own = root && namespacedObjectsOfBuild(workspace, root);
  out.serviceAccount = own?.serviceAccounts.get(`${namespace}/${account}`) ?? serviceAccounts.get(`${namespace}/${account}`);
  out.limitRanges = own?.limitRanges.get(namespace) ?? limitRanges.get(namespace) ?? [];
  return out;
}

/** The same objects (by identity): an admitted copy made with one set stays valid for the other. */
export function samePluginObjects(a: PluginObjects | undefined, b: PluginObjects | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.serviceAccount === b.serviceAccount && a.priorityClass === b.priorityClass && a.defaultPriorityClass === b.defaultPriorityClass && a.limitRanges.length === b.limitRanges.length && a.limitRanges.every((lr, i) => lr === b.limitRanges[i]);
}
