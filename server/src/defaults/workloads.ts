// The defaults the API server gives the workload kinds when it decodes a manifest, their pod
// template's included (SetObjectDefaults_<Kind> in zz_generated.defaults.go): pkg/apis/apps/v1/defaults.go
// SetDefaults_Deployment, _StatefulSet, _DaemonSet, _ReplicaSet; pkg/apis/batch/v1/defaults.go
// SetDefaults_Job, _CronJob (a CronJob's jobTemplate gets only the template's and the pod failure
// policy's defaults, as SetObjectDefaults_CronJob reaches no SetDefaults_Job).
import { isRecord } from '../manifest';
import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';
import { compareVersions } from '../k8s/release-version';
import {
  DEPLOYMENT_DEFAULT_MAX_SURGE,
  DEPLOYMENT_DEFAULT_MAX_UNAVAILABLE,
  DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEPLOYMENT_DEFAULT_REPLICAS,
  DEPLOYMENT_DEFAULT_REVISION_HISTORY_LIMIT,
} from '../k8s/deployment-defaults';
import { defaultPodTemplate } from './pod-spec';
import { objects, setDefault, type Obj } from './shapes';

/** The object's spec, created when missing (SetDefaults_ writes into the zero-valued struct). */
function specOf(obj: Obj): Obj {
  if (!isRecord(obj.spec)) obj.spec = {};
  return obj.spec as Obj;
}

function child(obj: Obj, key: string): Obj {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as Obj;
}

export function defaultDeployment(obj: Obj, release: string): void {
  const spec = specOf(obj);
  setDefault(spec, 'replicas', DEPLOYMENT_DEFAULT_REPLICAS);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = child(strategy, 'rollingUpdate');
    setDefault(rollingUpdate, 'maxUnavailable', DEPLOYMENT_DEFAULT_MAX_UNAVAILABLE);
    setDefault(rollingUpdate, 'maxSurge', DEPLOYMENT_DEFAULT_MAX_SURGE);
  }
  setDefault(spec, 'revisionHistoryLimit', DEPLOYMENT_DEFAULT_REVISION_HISTORY_LIMIT);
  setDefault(spec, 'progressDeadlineSeconds', DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS);
  defaultPodTemplate(spec.template, release);
}

export function defaultDaemonSet(obj: Obj, release: string): void {
  const spec = specOf(obj);
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = child(strategy, 'rollingUpdate');
    setDefault(rollingUpdate, 'maxUnavailable', 1);
    setDefault(rollingUpdate, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(spec.template, release);
}

/** StatefulSetAutoDeletePVC has been beta and on by default since 1.27, before every release kdry knows. */
export function defaultStatefulSet(obj: Obj, release: string): void {
  const spec = specOf(obj);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  if (strategy.type === undefined || strategy.type === null || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    child(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isRecord(strategy.rollingUpdate)) {
    setDefault(strategy.rollingUpdate, 'partition', 0);
    if (gateOnByDefault(FEATURE_GATES.MaxUnavailableStatefulSet, release)) setDefault(strategy.rollingUpdate, 'maxUnavailable', 1);
  }
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(spec.template, release);
  // SetDefaults_PersistentVolumeClaimSpec, for each volumeClaimTemplate.
  for (const claim of objects(spec.volumeClaimTemplates)) setDefault(specOf(claim), 'volumeMode', 'Filesystem');
}

export function defaultReplicaSet(obj: Obj, release: string): void {
  const spec = specOf(obj);
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(spec.template, release);
}

/** math.MaxInt32: a Job with backoffLimitPerIndex has no overall backoff limit by default. */
const MAX_INT32 = 2147483647;

export function defaultJob(obj: Obj, release: string): void {
  const spec = specOf(obj);
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? MAX_INT32 : 6);
  const template = isRecord(spec.template) ? spec.template : undefined;
  const templateLabels = template && isRecord(template.metadata) ? template.metadata.labels : undefined;
  const metadata = child(obj, 'metadata');
  if (isRecord(templateLabels) && !(isRecord(metadata.labels) && Object.keys(metadata.labels).length > 0)) metadata.labels = { ...templateLabels };
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  if (gateOnByDefault(FEATURE_GATES.JobPodReplacementPolicy, release)) setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed');
  defaultPodFailurePolicy(spec);
  // PR #120206 (1.29): an unset manualSelector is false, no longer read as false wherever it is used.
  if (compareVersions(release, '1.29') >= 0) setDefault(spec, 'manualSelector', false);
  defaultPodTemplate(spec.template, release);
}

/** SetDefaults_PodFailurePolicyOnPodConditionsPattern: a pattern without a status matches True. */
function defaultPodFailurePolicy(jobSpec: Obj): void {
  if (isRecord(jobSpec.podFailurePolicy)) for (const rule of objects(jobSpec.podFailurePolicy.rules)) for (const pattern of objects(rule.onPodConditions)) setDefault(pattern, 'status', 'True');
}

export function defaultCronJob(obj: Obj, release: string): void {
  const spec = specOf(obj);
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
  if (!jobSpec) return;
  // PR #131525 (1.34) made SetObjectDefaults_CronJob reach the pattern's defaults too; before, the
  // API server refused a CronJob whose pattern had no status.
  if (compareVersions(release, '1.34') >= 0) defaultPodFailurePolicy(jobSpec);
  defaultPodTemplate(jobSpec.template, release);
}
