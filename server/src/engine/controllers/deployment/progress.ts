// The Progressing and Available conditions of pkg/controller/deployment/progress.go
// (syncRolloutStatus) and sync.go (calculateStatus), in kubectl's words.
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, hasProgressDeadline, NEW_RS_AVAILABLE_REASON, TIMED_OUT_REASON, type DeploymentStatusLike } from './util';

export interface DeploymentCondition {
  type: 'Progressing' | 'Available';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';

export function newCondition(type: DeploymentCondition['type'], status: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left as it is;
 * otherwise it replaces the old one, keeping lastTransitionTime when the status did not change.
 */
export function setCondition(current: DeploymentCondition | undefined, next: DeploymentCondition): DeploymentCondition {
  if (!current) return next;
  if (current.status === next.status && current.reason === next.reason) return current;
  return current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
}

/** calculateStatus's Available condition: at least minAvailable pods available. */
export function availableCondition(current: DeploymentCondition | undefined, availableReplicas: number, minAvailable: number, now: number): DeploymentCondition {
  const next =
    availableReplicas >= minAvailable
      ? newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
      : newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now);
  return setCondition(current, next);
}

export interface ProgressInput {
  replicas: number;
  progressDeadlineSeconds: number | undefined;
  oldStatus: DeploymentStatusLike;
  newStatus: DeploymentStatusLike;
  newRSName: string | undefined;
  deploymentName: string;
  now: number;
}

/**
 * syncRolloutStatus's Progressing condition: complete -> NewReplicaSetAvailable; progress made ->
 * ReplicaSetUpdated with a fresh lastUpdateTime; otherwise past the deadline ->
 * ProgressDeadlineExceeded. Returns the condition to keep (undefined without a deadline).
 */
export function progressingCondition(current: DeploymentCondition | undefined, input: ProgressInput): DeploymentCondition | undefined {
  if (!hasProgressDeadline(input.progressDeadlineSeconds)) return undefined;
  const { newStatus, now } = input;
  const subject = input.newRSName !== undefined ? `ReplicaSet "${input.newRSName}"` : `Deployment "${input.deploymentName}"`;
  const alreadyComplete = newStatus.replicas === newStatus.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (alreadyComplete) return current;
  if (deploymentComplete({ replicas: input.replicas }, newStatus)) {
    return setCondition(current, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
  }
  if (deploymentProgressing(input.oldStatus, newStatus)) {
    const next = newCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
    if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
    return next;
  }
  if (deploymentTimedOut(input.progressDeadlineSeconds, current, now)) {
    return setCondition(current, newCondition('Progressing', 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
  }
  return current;
}
