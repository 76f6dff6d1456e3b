// What the registry's strategy does to a built-in object on CREATE before validating admission sees
// it (registry/rest/create.go BeforeCreate calls strategy.PrepareForCreate after the uid is set;
// registry/generic/registry/store.go Create then runs createValidation):
// - Pod (pkg/registry/core/pod/strategy.go PrepareForCreate): status becomes {phase: Pending,
//   qosClass: GetPodQOS(pod)}, with the PodScheduled=False condition of reason SchedulingGated when
//   the pod has schedulingGates (applySchedulingGatedCondition); DropDisabledPodFields drops
//   spec.resources while the release's PodLevelResources gate is off;
// - Job (pkg/registry/batch/job/strategy.go PrepareForCreate, generateSelector): unless
//   manualSelector, the template gets the job-name labels (the Job's name) and the controller-uid
//   labels (its uid) it lacks, and the selector matches batch.kubernetes.io/controller-uid. The uid
//   is the API server's, so those values are unknown here.
// - Namespace (pkg/registry/core/namespace/strategy.go PrepareForCreate): status {phase: Active}, and
//   the `kubernetes` finalizer added when the spec lacks it.
// - The other strategies clear a written status (`status = XStatus{}`: the caller defaults the object
//   without it, which gives the zero status as kdry serialises it) and most set metadata.generation
//   to 1 (GENERATION_ONE); a kind in neither table keeps its generation unknown.
// Works on the defaulted copy the caller owns; returns the fields whose value only the cluster knows.
import { isRecord } from '../manifest';
import { dropDisabledPodLevelResources } from '../k8s/pod-level-resources';
import { podQOSClass } from '../k8s/pod-qos';
import { compareVersions } from '../k8s/release-version';

/** A field of the admitted object the workspace cannot know: its path from the object's root, and why. */
export interface UnknownField {
  /** Keys of maps and indices of lists. */
  path: (string | number)[];
  reason: string;
}

type Obj = Record<string, unknown>;

/** v1.PodReasonSchedulingGated and the condition's message (strategy.go applySchedulingGatedCondition). */
const SCHEDULING_GATED = { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' };

/** batch.LegacyJobNameLabel, JobNameLabel; LegacyControllerUidLabel, ControllerUidLabel. */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';

function child(obj: Obj, key: string): Obj {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as Obj;
}

function preparePod(pod: Obj, release: string): void {
  if (!isRecord(pod.spec)) pod.spec = {};
  pod.spec = dropDisabledPodLevelResources(pod.spec as Obj, release);
  const spec = pod.spec as Obj;
  const status: Obj = { phase: 'Pending', qosClass: podQOSClass(spec) };
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) status.conditions = [{ ...SCHEDULING_GATED }];
  pod.status = status;
}

function prepareJob(job: Obj): UnknownField[] {
  const spec = child(job, 'spec');
  if (spec.manualSelector === true) return [];
  const name = isRecord(job.metadata) && typeof job.metadata.name === 'string' && job.metadata.name ? job.metadata.name : undefined;
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  const unknown: UnknownField[] = [];
  const uidReason = (at: string) => `it reads ${at}, which carries the Job's uid (the API server generates the selector on create)`;
  for (const key of JOB_NAME_LABELS) {
    if (key in labels) continue;
    if (name !== undefined) labels[key] = name;
    else unknown.push({ path: ['spec', 'template', 'metadata', 'labels', key], reason: `it reads the template label ${key}, which the API server sets to the name it generates from generateName` });
  }
  for (const key of CONTROLLER_UID_LABELS) if (!(key in labels)) unknown.push({ path: ['spec', 'template', 'metadata', 'labels', key], reason: uidReason(`the template label ${key}`) });
  const matchLabels = child(child(spec, 'selector'), 'matchLabels');
  if (!(CONTROLLER_UID in matchLabels)) unknown.push({ path: ['spec', 'selector', 'matchLabels', CONTROLLER_UID], reason: uidReason(`spec.selector.matchLabels["${CONTROLLER_UID}"]`) });
  return unknown;
}

export function prepareNamespace(namespace: Obj): void {
  namespace.status = { phase: 'Active' };
  const spec = child(namespace, 'spec');
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
  if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
}

/**
 * Kinds whose PrepareForCreate resets a written status to the zero value (pkg/registry/.../strategy.go):
 * apps deployment, statefulset, daemonset, replicaset; batch job, cronjob; core replicationcontroller,
 * service, persistentvolumeclaim; policy poddisruptionbudget; networking ingress; autoscaling
 * horizontalpodautoscaler. A Pod's and a Namespace's are replaced above.
 */
const STATUS_CLEARED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Ingress', 'HorizontalPodAutoscaler']);

/** Whether PrepareForCreate throws away the status the manifest writes (the caller defaults the object without it). */
export function clearsStatus(kind: string): boolean {
  return STATUS_CLEARED.has(kind);
}

/** Kinds whose PrepareForCreate sets metadata.generation to 1 (`X.Generation = 1`); a Pod's from 1.33 (KEP-5067). */
const GENERATION_ONE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy']);
/** Kinds whose strategy leaves generation unset (0, omitted when serialised): it reads as absent. */
const GENERATION_UNSET = new Set(['Service', 'PersistentVolumeClaim', 'Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'HorizontalPodAutoscaler']);

/** metadata.generation once created: 1, absent (undefined), or unknown (null) for a kind kdry has not checked. */
export function createdGeneration(kind: string, release: string): 1 | undefined | null {
  if (GENERATION_ONE.has(kind) || (kind === 'Pod' && compareVersions(release, '1.33') >= 0)) return 1;
  if (GENERATION_UNSET.has(kind) || kind === 'Pod') return undefined;
  return null;
}

/** Applies the kind's PrepareForCreate to `obj` (a defaulted built-in `apiVersion`/`kind` of `release`). */
export function prepareForCreate(obj: Obj, apiVersion: string, kind: string, release: string): UnknownField[] {
  const key = `${apiVersion}/${kind}`;
  if (key === 'v1/Pod') preparePod(obj, release);
  else if (key === 'batch/v1/Job') return prepareJob(obj);
  else if (key === 'v1/Namespace') prepareNamespace(obj);
  return [];
}
