// A Deployment's next rollout that cannot finish on the cluster in force, or not within its
// progressDeadlineSeconds: found by rolling out an edit of the settled Deployment in the engine.
import { isRecord, keyRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import { blameReason, podSpecPath, podSpecRange } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';
import type { ManifestFile } from '../manifest';
import type { RolloutVerdict, PendingVerdict } from '../engine';

export const rolloutCannotFinish: SimulationRule = {
  id: 'rollout-cannot-finish',
  title: "The Deployment's next rollout cannot finish on the cluster, or not within progressDeadlineSeconds.",
  severity: 'warning',
  kinds: ['Deployment'],
  description:
    "kdry rolls out an edit of the pod template (any change starts one) from the settled Deployment on the cluster in force, as the Deployment controller and kube-scheduler would. With `maxUnavailable: 0` no old pod may go before a new one is available, so when the cluster has no room for the surge pod, the new pod stays `Pending` with the scheduler's message and nothing moves until `progressDeadlineSeconds` passes: the Deployment reports `Progressing=False` with reason `ProgressDeadlineExceeded` (`ReplicaSet \"web-5d4f8\" has timed out progressing.`). The same happens when a topology spread constraint or pod anti-affinity cannot be met for the new pods, or when the declared readiness probes make each batch of pods take longer than the deadline to become available. (A PodDisruptionBudget does not hold up a rollout: the controller deletes old pods directly, not through the eviction API; see `pdb-blocks-eviction` for drains.)",
  remediation:
    'Let one old pod go first (`maxUnavailable: 1`, or a percentage), make room on the cluster for the surge pod, relax the spread constraint or anti-affinity, or raise `progressDeadlineSeconds` above the time the readiness probes need.',
  findings({ file, doc, verdict, cluster }) {
    const rollout = verdict.rollout;
    if (!rollout) return [];
    const range = rollout.cause === 'stuck' ? stuckRange(file, doc, rollout) : slowRange(doc);
    const deadline = rollout.deadlineSeconds !== undefined ? ` after ${rollout.deadlineSeconds} s` : '';
    const message =
      rollout.cause === 'stuck'
        ? `The next rollout cannot finish on ${cluster.source}: a new pod stays Pending (${rollout.pendingMessage}) and the controller reports ProgressDeadlineExceeded${deadline}: ${rollout.condition}`
        : `The next rollout takes longer than progressDeadlineSeconds with the declared readiness probes: the controller reports ProgressDeadlineExceeded${deadline}: ${rollout.condition}${rollout.finishedAfter !== undefined ? ` (the rollout itself finishes after ${rollout.finishedAfter} s, but \`kubectl rollout status\` has given up by then)` : ''}`;
    const finding: Finding = { ruleId: 'rollout-cannot-finish', range, message };
    return [finding];
  },
};

const ROLLING: ObjectPath = ['spec', 'strategy', 'rollingUpdate'];

/** On the host port, spread or affinity rule that keeps the new pod out, else on `maxUnavailable`, else the strategy or the replicas. */
function stuckRange(file: ManifestFile, doc: ManifestDocument, rollout: RolloutVerdict): Offsets {
  const reason = rollout.pendingMessage ? mainReason(schedulerReasons(rollout.pendingMessage)) : undefined;
  if (reason && ['hostPort', 'topologySpread', 'podAntiAffinity', 'podAffinity'].includes(reason.cause.kind)) {
    const none: PendingVerdict = { pending: 0, total: 0, message: '', podRequests: {}, largestNode: {}, untoleratedTaints: [] };
    return blameReason(file, doc, reason, none).range;
  }
  const rolling = valueAt(doc.value, ROLLING);
  if (isRecord(rolling) && rolling.maxUnavailable !== undefined) return keyRange(doc, [...ROLLING, 'maxUnavailable']) ?? podSpecRange(doc);
  return keyRange(doc, ['spec', 'strategy']) ?? keyRange(doc, ['spec', 'replicas']) ?? podSpecRange(doc);
}

/** On `progressDeadlineSeconds` when written, else the first readiness probe, else the spec. */
function slowRange(doc: ManifestDocument): Offsets {
  const written = keyRange(doc, ['spec', 'progressDeadlineSeconds']);
  if (written) return written;
  const specPath = podSpecPath(doc);
  const containers = specPath ? valueAt(doc.value, [...specPath, 'containers']) : undefined;
  if (specPath && Array.isArray(containers)) {
    for (let i = 0; i < containers.length; i++) {
      if (isRecord(containers[i]) && containers[i].readinessProbe !== undefined) return keyRange(doc, [...specPath, 'containers', i, 'readinessProbe']) ?? podSpecRange(doc);
    }
  }
  return keyRange(doc, ['spec']) ?? podSpecRange(doc);
}
