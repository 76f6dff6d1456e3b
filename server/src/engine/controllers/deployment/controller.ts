// The Deployment controller on the simulated World (pkg/controller/deployment/deployment_controller.go
// syncDeployment): it owns its ReplicaSets (one ReplicaSetController each, named
// `<deployment>-<pod-template-hash>`), and every sync does what upstream does in one pass:
// paused -> only scale; a scaling event -> proportional scaling; else one Recreate or RollingUpdate
// step; then the sets reconcile their pods, the status and conditions are recomputed, and old sets
// beyond revisionHistoryLimit are deleted once the rollout is complete.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../../../k8s/intstr';
import type { LabelSelector } from '../../../k8s/labels';
import type { Controller, OwnerRef, PodTemplate, SimPod, StatusRow, World } from '../../types';
import { isPodActive } from '../replicaset/activepods';
import { nonNegativeInt, podTemplateOf, ReplicaSetController, selectorOf } from '../replicaset/controller';
import { availableCondition, newCondition, NEW_REPLICA_SET_REASON, PAUSED_DEPLOY_REASON, progressingCondition, setCondition, type DeploymentCondition } from './progress';
import { oldPodsRunning, scaleDownOldReplicaSetsForRecreate, scaleUpNewReplicaSetForRecreate } from './recreate';
import { rolloutRollingStep, type ScaleReplicaSet } from './rolling';
import { cleanupOldReplicaSets, isScalingEvent, scaleDeployment, type HistoryReplicaSet } from './sync';
import {
  computePodTemplateHash,
  deploymentComplete,
  filterActiveReplicaSets,
  findNewReplicaSet,
  maxSurge,
  minAvailable,
  REVISION_ANNOTATION,
  revisionOf,
  setReplicasAnnotations,
  TIMED_OUT_REASON,
  type DeploymentLike,
  type DeploymentStatusLike,
} from './util';
import { isObj } from '../../objects';
import {
  DEPLOYMENT_DEFAULT_MAX_SURGE,
  DEPLOYMENT_DEFAULT_MAX_UNAVAILABLE,
  DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEPLOYMENT_DEFAULT_REPLICAS,
  DEPLOYMENT_DEFAULT_REVISION_HISTORY_LIMIT,
} from '../../../k8s/deployment-defaults';
import type { ReleaseBehaviour } from '../../release-behaviour';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface DeploymentSpec {
  name: string;
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge: IntOrString;
  maxUnavailable: IntOrString;
  minReadySeconds: number;
  progressDeadlineSeconds: number;
  revisionHistoryLimit: number;
  paused: boolean;
  selector?: LabelSelector;
  template: PodTemplate;
  /** The template as written, hashed into pod-template-hash. */
  templateObject: unknown;
}

/** An IntOrString the arithmetic accepts, else the API default (validation reports the bad value). */
function intOrPercent(value: unknown, fallback: IntOrString): IntOrString {
  if (typeof value !== 'number' && typeof value !== 'string') return fallback;
  try {
    getScaledValueFromIntOrPercent(value, 100, true);
    return value;
  } catch {
    return fallback;
  }
}

/** The Deployment fields the controller reads, with the API server's defaults applied. */
export function parseDeploymentSpec(object: Record<string, unknown>): DeploymentSpec {
  const meta = isObj(object.metadata) ? object.metadata : {};
  const spec = isObj(object.spec) ? object.spec : {};
  const strategy = isObj(spec.strategy) ? spec.strategy : {};
  const rolling = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  return {
    name: typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'deployment',
    replicas: nonNegativeInt(spec.replicas, DEPLOYMENT_DEFAULT_REPLICAS),
    strategy: strategy.type === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    maxSurge: intOrPercent(rolling.maxSurge, DEPLOYMENT_DEFAULT_MAX_SURGE),
    maxUnavailable: intOrPercent(rolling.maxUnavailable, DEPLOYMENT_DEFAULT_MAX_UNAVAILABLE),
    minReadySeconds: nonNegativeInt(spec.minReadySeconds, 0),
    progressDeadlineSeconds: nonNegativeInt(spec.progressDeadlineSeconds, DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS),
    revisionHistoryLimit: nonNegativeInt(spec.revisionHistoryLimit, DEPLOYMENT_DEFAULT_REVISION_HISTORY_LIMIT),
    paused: spec.paused === true,
    selector: selectorOf(spec.selector),
    template: podTemplateOf(spec.template),
    templateObject: spec.template ?? null,
  };
}

/** A ReplicaSet of the Deployment: the arithmetic's record plus the controller keeping its pods. */
export interface ManagedReplicaSet extends HistoryReplicaSet {
  uid: string;
  hash: string;
  readyReplicas: number;
  controller: ReplicaSetController;
}

export class DeploymentController implements Controller {
  readonly kind = 'Deployment';
  readonly key: string;
  readonly uid: string;
  spec: DeploymentSpec;
  /** Every ReplicaSet of the Deployment, in creation order. */
  readonly replicaSets: ManagedReplicaSet[] = [];
  progressing?: DeploymentCondition;
  available?: DeploymentCondition;
  private lastStatus: DeploymentStatusLike = { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 };
  private scaledThisSync = false;
  private rsSeq = 0;
  private hashCache?: string;

  /**
   * @param options.terminatingReplicas status counts the pods still terminating
   * (DeploymentReplicaSetTerminatingReplicas, on by default from 1.35: release-behaviour.ts).
   */
  constructor(
    object: Record<string, unknown>,
    private readonly options: { terminatingReplicas?: boolean } = {},
  ) {
    this.spec = parseDeploymentSpec(object);
    this.key = `Deployment/${this.spec.name}`;
    this.uid = `deployment-${this.spec.name}`;
  }

  get name(): string {
    return this.spec.name;
  }

  get objectName(): string {
    return `deployment.apps/${this.spec.name}`;
  }

  /** pod-template-hash of the current template (computed when the spec changes). */
  get templateHash(): string {
    this.hashCache ??= computePodTemplateHash(this.spec.templateObject);
    return this.hashCache;
  }

  /** The set whose template is the Deployment's (oldest such set), if it exists yet. */
  newReplicaSet(): ManagedReplicaSet | undefined {
    const hash = this.templateHash;
    return findNewReplicaSet(this.replicaSets, (rs) => rs.hash === hash);
  }

  oldReplicaSets(): ManagedReplicaSet[] {
    const newRS = this.newReplicaSet();
    return this.replicaSets.filter((rs) => rs !== newRS);
  }

  update(object: Record<string, unknown>): void {
    const next = parseDeploymentSpec(object);
    this.spec = { ...next, name: this.spec.name };
    this.hashCache = undefined;
    // minReadySeconds applies to every set's pods.
    for (const rs of this.replicaSets) rs.controller.spec = { ...rs.controller.spec, minReadySeconds: this.spec.minReadySeconds };
  }

  sync(world: World): boolean {
    this.scaledThisSync = false;
    this.observe(world);
    const d = this.deploymentLike();
    const scale = this.scaler(world, d);
    let created = false;
    let newRS = this.newReplicaSet();
    if (newRS && !this.spec.paused) this.syncRevision(newRS);

    if (this.spec.paused || isScalingEvent(d, this.replicaSets)) {
      scaleDeployment(d, newRS, this.oldReplicaSets(), scale);
      for (const rs of filterActiveReplicaSets(this.replicaSets)) setReplicasAnnotations(rs, d.replicas, d.replicas + maxSurge(d));
    } else if (this.spec.strategy === 'Recreate') {
      const oldRSs = this.oldReplicaSets();
      if (!scaleDownOldReplicaSetsForRecreate(filterActiveReplicaSets(oldRSs), scale) && !oldPodsRunning(newRS?.uid, oldRSs, this.podPhasesByOwner(world, oldRSs))) {
        if (!newRS) {
          newRS = this.createReplicaSet(world, d);
          created = true;
        }
        scaleUpNewReplicaSetForRecreate(newRS, d, scale);
      }
    } else {
      if (!newRS) {
        newRS = this.createReplicaSet(world, d);
        created = true;
      }
      rolloutRollingStep(newRS, this.oldReplicaSets(), d, scale);
    }

    let podsChanged = false;
    for (const rs of this.replicaSets) podsChanged = rs.controller.sync(world) || podsChanged;
    // Each set recounted its pods at the end of its sync.
    this.copyCounts();
    const conditionsChanged = this.syncStatus(world);
    const cleaned = this.cleanupHistory();
    return created || this.scaledThisSync || podsChanged || conditionsChanged || cleaned;
  }

  status(world: World): StatusRow[] {
    this.refresh(world);
    const s = this.currentStatus();
    // With the gate on, each set counts its pods that are terminating (replica_set.go syncReplicaSet,
    // controller.FilterTerminatingPods: a deletionTimestamp and not Succeeded or Failed) and the
    // Deployment adds them up (deployment_util.go GetTerminatingReplicaCountForReplicaSets).
    const terminating = (rs: ManagedReplicaSet) => rs.controller.counts.terminating;
    const fields = (count: number) => (this.options.terminatingReplicas ? { fields: { terminatingReplicas: count } } : {});
    const rows: StatusRow[] = [
      {
        object: this.objectName,
        columns: { READY: `${s.readyReplicas ?? 0}/${this.spec.replicas}`, 'UP-TO-DATE': s.updatedReplicas, AVAILABLE: s.availableReplicas },
        ...fields(this.replicaSets.reduce((sum, rs) => sum + terminating(rs), 0)),
      },
    ];
    for (const rs of this.replicaSets) rows.push({ object: rs.controller.objectName, columns: { DESIRED: rs.replicas, CURRENT: rs.statusReplicas ?? 0, READY: rs.readyReplicas }, ...fields(terminating(rs)) });
    return rows;
  }

  settled(world: World): boolean {
    this.refresh(world);
    if (this.progressing?.reason === TIMED_OUT_REASON) return true;
    const terminating = this.replicaSets.some((rs) => rs.controller.counts.terminating > 0);
    const podsMatch = this.replicaSets.every((rs) => rs.statusReplicas === rs.replicas);
    if (this.spec.paused) return podsMatch && !terminating;
    return deploymentComplete({ replicas: this.spec.replicas }, this.currentStatus()) && podsMatch && !terminating;
  }

  conditions(world: World): string[] {
    this.refresh(world);
    return [this.available, this.progressing].filter((c): c is DeploymentCondition => !!c).map((c) => `${c.type}=${c.status}/${c.reason}`);
  }

  /** The status counters as `kubectl get deploy -o yaml` shows them now. */
  currentStatus(): DeploymentStatusLike {
    let replicas = 0;
    let readyReplicas = 0;
    let availableReplicas = 0;
    for (const rs of this.replicaSets) {
      replicas += rs.statusReplicas ?? 0;
      readyReplicas += rs.readyReplicas;
      availableReplicas += rs.availableReplicas ?? 0;
    }
    return { replicas, updatedReplicas: this.newReplicaSet()?.statusReplicas ?? 0, readyReplicas, availableReplicas };
  }

  private deploymentLike(): DeploymentLike {
    const s = this.spec;
    return { strategy: s.strategy, replicas: s.replicas, maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable, statusReplicas: this.lastStatus.replicas };
  }

  /** Every set's status from its pods (ReplicaSet calculateStatus). */
  private observe(world: World): void {
    for (const rs of this.replicaSets) rs.controller.observe(world);
    this.copyCounts();
  }

  /** Counts for reads between syncs (see ReplicaSetController.current). */
  private refresh(world: World): void {
    for (const rs of this.replicaSets) rs.controller.current(world);
    this.copyCounts();
  }

  private copyCounts(): void {
    for (const rs of this.replicaSets) {
      const counts = rs.controller.counts;
      rs.statusReplicas = counts.replicas;
      rs.readyReplicas = counts.readyReplicas;
      rs.availableReplicas = counts.availableReplicas;
    }
  }

  /** scaleReplicaSetAndRecordEvent: resize, refresh the size annotations, and say so in kubectl's words. */
  private scaler(world: World, d: DeploymentLike): ScaleReplicaSet<ManagedReplicaSet> {
    return (rs, newReplicas) => {
      if (rs.replicas === newReplicas) return false;
      const from = rs.replicas;
      rs.replicas = newReplicas;
      rs.controller.setReplicas(newReplicas);
      setReplicasAnnotations(rs, d.replicas, d.replicas + maxSurge(d));
      world.event(this.objectName, `Scaled ${newReplicas > from ? 'up' : 'down'} replica set ${rs.name} from ${from} to ${newReplicas}`);
      this.scaledThisSync = true;
      return true;
    };
  }

  /** getNewReplicaSet with createIfNotExisted: a set for the current template, at 0 replicas, one revision above the rest. */
  private createReplicaSet(world: World, d: DeploymentLike): ManagedReplicaSet {
    const hash = this.templateHash;
    const name = `${this.spec.name}-${hash}`;
    const uid = `replicaset-${name}-${this.rsSeq++}`;
    const owner: OwnerRef = { kind: 'Deployment', name: this.spec.name, uid: this.uid };
    const template: PodTemplate = { ...this.spec.template, labels: { ...this.spec.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector: LabelSelector = { ...(this.spec.selector ?? {}), matchLabels: { ...(this.spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const controller = new ReplicaSetController(
      { name, replicas: 0, selector, template, minReadySeconds: this.spec.minReadySeconds, revision: hash },
      { owner, uid, requeueKey: this.key, relatedPods: (w) => this.relatedPods(w) },
    );
    const revision = Math.max(0, ...this.replicaSets.map(revisionOf)) + 1;
    const rs: ManagedReplicaSet = {
      name,
      uid,
      hash,
      replicas: 0,
      statusReplicas: 0,
      availableReplicas: 0,
      readyReplicas: 0,
      createdAt: world.now,
      annotations: { [REVISION_ANNOTATION]: String(revision) },
      controller,
    };
    setReplicasAnnotations(rs, d.replicas, d.replicas + maxSurge(d));
    this.replicaSets.push(rs);
    this.progressing = setCondition(this.progressing, newCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${name}"`, world.now));
    return rs;
  }

  /**
   * getNewReplicaSet on an existing set (a rollback to an earlier template): it becomes the
   * latest revision again, as the revision annotation shows.
   */
  private syncRevision(newRS: ManagedReplicaSet): void {
    const maxOld = Math.max(0, ...this.replicaSets.filter((rs) => rs !== newRS).map(revisionOf));
    if (revisionOf(newRS) <= maxOld) newRS.annotations = { ...newRS.annotations, [REVISION_ANNOTATION]: String(maxOld + 1) };
  }

  /** Pods of every set of this Deployment, for the co-location rank of victims. */
  private relatedPods(world: World): SimPod[] {
    const related: SimPod[] = [];
    for (const rs of this.replicaSets) {
      const owned = rs.controller.ownedPods(world);
      for (let i = 0; i < owned.length; i++) if (isPodActive(owned[i])) related.push(owned[i]);
    }
    return related;
  }

  private podPhasesByOwner(world: World, rss: readonly ManagedReplicaSet[]): Map<string, string[]> {
    return new Map(rss.map((rs) => [rs.uid, rs.controller.ownedPods(world).map((p) => p.phase)]));
  }

  /** syncRolloutStatus: conditions, the timeout event, and a requeue for the deadline. */
  private syncStatus(world: World): boolean {
    const status = this.currentStatus();
    const before = `${this.available?.status}/${this.available?.reason}|${this.progressing?.status}/${this.progressing?.reason}`;
    this.available = availableCondition(this.available, status.availableReplicas, minAvailable(this.deploymentLike()), world.now);
    if (this.spec.paused) {
      this.progressing = setCondition(this.progressing, newCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', world.now));
    } else {
      this.progressing = progressingCondition(this.progressing, {
        replicas: this.spec.replicas,
        progressDeadlineSeconds: this.spec.progressDeadlineSeconds,
        oldStatus: this.lastStatus,
        newStatus: status,
        newRSName: this.newReplicaSet()?.name,
        deploymentName: this.spec.name,
        now: world.now,
      });
      if (this.progressing?.status === 'True' && this.progressing.reason !== 'NewReplicaSetAvailable') {
        world.requeueAt(this.key, this.progressing.lastUpdateTime + this.spec.progressDeadlineSeconds + 1);
      }
    }
    this.lastStatus = status;
    return before !== `${this.available?.status}/${this.available?.reason}|${this.progressing?.status}/${this.progressing?.reason}`;
  }

  /** cleanupDeployment once the rollout is complete (or while paused). */
  private cleanupHistory(): boolean {
    if (!this.spec.paused && !deploymentComplete({ replicas: this.spec.replicas }, this.lastStatus)) return false;
    const doomed = new Set(cleanupOldReplicaSets(this.oldReplicaSets(), this.spec.revisionHistoryLimit));
    if (doomed.size === 0) return false;
    for (let i = this.replicaSets.length - 1; i >= 0; i--) if (doomed.has(this.replicaSets[i])) this.replicaSets.splice(i, 1);
    return true;
  }
}

/** The core's factory: a Deployment controller for a Deployment object of the file, as the release runs it. */
export function createDeploymentController(object: Record<string, unknown>, release?: ReleaseBehaviour): DeploymentController {
  return new DeploymentController(object, { terminatingReplicas: release?.deploymentTerminatingReplicas });
}
