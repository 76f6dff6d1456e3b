// A StatefulSet simulated on the World. Simplified: no ControllerRevision history beyond the
// current and update revisions, no PVC ownerReference handling.
import { releaseBehaviour, type ReleaseBehaviour } from '../../release-behaviour';
import type { Controller, PodTemplate, SimPod, StatusRow, World } from '../../types';
import { getClaimPodName, getParentNameAndOrdinal, getPersistentVolumeClaimName, getPodName, getStartOrdinal, getStatefulSetMaxUnavailable } from './identity';
import { type StatefulPod, type StatefulSetControlSpec, type StatefulSetStatusView, rollingUpdateComplete, statefulSetStatus, updateStatefulSet } from './control';
import { obj, stringMap } from '../../objects';

interface StatefulSetShape {
  name: string;
  control: StatefulSetControlSpec;
  serviceName: string;
  minReadySeconds: number;
  template: PodTemplate;
  claimTemplates: string[];
  deleteClaimsWhenScaled: boolean;
}

function statefulSetShape(object: unknown, release: ReleaseBehaviour): StatefulSetShape {
  const o = obj(object);
  const spec = obj(o.spec);
  const strategy = obj(spec.updateStrategy);
  const rolling = obj(strategy.rollingUpdate);
  const template = obj(spec.template);
  const maxUnavailable = rolling.maxUnavailable;
  return {
    name: typeof obj(o.metadata).name === 'string' ? (obj(o.metadata).name as string) : 'statefulset',
    control: {
      replicas: typeof spec.replicas === 'number' && spec.replicas >= 0 ? Math.floor(spec.replicas) : 1,
      ordinalsStart: getStartOrdinal(obj(spec.ordinals) as { start?: number }),
      podManagementPolicy: spec.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
      updateStrategy: strategy.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
      partition: typeof rolling.partition === 'number' && rolling.partition >= 0 ? rolling.partition : 0,
      maxUnavailable: typeof maxUnavailable === 'number' || typeof maxUnavailable === 'string' ? maxUnavailable : null,
      maxUnavailableEnabled: release.statefulSetMaxUnavailable,
    },
    serviceName: typeof spec.serviceName === 'string' ? spec.serviceName : '',
    minReadySeconds: typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0,
    template: { labels: stringMap(obj(template.metadata).labels), annotations: stringMap(obj(template.metadata).annotations), spec: obj(template.spec) },
    claimTemplates: (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [])
      .map((t) => obj(obj(t).metadata).name)
      .filter((n): n is string => typeof n === 'string'),
    deleteClaimsWhenScaled: obj(spec.persistentVolumeClaimRetentionPolicy).whenScaled === 'Delete',
  };
}

/**
 * A StatefulSet on the World: pods `<name>-<ordinal>` bound to claims `<template>-<name>-<ordinal>`
 * that outlive scale-down unless persistentVolumeClaimRetentionPolicy.whenScaled is Delete.
 * rollingUpdate.maxUnavailable counts where the release's MaxUnavailableStatefulSet gate is on (release-behaviour.ts).
 */
export class StatefulSetController implements Controller {
  readonly kind = 'StatefulSet';
  readonly key: string;
  readonly name: string;
  readonly uid: string;
  private shape: StatefulSetShape;
  private readonly templates = new Map<string, PodTemplate>();
  private currentRevision: string;
  private updateRevision: string;
  private readonly claims = new Set<string>();
  /**
   * The claims' status rows, made again only when a claim comes or goes: matching each claim's
   * pod name at every instant was 6% of the engine's time in `kdry check`'s simulation checks.
   */
  private claimRows?: StatusRow[];
  private lastStatus?: StatefulSetStatusView;
  private reportedInvalid = false;

  constructor(
    object: unknown,
    private readonly release: ReleaseBehaviour = releaseBehaviour(),
  ) {
    this.shape = statefulSetShape(object, release);
    this.name = this.shape.name;
    this.key = `StatefulSet/${this.name}`;
    this.uid = `statefulset-${this.name}`;
    this.currentRevision = this.updateRevision = this.revisionOf(this.shape.template);
  }

  update(object: Record<string, unknown>): void {
    this.shape = statefulSetShape(object, this.release);
    this.updateRevision = this.revisionOf(this.shape.template);
  }

  sync(world: World): boolean {
    const invalid = this.invalidMaxUnavailable();
    if (invalid && !this.reportedInvalid) world.event(`statefulset.apps/${this.name}`, invalid, 'Warning');
    this.reportedInvalid = invalid !== undefined;
    const owned = world.podsOwnedBy(this.uid);
    const minReady = this.shape.minReadySeconds;
    const model = owned.map((pod) => this.model(pod, world.now, minReady));
    const actions = updateStatefulSet(this.shape.control, model, this.currentRevision, this.updateRevision);
    const object = `statefulset.apps/${this.name}`;
    for (const action of actions) {
      if (action.kind === 'delete') {
        const pod = action.pod.ref as SimPod;
        world.deletePod(pod, action.reason === 'update' ? 'rolling update' : action.reason === 'condemned' ? 'scale down' : 'recreating terminated pod');
        if (action.reason === 'terminal') world.event(object, `StatefulSet ${pod.namespace}/${this.name} is recreating ${pod.phase === 'Failed' ? 'failed' : 'terminated'} Pod ${pod.name}`, pod.phase === 'Failed' ? 'Warning' : 'Normal');
        world.event(object, `delete Pod ${pod.name} in StatefulSet ${this.name} successful`);
        if (action.reason === 'condemned' && this.shape.deleteClaimsWhenScaled) this.deleteClaims(world, action.ordinal);
      } else {
        this.createPod(world, action.ordinal, action.revision);
      }
    }
    if (minReady > 0) {
      for (const pod of owned) if (pod.ready && pod.readySince !== undefined && pod.readySince + minReady > world.now) world.requeueAt(this.key, pod.readySince + minReady);
    }
    const status = statefulSetStatus(
      world.podsOwnedBy(this.uid).map((pod) => this.model(pod, world.now, minReady)),
      this.currentRevision,
      this.updateRevision,
    );
    if (this.currentRevision !== this.updateRevision && rollingUpdateComplete(this.shape.control, status)) {
      this.currentRevision = this.updateRevision;
      status.currentRevision = this.updateRevision;
      status.currentReplicas = status.updatedReplicas;
    }
    const changed = actions.length > 0 || JSON.stringify(status) !== JSON.stringify(this.lastStatus);
    this.lastStatus = status;
    return changed;
  }

  status(): StatusRow[] {
    const s = this.lastStatus ?? statefulSetStatus([], this.currentRevision, this.updateRevision);
    const rows: StatusRow[] = [
      {
        object: `statefulset.apps/${this.name}`,
        columns: {
          READY: `${s.readyReplicas}/${this.shape.control.replicas}`,
          replicas: s.replicas,
          readyReplicas: s.readyReplicas,
          availableReplicas: s.availableReplicas,
          currentReplicas: s.currentReplicas,
          updatedReplicas: s.updatedReplicas,
          currentRevision: s.currentRevision,
          updateRevision: s.updateRevision,
        },
      },
    ];
    this.claimRows ??= [...this.claims].sort().map((claim) => ({ object: `persistentvolumeclaim/${claim}`, columns: { STATUS: 'Bound', POD: getClaimPodName(this.name, claim) } }));
    rows.push(...this.claimRows);
    return rows;
  }

  settled(world: World): boolean {
    const s = this.lastStatus;
    if (!s) return false;
    const replicas = this.shape.control.replicas;
    const allPods = world.podsOwnedBy(this.uid).length === replicas;
    if (this.shape.control.updateStrategy === 'OnDelete') return allPods && s.readyReplicas === replicas;
    // kubectl rollout status (polymorphichelpers/rollout_status.go StatefulSetStatusViewer.Status): with a
    // partition, done once updatedReplicas >= replicas - partition ("partitioned roll out complete").
    return allPods && s.readyReplicas === replicas && s.updatedReplicas >= replicas - this.shape.control.partition;
  }

  /** A rolling update a partition ends early: what kubectl rollout status prints, and which pods stay. */
  notes(world: World): string[] {
    const s = this.lastStatus;
    const { partition, replicas, updateStrategy, ordinalsStart } = this.shape.control;
    if (!s || updateStrategy === 'OnDelete' || partition <= 0 || s.updatedReplicas >= replicas || !this.settled(world)) return [];
    return [`partitioned roll out complete: ${s.updatedReplicas} new pods have been updated (kubectl rollout status); the pods below ordinal ${ordinalsStart + partition} (partition ${partition}) stay on revision ${s.currentRevision}`];
  }

  private invalidMaxUnavailable(): string | undefined {
    try {
      getStatefulSetMaxUnavailable(this.shape.control.maxUnavailable, this.shape.control.replicas);
      return undefined;
    } catch (err) {
      return `spec.updateStrategy.rollingUpdate.maxUnavailable: ${err instanceof Error ? err.message : String(err)}; the rolling update cannot proceed`;
    }
  }

  private model(pod: SimPod, now: number, minReady: number): StatefulPod<SimPod> {
    return {
      ordinal: pod.ordinal ?? getParentNameAndOrdinal(pod.name).ordinal,
      revision: pod.revision,
      phase: pod.phase,
      ready: pod.ready,
      terminating: pod.deletionTimestamp !== undefined,
      available: pod.ready && pod.readySince !== undefined && pod.readySince + minReady <= now,
      ref: pod,
    };
  }

  private createPod(world: World, ordinal: number, revision: string): void {
    const name = getPodName(this.name, ordinal);
    const claims = this.shape.claimTemplates.map((t) => getPersistentVolumeClaimName(this.name, t, ordinal));
    const object = `statefulset.apps/${this.name}`;
    for (const claim of claims) {
      if (this.claims.has(claim)) continue;
      this.claims.add(claim);
      this.claimRows = undefined;
      world.event(object, `create Claim ${claim} Pod ${name} in StatefulSet ${this.name} success`);
    }
    const template = this.templates.get(revision) ?? this.shape.template;
    const refused = world.admit?.(name, template);
    if (refused) {
      // stateful_pod_control.go recordPodEvent on a failed create (FailedCreate)
      world.event(object, `create Pod ${name} in StatefulSet ${this.name} failed error: ${refused}`, 'Warning');
      return;
    }
    world.createPod({
      name,
      owner: { kind: 'StatefulSet', name: this.name, uid: this.uid },
      template,
      revision,
      ordinal,
      claims,
      extraLabels: { 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) },
    });
    // stateful_pod_control.go recordPodEvent: the exact text, nothing appended.
    world.event(object, `create Pod ${name} in StatefulSet ${this.name} successful`);
  }

  private deleteClaims(world: World, ordinal: number): void {
    for (const t of this.shape.claimTemplates) {
      const claim = getPersistentVolumeClaimName(this.name, t, ordinal);
      // The garbage collector deletes the claim (the pod owns it): no event is recorded.
      if (this.claims.delete(claim)) this.claimRows = undefined;
    }
  }

  // controller-revision-hash: `<name>-<hash of the pod template>`, stable for the same template.
  private revisionOf(template: PodTemplate): string {
    const revision = `${this.name}-${shortHash(JSON.stringify(template))}`;
    this.templates.set(revision, template);
    return revision;
  }
}

// FNV-1a over the template, printed in the DNS-safe alphabet ControllerRevision names use.
function shortHash(text: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let round = 0; round < 2; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    for (let i = 0; i < 5; i++) {
      out += alphabet[h % alphabet.length];
      h = Math.floor(h / alphabet.length);
    }
  }
  return out;
}

export function createStatefulSetController(object: unknown, release?: ReleaseBehaviour): StatefulSetController {
  return new StatefulSetController(object, release);
}
