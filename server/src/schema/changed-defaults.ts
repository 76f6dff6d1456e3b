// Defaults and behaviour that change between releases for a manifest that does not change, for the
// upgrade report (`kdry check --upgrade-to`). The OpenAPI data carries no defaults and no controller
// behaviour, so each change is kept here with its upstream source; the feature-gate notes
// (feature-gates.ts) already say when a field the document sets starts or stops working.
//
//   1.29  Job with a podFailurePolicy: podReplacementPolicy defaults to Failed
//         (pkg/apis/batch/v1/defaults.go SetDefaults_Job, JobPodReplacementPolicy beta)
//   1.31  Job: FailureTarget / SuccessCriteriaMet first, Failed / Complete once the pods are gone
//         (pkg/controller/job/job_controller.go delayTerminalCondition)
//   1.32  Job managedBy another controller: the built-in Job controller leaves it alone
//         (job_controller.go syncJob; JobManagedBy beta, on by default)
//   1.37  StatefulSet rollingUpdate.maxUnavailable above 1 takes effect
//         (pkg/controller/statefulset/stateful_set_control.go updateStatefulSetAfterInvariantEstablished;
//         MaxUnavailableStatefulSet beta, on by default again, kubernetes PR #139466; it was on only in
//         1.35.0-1.35.3, k8s/feature-gates.ts)
import { keyRange, valueRange, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import { CHANGED_BEHAVIOUR } from '../builtin-checks';
import type { Finding, Severity } from '../findings';
import { compareVersions } from '../k8s/release-version';

type Obj = Record<string, unknown>;

interface Change {
  /** The first release that behaves differently from the one before it. */
  since: string;
  /** Where the document meets the change and what changes there; undefined: it does not. */
  find(doc: Obj): { path: ObjectPath; severity: Severity; message: string } | undefined;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const JOB_CONTROLLER = 'kubernetes.io/job-controller';

/** The Job spec of a Job or of a CronJob's jobTemplate, with its path. */
function jobSpec(doc: Obj): { spec: Obj; at: ObjectPath } | undefined {
  const spec = isObj(doc.spec) ? doc.spec : undefined;
  if (doc.apiVersion === 'batch/v1' && doc.kind === 'Job' && spec) return { spec, at: ['spec'] };
  const template = doc.apiVersion === 'batch/v1' && doc.kind === 'CronJob' && spec && isObj(spec.jobTemplate) ? spec.jobTemplate : undefined;
  if (template && isObj(template.spec)) return { spec: template.spec, at: ['spec', 'jobTemplate', 'spec'] };
  return undefined;
}

const external = (job: Obj) => typeof job.managedBy === 'string' && job.managedBy !== JOB_CONTROLLER;

const CHANGES: readonly Change[] = [
  {
    since: '1.29',
    find(doc) {
      const job = jobSpec(doc);
      if (!job || job.spec.podFailurePolicy === undefined || job.spec.podReplacementPolicy !== undefined) return undefined;
      return {
        path: [...job.at, 'podFailurePolicy'],
        severity: 'warning',
        message:
          'From Kubernetes 1.29 a Job with a podFailurePolicy gets `podReplacementPolicy: Failed` by default (SetDefaults_Job, JobPodReplacementPolicy beta): a replacement pod is created only once a failed pod has fully terminated, no longer as soon as it starts terminating. Set `podReplacementPolicy: TerminatingOrFailed` to keep the earlier pace.',
      };
    },
  },
  {
    since: '1.31',
    find(doc) {
      const job = jobSpec(doc);
      if (!job || external(job.spec)) return undefined;
      return {
        path: ['kind'],
        severity: 'info',
        message:
          'From Kubernetes 1.31 the Job controller first adds `FailureTarget` or `SuccessCriteriaMet` and sets `Failed` or `Complete` only once the Job\'s pods have terminated (job_controller.go delayTerminalCondition): `kubectl wait --for=condition=complete` and CI steps waiting on it return later, by the pods\' shutdown time.',
      };
    },
  },
  {
    since: '1.32',
    find(doc) {
      const job = jobSpec(doc);
      if (!job || !external(job.spec)) return undefined;
      return {
        path: [...job.at, 'managedBy'],
        severity: 'warning',
        message: `From Kubernetes 1.32 the built-in Job controller leaves this Job to ${JSON.stringify(job.spec.managedBy)} (JobManagedBy beta, on by default; job_controller.go syncJob): before, the field was dropped and the built-in controller ran the Job. Make sure that controller runs in the cluster.`,
      };
    },
  },
  {
    since: '1.37',
    find(doc) {
      const spec = doc.apiVersion === 'apps/v1' && doc.kind === 'StatefulSet' && isObj(doc.spec) ? doc.spec : undefined;
      const strategy = spec && isObj(spec.updateStrategy) ? spec.updateStrategy : undefined;
      const rolling = strategy && strategy.type !== 'OnDelete' && isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
      const max = rolling?.maxUnavailable;
      if (max === undefined || max === 1 || max === '1') return undefined;
      return {
        path: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
        severity: 'warning',
        message: `From Kubernetes 1.37 \`maxUnavailable: ${String(max)}\` takes effect (MaxUnavailableStatefulSet beta, on by default again; stateful_set_control.go updateStatefulSetAfterInvariantEstablished): a rolling update replaces up to that many pods at a time, where 1.36 and 1.35 from 1.35.4 replace one at a time.`,
      };
    },
  },
];

/** What changes for `file`'s documents when the cluster moves from release `from` to `to`. */
export function behaviourChanges(file: ManifestFile, from: string, to: string): Finding[] {
  const changes = CHANGES.filter((c) => compareVersions(from, c.since) < 0 && compareVersions(to, c.since) >= 0);
  if (changes.length === 0) return [];
  const findings: Finding[] = [];
  for (const doc of file.documents) {
    if (doc.templated || !isObj(doc.value)) continue;
    for (const change of changes) {
      const hit = change.find(doc.value);
      const range = hit && rangeOf(doc, hit.path);
      if (hit && range) findings.push({ ruleId: CHANGED_BEHAVIOUR.id, severity: hit.severity, range, message: hit.message });
    }
  }
  return findings;
}

function rangeOf(doc: ManifestDocument, path: ObjectPath) {
  return path[path.length - 1] === 'kind' ? valueRange(doc, path) : keyRange(doc, path);
}
