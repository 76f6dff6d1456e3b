// What the mutating admission plugins that are on by default write into an object before validating
// admission sees it on CREATE (kubeapiserver/options/plugins.go: AllOrderedPlugins runs the mutating
// phase before ValidatingAdmissionPolicy; none of these is in DefaultOffAdmissionPlugins from 1.28 to 1.37):
// - ServiceAccount (plugin/pkg/admission/serviceaccount/admission.go Admit, pods only): serviceAccountName
//   "default" when none is named; the projected token volume `kube-api-access-<random>` and its
//   read-only mount in every container and init container without a mount at
//   /var/run/secrets/kubernetes.io/serviceaccount (mountServiceAccountToken, TokenVolumeSource), when
//   shouldAutomount says so: the pod's automountServiceAccountToken, else the ServiceAccount's, else
//   true; imagePullSecrets copied from the ServiceAccount when the pod has none.
// - LimitRanger (plugin/pkg/admission/limitranger/admission.go, PodMutateLimitFunc ->
//   defaultContainerResourceRequirements, mergeContainerResources): the defaults of the namespace's
//   LimitRanges for what a container's requests and limits leave out, and the kubernetes.io/limit-ranger
//   annotation recording what it set.
// - Priority (plugin/pkg/admission/priority/admission.go admitPod): priority and preemptionPolicy from
//   the PriorityClass named, else from the cluster's global default class (getDefaultPriority), also
//   naming it in priorityClassName. The two classes every API server creates
//   (scheduling/types.go SystemPriorityClasses) are constants.
// The ServiceAccount, PriorityClasses and LimitRanges are the workspace's where it defines them
// (plugin-objects.ts); where it does not, the cluster's decide and what they write reads as unknown.
// - DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds/admission.go Admit): the
//   not-ready and unreachable NoExecute tolerations a pod lacks, their seconds from the API server's
//   flags (300 unless configured otherwise, so unknown here).
// - DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault/admission.go Admit): a claim
//   without storageClassName nor the beta annotation gets the cluster's default class, if it has one.
// Works on the defaulted copy the caller owns, replacing (never changing) the objects it shares.
import { isRecord } from '../manifest';
import { applyLimitRangeDefaults, limitRangeItems, podResourcesOf, type DefaultedResource } from '../k8s/limit-range';
import { formatAmount, roundUpToMilli } from '../k8s/quantity-amount';
import type { PluginObjects } from './plugin-objects';
import type { UnknownField } from './prepare-for-create';

type Obj = Record<string, unknown>;

/** kubelet's mirror pod annotation (core.MirrorPodAnnotationKey): the ServiceAccount plugin leaves such pods alone. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';

/** TokenVolumeSource as v1 serialises it: defaultMode 0644, a token of WarnOnlyBoundTokenExpirationSeconds (3607). */
function tokenVolumeSource(): Obj {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** scheduling.SystemPriorityClasses: their value, and the preemptionPolicy SetDefaults_PriorityClass gives them. */
const SYSTEM_PRIORITY_CLASSES = new Map([
  ['system-node-critical', 2000001000],
  ['system-cluster-critical', 2000000000],
]);

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** shouldAutomount: the pod's preference, then the ServiceAccount's, then true; undefined when the cluster's ServiceAccount decides. */
function automountOf(spec: Obj, serviceAccount: Obj | undefined): boolean | undefined {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (!serviceAccount) return undefined;
  return typeof serviceAccount.automountServiceAccountToken === 'boolean' ? serviceAccount.automountServiceAccountToken : true;
}

function serviceAccount(pod: Obj, spec: Obj, workspaceAccount: Obj | undefined): UnknownField[] {
  const annotations = isRecord(pod.metadata) && isRecord(pod.metadata.annotations) ? pod.metadata.annotations : {};
  if (MIRROR_POD_ANNOTATION in annotations) return [];
  // The decoded spec holds the account in both serviceAccountName and its alias serviceAccount (defaults/pod-spec.ts).
  const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const unknown: UnknownField[] = [];
  const account = `the ServiceAccount "${name}" of the cluster`;
  if (list(spec.imagePullSecrets).length === 0) {
    // Admit copies each secret's name (an empty one is left out: LocalObjectReference's omitempty); none leaves the field out.
    const copied = list(workspaceAccount?.imagePullSecrets).map((s) => (isRecord(s) && typeof s.name === 'string' && s.name ? { name: s.name } : {}));
    if (!workspaceAccount) unknown.push({ path: ['spec', 'imagePullSecrets'], reason: `it reads spec.imagePullSecrets, which the ServiceAccount admission plugin copies from ${account}` });
    else if (copied.length > 0) spec.imagePullSecrets = copied;
  }
  const automount = automountOf(spec, workspaceAccount);
  if (automount === false) return unknown;
  const volumes = list(spec.volumes);
  const existing = volumes.find((v): v is Obj => isRecord(v) && typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  // Not known whether the token is mounted: what the plugin would add reads as unknown, the rest as written.
  const maybe = `it reads the pod's volumes or volume mounts, to which the ServiceAccount admission plugin adds the API token unless ${account} sets automountServiceAccountToken: false`;
  const randomName = `it reads the name of the API token volume, which the ServiceAccount admission plugin generates (${TOKEN_VOLUME_PREFIX}<random>)`;
  let mounted = false;
  for (const key of ['initContainers', 'containers']) {
    if (!Array.isArray(spec[key])) continue;
    spec[key] = (spec[key] as unknown[]).map((container, i) => {
      if (!isRecord(container) || list(container.volumeMounts).some((m) => isRecord(m) && m.mountPath === TOKEN_MOUNT_PATH)) return container;
      mounted = true;
      if (automount !== true) {
        unknown.push({ path: ['spec', key, i, 'volumeMounts'], reason: maybe });
        return container;
      }
      const mounts = list(container.volumeMounts);
      if (!existing) unknown.push({ path: ['spec', key, i, 'volumeMounts', mounts.length, 'name'], reason: randomName });
      return { ...container, volumeMounts: [...mounts, { name: existing?.name ?? '', readOnly: true, mountPath: TOKEN_MOUNT_PATH }] };
    });
  }
  if (!mounted || existing) return unknown;
  if (automount !== true) unknown.push({ path: ['spec', 'volumes'], reason: maybe });
  else {
    spec.volumes = [...volumes, { name: '', projected: tokenVolumeSource() }];
    unknown.push({ path: ['spec', 'volumes', volumes.length, 'name'], reason: randomName });
  }
  return unknown;
}

const LIMITED = ['cpu', 'memory'];

/** limitranger/admission.go limitRangerAnnotation: what the plugin set, written on the pod. */
const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

/** A default as the pod holds it: SetDefaults_ResourceList rounds the LimitRange's values up to milli units, serialised canonically. */
function quantityOf(resource: DefaultedResource): string {
  return formatAmount(roundUpToMilli(resource.value));
}

/** mergeContainerResources' record: "cpu, memory request for container web" then the limits, container by container. */
function limitRangerRecord(spec: Obj, set: DefaultedResource[]): string {
  const parts: string[] = [];
  for (const key of ['containers', 'initContainers']) {
    const init = key === 'initContainers';
    for (const container of list(spec[key])) {
      const name = isRecord(container) ? String(container.name ?? '') : '';
      for (const side of ['request', 'limit'] as const) {
        const names = set.filter((r) => r.init === init && r.container === name && r.side === side).map((r) => r.resource);
        if (names.length > 0) parts.push(`${names.sort().join(', ')} ${side} for ${init ? 'init container' : 'container'} ${name}`);
      }
    }
  }
  return `LimitRanger plugin set: ${parts.join('; ')}`;
}

/** The namespace's LimitRanges of the workspace: their Container defaults merged into each container (PodMutateLimitFunc). */
function workspaceLimitRanger(pod: Obj, spec: Obj, limitRanges: Obj[]): UnknownField[] {
  const { set } = applyLimitRangeDefaults(
    limitRanges.map((lr) => limitRangeItems(lr.spec)),
    podResourcesOf(spec),
  );
  if (set.length === 0) return [];
  for (const key of ['containers', 'initContainers']) {
    if (!Array.isArray(spec[key])) continue;
    const init = key === 'initContainers';
    spec[key] = (spec[key] as unknown[]).map((container) => {
      if (!isRecord(container)) return container;
      const mine = set.filter((r) => r.init === init && r.container === String(container.name ?? ''));
      if (mine.length === 0) return container;
      const resources = isRecord(container.resources) ? container.resources : {};
      const sides: Record<'limit' | 'request', Obj> = { limit: { ...(isRecord(resources.limits) ? resources.limits : {}) }, request: { ...(isRecord(resources.requests) ? resources.requests : {}) } };
      for (const r of mine) sides[r.side][r.resource] = quantityOf(r);
      return { ...container, resources: { ...resources, limits: sides.limit, requests: sides.request } };
    });
  }
  const metadata = isRecord(pod.metadata) ? pod.metadata : {};
  // Each LimitRange's pass rewrites the annotation with what it set; with several, the last in the
  // lister's order (which the workspace cannot tell) writes it.
  if (limitRanges.length > 1) return [{ path: isRecord(metadata.annotations) ? ['metadata', 'annotations', LIMIT_RANGER_ANNOTATION] : ['metadata', 'annotations'], reason: `it reads the pod's ${LIMIT_RANGER_ANNOTATION} annotation, which the last of the namespace's LimitRanges the LimitRanger admission plugin applies writes` }];
  pod.metadata = { ...metadata, annotations: { ...(isRecord(metadata.annotations) ? metadata.annotations : {}), [LIMIT_RANGER_ANNOTATION]: limitRangerRecord(spec, set) } };
  return [];
}

function limitRanger(pod: Obj, spec: Obj, limitRanges: Obj[]): UnknownField[] {
  if (limitRanges.length > 0) return workspaceLimitRanger(pod, spec, limitRanges);
  const unknown: UnknownField[] = [];
  const reason = (at: string) => `it reads ${at}, to which the LimitRanger admission plugin adds the defaults of the namespace's LimitRange, if the cluster has one`;
  for (const key of ['initContainers', 'containers']) {
    list(spec[key]).forEach((container, i) => {
      const resources = isRecord(container) && isRecord(container.resources) ? container.resources : {};
      const set = (kind: string) => isRecord(resources[kind]) && LIMITED.every((name) => (resources[kind] as Obj)[name] !== undefined);
      if (!set('requests') || !set('limits')) unknown.push({ path: ['spec', key, i, 'resources'], reason: reason(`the resources of ${key === 'containers' ? 'container' : 'init container'} ${i}`) });
    });
  }
  if (unknown.length === 0) return unknown;
  // The QoS class PrepareForCreate computes follows those resources (qos.go ComputePodQOS).
  if (!isRecord(spec.resources)) unknown.push({ path: ['status', 'qosClass'], reason: reason("the pod's QoS class, which follows its containers' resources") });
  const annotated = isRecord(pod.metadata) && isRecord(pod.metadata.annotations);
  unknown.push({ path: annotated ? ['metadata', 'annotations', LIMIT_RANGER_ANNOTATION] : ['metadata', 'annotations'], reason: reason(`the pod's annotations, where it records what it set (${LIMIT_RANGER_ANNOTATION})`) });
  return unknown;
}

/** A workspace PriorityClass's value, its preemptionPolicy as SetDefaults_PriorityClass leaves it, and its name. */
function workspaceClass(pc: Obj | undefined): { value: number; preemptionPolicy: string; name?: string } | undefined {
  if (!pc || typeof pc.value !== 'number' || !Number.isInteger(pc.value)) return undefined;
  const name = isRecord(pc.metadata) && typeof pc.metadata.name === 'string' ? pc.metadata.name : undefined;
  return { value: pc.value, preemptionPolicy: typeof pc.preemptionPolicy === 'string' ? pc.preemptionPolicy : 'PreemptLowerPriority', name };
}

function priority(spec: Obj, objects: PluginObjects): UnknownField[] {
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  const system = SYSTEM_PRIORITY_CLASSES.get(className);
  const resolved = system !== undefined ? { value: system, preemptionPolicy: 'PreemptLowerPriority', name: className } : workspaceClass(className ? objects.priorityClass : objects.defaultPriorityClass);
  if (resolved && (className || resolved.name)) {
    // A pod whose priority or preemptionPolicy differs is refused before validating admission.
    if (!className) spec.priorityClassName = resolved.name;
    spec.priority = resolved.value;
    spec.preemptionPolicy = resolved.preemptionPolicy;
    return [];
  }
  const from = className ? `the PriorityClass "${className}" of the cluster` : "the cluster's global default PriorityClass (priority 0 and PreemptLowerPriority when it has none)";
  const reason = (field: string) => `it reads spec.${field}, which the Priority admission plugin sets from ${from}`;
  const unknown: UnknownField[] = [];
  if (!className) unknown.push({ path: ['spec', 'priorityClassName'], reason: reason('priorityClassName') });
  // A value written stays (it must equal the computed one, or the pod is refused).
  if (spec.priority === undefined) unknown.push({ path: ['spec', 'priority'], reason: reason('priority') });
  if (spec.preemptionPolicy === undefined) unknown.push({ path: ['spec', 'preemptionPolicy'], reason: reason('preemptionPolicy') });
  return unknown;
}

const NODE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

function defaultTolerationSeconds(spec: Obj): UnknownField[] {
  const tolerations = list(spec.tolerations);
  const tolerates = (taint: string) => tolerations.some((t) => isRecord(t) && (t.key === taint || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const added = NODE_TAINTS.filter((taint) => !tolerates(taint));
  if (added.length === 0) return [];
  spec.tolerations = [...tolerations, ...added.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute' }))];
  return added.map((key, i) => ({
    path: ['spec', 'tolerations', tolerations.length + i, 'tolerationSeconds'],
    reason: `it reads the tolerationSeconds of the ${key} toleration the DefaultTolerationSeconds admission plugin adds (the API server's --default-${key === NODE_TAINTS[0] ? 'not-ready' : 'unreachable'}-toleration-seconds, 300 unless configured)`,
  }));
}

const NO_OBJECTS: PluginObjects = { limitRanges: [] };

/**
 * The pod admission plugins in AllOrderedPlugins' order: LimitRanger, ServiceAccount, Priority,
 * DefaultTolerationSeconds. `objects`: what the workspace defines of what they read (plugin-objects.ts).
 */
export function admitPod(pod: Obj, objects: PluginObjects = NO_OBJECTS): UnknownField[] {
  const spec: Obj = isRecord(pod.spec) ? { ...pod.spec } : {};
  pod.spec = spec;
  return [...limitRanger(pod, spec, objects.limitRanges), ...serviceAccount(pod, spec, objects.serviceAccount), ...priority(spec, objects), ...defaultTolerationSeconds(spec)];
}

/** helper.PersistentVolumeClaimHasClass: the beta annotation or a storageClassName (even ""), else the default class. */
export function admitPersistentVolumeClaim(pvc: Obj): UnknownField[] {
  const annotations = isRecord(pvc.metadata) && isRecord(pvc.metadata.annotations) ? pvc.metadata.annotations : {};
  const spec = isRecord(pvc.spec) ? pvc.spec : {};
  if ('volume.beta.kubernetes.io/storage-class' in annotations || typeof spec.storageClassName === 'string') return [];
  return [{ path: ['spec', 'storageClassName'], reason: "it reads spec.storageClassName, which the DefaultStorageClass admission plugin sets to the cluster's default StorageClass, if it has one" }];
}
