// A Deployment's or StatefulSet's next rollout that cannot finish on the cluster in force, or (a
// Deployment) not within its progressDeadlineSeconds: found by rolling out an edit of the settled
// workload in the engine.
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
  title: "The next rollout of a Deployment or StatefulSet cannot finish on the cluster, or not within progressDeadlineSeconds.",
  severity: 'warning',
  kinds: ['Deployment', 'StatefulSet'],
  description:
    "kdry rolls out an edit of the pod template (any change starts one) from the settled Deployment on the cluster in force, as the Deployment controller and kube-scheduler would. With `maxUnavailable: 0` no old pod may go before a new one is available, so when the cluster has no room for the surge pod, the new pod stays `Pending` with the scheduler's message and nothing moves until `progressDeadlineSeconds` passes: the Deployment reports `Progressing=False` with reason `ProgressDeadlineExceeded` (`ReplicaSet \"web-5d4f8\" has timed out progressing.`). The same happens when a topology spread constraint or pod anti-affinity cannot be met for the new pods, or when the declared readiness probes make each batch of pods take longer than the deadline to become available. A StatefulSet's RollingUpdate is rolled out the same way: its controller replaces one pod at a time (up to `maxUnavailable` from 1.35), highest ordinal first, and waits for each new pod to be Running and Ready, so a new pod the scheduler cannot place holds the rest; and it updates only the pods whose ordinal is at least `rollingUpdate.partition`, so a partition not below `replicas` leaves every pod on the old revision while `kubectl rollout status` reports the partitioned rollout complete. (A PodDisruptionBudget does not hold up a rollout: both controllers delete old pods directly, not through the eviction API; see `pdb-blocks-eviction` for drains.)",
  remediation:
    'Let one old pod go first (`maxUnavailable: 1`, or a percentage), make room on the cluster for the surge pod, relax the spread constraint or anti-affinity, or raise `progressDeadlineSeconds` above the time the readiness probes need. For a StatefulSet, lower `partition` below `replicas` when the pods should be updated.',
  findings({ file, doc, verdict, cluster }) {
    const rollout = verdict.rollout;
    if (!rollout) return [];
    if (verdict.kind === 'StatefulSet') return [statefulSetFinding(file, doc, rollout, cluster.source)];
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
const STATEFUL_ROLLING: ObjectPath = ['spec', 'updateStrategy', 'rollingUpdate'];

/**
 * A StatefulSet's: the controller (stateful_set_control.go updateStatefulSet) replaces one pod at a
 * time (maxUnavailable from 1.35), highest ordinal first, and waits for each to be Running and
 * Ready; it updates only ordinals at or above the partition.
 */
function statefulSetFinding(file: ManifestFile, doc: ManifestDocument, rollout: RolloutVerdict, cluster: string): Finding {
  if (rollout.cause === 'partition') {
    return {
      ruleId: 'rollout-cannot-finish',
      range: keyRange(doc, [...STATEFUL_ROLLING, 'partition']) ?? keyRange(doc, ['spec', 'updateStrategy']) ?? podSpecRange(doc),
      message: `The next rollout updates no pod: rollingUpdate.partition ${rollout.partition} is not below replicas ${rollout.replicas}, and the StatefulSet controller updates only the pods whose ordinal is at least the partition, so all ${rollout.replicas} keep the current revision (\`kubectl rollout status\` still reports "partitioned roll out complete: 0 new pods have been updated...").`,
    };
  }
  return {
    ruleId: 'rollout-cannot-finish',
    range: stuckRange(file, doc, rollout, STATEFUL_ROLLING, ['spec', 'updateStrategy']),
    message: `The next rollout cannot finish on ${cluster}: a pod of the new revision stays Pending (${rollout.pendingMessage}), and the StatefulSet controller updates no further pod until it is Running and Ready.`,
  };
}

/** On the host port, spread or affinity rule that keeps the new pod out, else on `maxUnavailable`, else the strategy or the replicas. */
function stuckRange(file: ManifestFile, doc: ManifestDocument, rollout: RolloutVerdict, rollingPath = ROLLING, strategyPath: ObjectPath = ['spec', 'strategy']): Offsets {
  const reason = rollout.pendingMessage ? mainReason(schedulerReasons(rollout.pendingMessage)) : undefined;
  if (reason && ['hostPort', 'topologySpread', 'podAntiAffinity', 'podAffinity'].includes(reason.cause.kind)) {
    const none: PendingVerdict = { pending: 0, total: 0, message: '', podRequests: {}, largestNode: {}, untoleratedTaints: [] };
    return blameReason(file, doc, reason, none).range;
  }
  const rolling = valueAt(doc.value, rollingPath);
  if (isRecord(rolling) && rolling.maxUnavailable !== undefined) return keyRange(doc, [...rollingPath, 'maxUnavailable']) ?? podSpecRange(doc);
  return keyRange(doc, strategyPath) ?? keyRange(doc, ['spec', 'replicas']) ?? podSpecRange(doc);
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
