// The labels a workload's pods carry beyond its template's, added by the API server or the controller,
// so a selector naming them (a StatefulSet's per-pod Service, an Indexed Job's headless Service) finds
// its pods:
//   StatefulSet  statefulset.kubernetes.io/pod-name=<name>-<ordinal>, apps.kubernetes.io/pod-index=<ordinal>
//                (pkg/controller/statefulset/stateful_set_utils.go updateIdentity), controller-revision-hash
//   Job          batch.kubernetes.io/job-name and job-name = <name>, batch.kubernetes.io/controller-uid and
//                controller-uid, unless manualSelector (pkg/registry/batch/job/strategy.go generateSelector);
//                Indexed: batch.kubernetes.io/job-completion-index=<index> (pkg/controller/job/indexed_job_utils.go
//                addCompletionIndexLabel)
//   CronJob      its Jobs' labels, for a Job name the controller generates
//   Deployment   pod-template-hash; DaemonSet controller-revision-hash, pod-template-generation;
//                Argo Rollout rollouts-pod-template-hash
// A value kdry cannot know (a hash, a uid, a generated name) takes whatever the selector asks: a selector
// on it may select the pods, so it never makes "selects nothing".
import { isRecord } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import { nameForms } from './built-names';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';

const POD_NAME = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX = 'apps.kubernetes.io/pod-index';
const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const JOB_NAMES = ['batch.kubernetes.io/job-name', 'job-name'];
const CONTROLLER_UIDS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];
const REVISION_HASH = 'controller-revision-hash';

/** Every key a controller or the API server sets on pods: a selector on one cannot narrow by the label index. */
export const CONTROLLER_LABEL_KEYS: ReadonlySet<string> = new Set([
  POD_NAME, POD_INDEX, COMPLETION_INDEX, ...JOB_NAMES, ...CONTROLLER_UIDS, REVISION_HASH, 'pod-template-hash', 'pod-template-generation', 'rollouts-pod-template-hash',
]);

/** Pods per template kdry enumerates by ordinal or index; past it, the per-pod labels are taken as unknown. */
const MAX_PODS = 10_000;

interface PodLabels {
  /** The same on every pod, unless the template sets the key itself. */
  fixed: Record<string, string>;
  /** Set on every pod, with a value kdry cannot know. */
  unknown: string[];
  /** Per pod (an ordinal or completion index), when the selector asks for them. */
  perPod?: Record<string, string>[];
}

/**
 * Whether some pod of `workload` (its template labels `labels`, with the controller's) is selected:
 * `matches` is the selector's test, `keys` the keys it names, `accepted(key)` a value it accepts for
 * a key (undefined when it accepts only the key's absence).
 */
export function somePodMatches(
  workspace: WorkspaceIndex,
  workload: IndexedDocument,
  labels: Record<string, string>,
  selector: { keys: readonly string[]; accepted: (key: string) => string | undefined },
  matches: (labels: Record<string, string>) => boolean,
): boolean {
  if (matches(labels)) return true;
  if (!selector.keys.some((k) => CONTROLLER_LABEL_KEYS.has(k))) return false;
  const added = controllerLabels(workspace, workload);
  const withControllers: Record<string, string> = { ...added.fixed, ...labels };
  for (const key of added.unknown) {
    if (!selector.keys.includes(key)) continue;
    const value = selector.accepted(key);
    if (value !== undefined) withControllers[key] = value;
  }
  if (!added.perPod) return matches(withControllers);
  return added.perPod.some((pod) => matches({ ...withControllers, ...pod }));
}

function controllerLabels(workspace: WorkspaceIndex, workload: IndexedDocument): PodLabels {
  const { doc, uri } = workload;
  const spec = valueAt(doc.value, ['spec']);
  const names = () => [...new Set([doc.name ?? '', ...nameForms(workspace, uri, doc.kind ?? '').map((f) => f.rename(doc.name ?? ''))])];
  switch (doc.kind) {
    case 'StatefulSet': {
      const replicas = isRecord(spec) ? (spec.replicas ?? 1) : 1;
      const start = isRecord(spec) && isRecord(spec.ordinals) ? (spec.ordinals.start ?? 0) : 0;
      if (typeof replicas !== 'number' || typeof start !== 'number' || replicas > MAX_PODS) return { fixed: {}, unknown: [POD_NAME, POD_INDEX, REVISION_HASH] };
      const perPod: Record<string, string>[] = [];
      for (const name of names()) for (let o = start; o < start + replicas; o++) perPod.push({ [POD_NAME]: `${name}-${o}`, [POD_INDEX]: String(o) });
      return { fixed: {}, unknown: [REVISION_HASH], perPod };
    }
    case 'Job': {
      // generateSelector runs unless manualSelector, and leaves a job-name label the template sets
      const generated = !(isRecord(spec) && spec.manualSelector === true);
      const jobNames = names();
      const fixed = generated && jobNames.length === 1 ? Object.fromEntries(JOB_NAMES.map((k) => [k, jobNames[0]])) : {};
      const unknown = generated ? [...CONTROLLER_UIDS, ...(jobNames.length > 1 ? JOB_NAMES : [])] : [];
      if (!indexed(spec)) return { fixed, unknown };
      const completions = (spec as Record<string, unknown>).completions;
      if (typeof completions !== 'number' || completions > MAX_PODS) return { fixed, unknown: [...unknown, COMPLETION_INDEX] };
      return { fixed, unknown, perPod: Array.from({ length: completions }, (_, i) => ({ [COMPLETION_INDEX]: String(i) })) };
    }
    case 'CronJob':
      return { fixed: {}, unknown: [...JOB_NAMES, ...CONTROLLER_UIDS, COMPLETION_INDEX] };
    case 'Deployment':
      return { fixed: {}, unknown: ['pod-template-hash'] };
    case 'DaemonSet':
      return { fixed: {}, unknown: [REVISION_HASH, 'pod-template-generation'] };
    case 'Rollout':
      return { fixed: {}, unknown: ['rollouts-pod-template-hash'] };
    default:
      return { fixed: {}, unknown: [] };
  }
}

const indexed = (spec: unknown) => isRecord(spec) && spec.completionMode === 'Indexed';
