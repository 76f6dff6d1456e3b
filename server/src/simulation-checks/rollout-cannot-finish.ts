// A Deployment's, StatefulSet's, DaemonSet's or Argo Rollout's next rollout that cannot finish on the cluster in
// force, or (a Deployment, a Rollout) not within its progressDeadlineSeconds: found by rolling out an
// edit of the settled workload in the engine. An Argo Rollout also says where its update waits for
// `kubectl argo rollouts promote` and which steps kdry does not run (information).
import { isRecord, keyRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import { blameReason, podSpecPath, podSpecRange } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';
import type { ManifestFile } from '../manifest';
import type { ArgoRolloutVerdict, RolloutVerdict, PendingVerdict } from '../engine';
import { MANUAL_PROMOTION_SECONDS } from '../engine';

export const rolloutCannotFinish: SimulationRule = {
  id: 'rollout-cannot-finish',
  title: "The next rollout of a Deployment, StatefulSet, DaemonSet or Argo Rollout cannot finish on the cluster, or not within progressDeadlineSeconds.",
  severity: 'warning',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'],
  description:
    "kdry rolls out an edit of the pod template (any change starts one) from the settled Deployment on the cluster in force, as the Deployment controller and kube-scheduler would. With `maxUnavailable: 0` no old pod may go before a new one is available, so when the cluster has no room for the surge pod, the new pod stays `Pending` with the scheduler's message and nothing moves until `progressDeadlineSeconds` passes: the Deployment reports `Progressing=False` with reason `ProgressDeadlineExceeded` (`ReplicaSet \"web-5d4f8\" has timed out progressing.`). The same happens when a topology spread constraint or pod anti-affinity cannot be met for the new pods, or when the declared probes make each batch of pods take longer than the deadline to become available (a pod is Ready once its containers' and sidecars' readiness probes pass, and no readiness probe runs before the container's startupProbe has passed). A StatefulSet's RollingUpdate is rolled out the same way: its controller replaces one pod at a time (up to `maxUnavailable` from 1.35), highest ordinal first, and waits for each new pod to be Running and Ready, so a new pod the scheduler cannot place holds the rest; and it updates only the pods whose ordinal is at least `rollingUpdate.partition`, so a partition not below `replicas` leaves every pod on the old revision while `kubectl rollout status` reports the partitioned rollout complete. A DaemonSet's RollingUpdate too: with `maxSurge` the new pod is created beside the old one on each node, which is deleted only once the new one is available, so a host port or a node without room for both keeps the new pod Pending and the rollout never finishes (daemon/update.go `rollingUpdate`). An Argo Rollout's update is progressed as its controller would (argoproj/argo-rollouts `rollout/canary.go`, `bluegreen.go`, `sync.go`): each canary `setWeight` step sizes the canary and stable ReplicaSets, a `pause` with a duration waits, a `pause: {}` (and blueGreen's `autoPromotionEnabled: false`) waits for `kubectl argo rollouts promote` (an information note on that step; the simulation promotes after " + MANUAL_PROMOTION_SECONDS + " s to see the rest), and a step whose pods the cluster cannot place, or whose pods do not become available, makes no progress: after `progressDeadlineSeconds` (600 s by default; pauses do not count) the Rollout reports `ProgressDeadlineExceeded` and `kubectl argo rollouts status` says `Degraded`, and with `progressDeadlineAbort: true` the update is aborted (the canary scaled back to 0, the stable ReplicaSet serving everything). Analysis and experiment steps run (under `kdry simulate` an AnalysisRun lasts as its AnalysisTemplate's `count`, `interval` and `initialDelay` say when the template is in scope; this check simulates the workload alone, where a run ends at once; an experiment's ReplicaSets take room on the cluster for its `duration`), their metrics assumed to pass, which an information note on the step says (`kdry simulate --fail analysis:step=N` shows Argo's abort); `setHeaderRoute` and `setMirrorRoute` give the router their route and complete at once; a step plugin is assumed to succeed (`Rollout step N/M completed (plugin: NAME)`); a step kdry does not know is noted and skipped. With `trafficRouting` the canary runs beside the full stable set (`CalculateReplicaCountsForTrafficRoutedCanary`, with `setCanaryScale`, `dynamicStableScale` and `minPodsPerReplicaSet`), so the cluster needs room for both, and the router sends each revision the step's weight. (A PodDisruptionBudget does not hold up a rollout: both controllers delete old pods directly, not through the eviction API; see `pdb-blocks-eviction` for drains.)",
  remediation:
    'Let one old pod go first (`maxUnavailable: 1`, or a percentage), make room on the cluster for the surge pod, relax the spread constraint or anti-affinity, or raise `progressDeadlineSeconds` above the time the readiness probes need. For a StatefulSet, lower `partition` below `replicas` when the pods should be updated. For an Argo Rollout, make room for the canary (or, blueGreen, for a second full set of pods), or lower the weight of the step it stops at.',
  findings({ file, doc, verdict, cluster }) {
    if (verdict.argoRollout) return argoRolloutFindings(doc, verdict.argoRollout, cluster.source);
    const rollout = verdict.rollout;
    if (!rollout) return [];
    if (verdict.kind === 'StatefulSet') return [statefulSetFinding(file, doc, rollout, cluster.source)];
    if (verdict.kind === 'DaemonSet') return [daemonSetFinding(file, doc, rollout, cluster.source)];
    const range = rollout.cause === 'stuck' ? stuckRange(file, doc, rollout) : slowRange(doc);
    const deadline = rollout.deadlineSeconds !== undefined ? ` after ${rollout.deadlineSeconds} s` : '';
    const message =
      rollout.cause === 'stuck'
        ? `The next rollout cannot finish on ${cluster.source}: a new pod stays Pending (${rollout.pendingMessage}) and the controller reports ProgressDeadlineExceeded${deadline}: ${rollout.condition}`
        : `The next rollout takes longer than progressDeadlineSeconds with the declared startup and readiness probes: the controller reports ProgressDeadlineExceeded${deadline}: ${rollout.condition}${rollout.finishedAfter !== undefined ? ` (the rollout itself finishes after ${rollout.finishedAfter} s, but \`kubectl rollout status\` has given up by then)` : ''}`;
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

/**
 * A DaemonSet's (daemon/update.go rollingUpdate): with maxSurge the new pod is created on each node
 * beside the old one, which is deleted only once the new one is available; a new pod the scheduler
 * cannot place there holds that node's old pod, and the rollout never finishes.
 */
function daemonSetFinding(file: ManifestFile, doc: ManifestDocument, rollout: RolloutVerdict, cluster: string): Finding {
  return {
    ruleId: 'rollout-cannot-finish',
    range: stuckRange(file, doc, rollout, STATEFUL_ROLLING, ['spec', 'updateStrategy']),
    message: `The next rollout cannot finish on ${cluster}: a new daemon pod stays Pending (${rollout.pendingMessage}), and the DaemonSet controller deletes the old pod on that node only once the new one is available.${surges(doc) ? ' With maxSurge the new pod starts beside the old one, so both need the node\'s room and host ports: roll with maxUnavailable instead, or free the port.' : ''}`,
  };
}

function surges(doc: ManifestDocument): boolean {
  const surge = valueAt(doc.value, [...STATEFUL_ROLLING, 'maxSurge']);
  return surge !== undefined && surge !== 0 && surge !== '0%';
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
  // the first probe that holds a pod's readiness back: a sidecar's, then a container's; a startupProbe before a readinessProbe
  for (const list of ['initContainers', 'containers']) {
    const containers = specPath ? valueAt(doc.value, [...specPath, list]) : undefined;
    if (!specPath || !Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i];
      if (!isRecord(c) || (list === 'initContainers' && c.restartPolicy !== 'Always')) continue;
      const probe = ['startupProbe', 'readinessProbe'].find((p) => c[p] !== undefined);
      if (probe) return keyRange(doc, [...specPath, list, i, probe]) ?? podSpecRange(doc);
    }
  }
  return keyRange(doc, ['spec']) ?? podSpecRange(doc);
}

const CANARY_STEPS: ObjectPath = ['spec', 'strategy', 'canary', 'steps'];

/** A canary step's first key (`setWeight`, `pause`), else the steps, else the strategy. */
function stepRange(doc: ManifestDocument, step: number | undefined): Offsets {
  const item = step !== undefined ? valueAt(doc.value, [...CANARY_STEPS, step]) : undefined;
  const first = isRecord(item) ? Object.keys(item)[0] : undefined;
  return (first !== undefined && keyRange(doc, [...CANARY_STEPS, step!, first])) || keyRange(doc, CANARY_STEPS) || keyRange(doc, ['spec', 'strategy']) || podSpecRange(doc);
}

/** `setWeight: 60`, `pause`, `analysis`: the step as Argo's CanaryStepString names it. */
function stepText(doc: ManifestDocument, step: number): string {
  const item = valueAt(doc.value, [...CANARY_STEPS, step]);
  if (!isRecord(item)) return 'step';
  const [key] = Object.keys(item);
  return key === 'setWeight' ? `setWeight: ${String(item.setWeight)}` : (key ?? 'step');
}

/**
 * An Argo Rollout's update (engine/workload-verdict.ts ArgoRolloutVerdict): a warning where it stops
 * for good (the step, in the controller's words), an information note on each step that waits for a
 * promotion and on each step kdry does not run.
 */
function argoRolloutFindings(doc: ManifestDocument, verdict: ArgoRolloutVerdict, cluster: string): Finding[] {
  const findings: Finding[] = [];
  const name = doc.name ?? '';
  const of = (step: number) => `step ${step + 1}/${verdict.steps} (${stepText(doc, step)})`;
  for (const gate of verdict.manualPromotions) {
    const range = gate.reason === 'BlueGreenPause' ? keyRange(doc, ['spec', 'strategy', 'blueGreen', 'autoPromotionEnabled']) ?? keyRange(doc, ['spec', 'strategy', 'blueGreen']) ?? podSpecRange(doc) : stepRange(doc, gate.step);
    const where = gate.reason === 'BlueGreenPause' ? 'before switching the active Service (autoPromotionEnabled: false)' : `at step ${(gate.step ?? 0) + 1}/${verdict.steps}, a pause without duration,`;
    findings.push({
      ruleId: 'rollout-cannot-finish',
      severity: 'info',
      range,
      message: `The next update of this Rollout stops ${where} until it is promoted: \`kubectl argo rollouts status ${name}\` shows Paused - ${gate.reason} until \`kubectl argo rollouts promote ${name}\`; progressDeadlineSeconds does not count while it is paused. kdry promoted it after ${MANUAL_PROMOTION_SECONDS} s to simulate the rest.`,
    });
  }
  for (const assumed of verdict.assumedSuccessful) {
    findings.push({
      ruleId: 'rollout-cannot-finish',
      severity: 'info',
      range: stepRange(doc, assumed.step),
      message: `kdry runs ${of(assumed.step)} assuming its ${assumed.kind === 'analysis' ? 'AnalysisRun succeeds' : 'Experiment and its analyses succeed'} (it cannot measure the metrics); \`kdry simulate --fail analysis:step=${assumed.step + 1}\` shows the update Argo aborts when it fails.`,
    });
  }
  for (const skipped of verdict.notSimulated) {
    findings.push({
      ruleId: 'rollout-cannot-finish',
      severity: 'info',
      range: stepRange(doc, skipped.step),
      message: `kdry does not run ${of(skipped.step)}: the simulation of the next update goes on as if it succeeded.`,
    });
  }
  const stop = verdict.stop;
  if (!stop) return findings;
  const at = stop.step !== undefined && verdict.steps > 0 && stop.step < verdict.steps ? ` at ${of(stop.step)}` : verdict.strategy === 'BlueGreen' ? ' before the switch (the preview ReplicaSet at full size)' : ' after its last step';
  const pods = verdict.strategy === 'BlueGreen' ? 'a pod of the preview ReplicaSet' : 'a canary pod';
  const why = stop.pendingMessage ? `${pods} stays Pending on ${cluster} (${stop.pendingMessage})` : `the new pods do not become available`;
  const deadline = `after progressDeadlineSeconds (${stop.progressDeadlineSeconds} s without progress) the Rollout reports Progressing=False, ProgressDeadlineExceeded: ${stop.condition}`;
  const range = stop.step !== undefined ? stepRange(doc, stop.step) : keyRange(doc, ['spec', 'strategy', 'blueGreen']) ?? keyRange(doc, ['spec', 'strategy']) ?? podSpecRange(doc);
  let message: string;
  switch (stop.cause) {
    case 'aborted':
      message = `The next update cannot finish: it stops${at}, where ${why}; ${deadline}, and with progressDeadlineAbort the controller aborts it: "Rollout aborted update to revision ${stop.revision ?? '?'}: ${stop.condition}". The ${verdict.strategy === 'BlueGreen' ? 'preview ReplicaSet is scaled down' : 'canary is scaled back to 0 pods'} and \`kubectl argo rollouts status ${name}\` says Degraded.`;
      break;
    case 'slow':
      message = `The next update stalls${at}, where ${why} in time: ${deadline}, and \`kubectl argo rollouts status ${name}\` says Degraded until it moves again${stop.completedAfter !== undefined ? ` (the update itself completes after ${stop.completedAfter} s)` : ''}.`;
      break;
    case 'stuck':
      message = `The next update cannot finish: it stops${at}, where ${why}.`;
      break;
    default:
      message = `The next update cannot finish: it stops${at}, where ${why}; ${deadline}, and \`kubectl argo rollouts status ${name}\` says Degraded.`;
  }
  findings.unshift({ ruleId: 'rollout-cannot-finish', range, message });
  return findings;
}
