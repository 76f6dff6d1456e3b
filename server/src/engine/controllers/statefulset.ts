// The StatefulSet controller (pkg/controller/statefulset): identity helpers from
// stateful_set_utils.go, the control loop of stateful_set_control.go (updateStatefulSet:
// processReplica, processCondemned, the rolling update with partition and maxUnavailable,
// OnDelete) as a pure function over a pod model, and the simulation controller on the World.
// Simplified: no ControllerRevision history beyond current/update, no PVC ownerRef juggling.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../intstr';
import type { Controller, PodPhase, PodTemplate, SimPod, StatusRow, World } from '../types';

const STATEFUL_POD_REGEX = /^(.*)-([0-9]+)$/;

/** getPodName: `<set>-<ordinal>`. */
export function getPodName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/** getParentNameAndOrdinal: `web-2` -> {parent: 'web', ordinal: 2}; not a member name -> {'' , -1}. */
export function getParentNameAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_REGEX.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  // strconv.ParseInt(.., 10, 32): out of int32 range is a parse error.
  return { parent: m[1], ordinal: ordinal <= 2147483647 ? ordinal : -1 };
}

/** getPersistentVolumeClaimName: `<claim template>-<set>-<ordinal>`. */
export function getPersistentVolumeClaimName(setName: string, claimName: string, ordinal: number): string {
  return `${claimName}-${setName}-${ordinal}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** getClaimPodName: the member pod a claim belongs to (`''` if the claim is not the set's). */
export function getClaimPodName(setName: string, claimName: string): string {
  const m = new RegExp(`.*-(${escapeRegExp(setName)}-[0-9]+)$`).exec(claimName);
  return m ? m[1] : '';
}

export interface VolumeClaimTemplate {
  name: string;
  labels?: Record<string, string> | null;
}

/** getPersistentVolumeClaims: one claim per template; the selector's matchLabels are stamped on. */
export function getPersistentVolumeClaims(
  setName: string,
  ordinal: number,
  selectorMatchLabels: Record<string, string> | null | undefined,
  templates: readonly VolumeClaimTemplate[],
): { template: string; name: string; labels: Record<string, string> }[] {
  return templates.map((t) => ({
    template: t.name,
    name: getPersistentVolumeClaimName(setName, t.name, ordinal),
    labels: t.labels ? { ...t.labels, ...(selectorMatchLabels ?? {}) } : { ...(selectorMatchLabels ?? {}) },
  }));
}

/** isRunningAndReady: phase Running and the Ready condition True. */
export function isRunningAndReady(pod: { phase: PodPhase | string; ready: boolean }): boolean {
  return pod.phase === 'Running' && pod.ready;
}

/** getStatefulSetMaxUnavailable: percent of replicas rounded DOWN, never below 1; unset = 1. */
export function getStatefulSetMaxUnavailable(maxUnavailable: IntOrString | null | undefined, replicas: number): number {
  const value = getScaledValueFromIntOrPercent(maxUnavailable ?? 1, replicas, false);
  return value < 1 ? 1 : value;
}

/** getStartOrdinal: spec.ordinals.start (0 without spec.ordinals). */
export function getStartOrdinal(ordinals: { start?: number } | null | undefined): number {
  return typeof ordinals?.start === 'number' && ordinals.start >= 0 ? ordinals.start : 0;
}

/** getEndOrdinal: the last ordinal of the set (start + replicas - 1). */
export function getEndOrdinal(ordinals: { start?: number } | null | undefined, replicas: number): number {
  return getStartOrdinal(ordinals) + replicas - 1;
}

/** ascendingOrdinal sort of pod names (names without an ordinal sort as -1). */
export function sortByOrdinalAscending(podNames: readonly string[]): string[] {
  return [...podNames].sort((a, b) => getParentNameAndOrdinal(a).ordinal - getParentNameAndOrdinal(b).ordinal);
}

/** descendingOrdinal sort of pod names. */
export function sortByOrdinalDescending(podNames: readonly string[]): string[] {
  return [...podNames].sort((a, b) => getParentNameAndOrdinal(b).ordinal - getParentNameAndOrdinal(a).ordinal);
}

// ---------------------------------------------------------------------------------------------
// The control loop over a pod model

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

export interface StatefulSetControlSpec {
  replicas: number;
  ordinalsStart: number;
  podManagementPolicy: PodManagementPolicy;
  updateStrategy: 'RollingUpdate' | 'OnDelete';
  /** rollingUpdate.partition (the API defaults it to 0). */
  partition: number;
  maxUnavailable: IntOrString | null;
  /** MaxUnavailableStatefulSet feature gate: honour maxUnavailable in rolling updates. */
  maxUnavailableEnabled: boolean;
}

export interface StatefulPod<P = unknown> {
  ordinal: number;
  revision: string;
  phase: PodPhase;
  ready: boolean;
  terminating: boolean;
  /** Ready for minReadySeconds (defaults to ready). */
  available?: boolean;
  ref?: P;
}

export type StatefulSetAction<P = unknown> =
  | { kind: 'create'; ordinal: number; revision: string }
  | { kind: 'delete'; ordinal: number; reason: 'condemned' | 'update' | 'terminal'; pod: StatefulPod<P> };

export interface StatefulSetStatusView {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
}

function isHealthy(p: StatefulPod): boolean {
  return isRunningAndReady(p) && !p.terminating;
}

function isAvailable(p: StatefulPod): boolean {
  return isRunningAndReady(p) && (p.available ?? true);
}

function isTerminal(p: StatefulPod): boolean {
  return p.phase === 'Failed' || p.phase === 'Succeeded';
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition are (re)created at the current
 * revision, the rest at the update revision.
 */
export function revisionForNewPod(spec: StatefulSetControlSpec, ordinal: number, currentRevision: string, updateRevision: string): string {
  if (spec.updateStrategy === 'RollingUpdate' && ordinal < spec.ordinalsStart + spec.partition) return currentRevision;
  return updateRevision;
}

/**
 * updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet): delete up to
 * maxUnavailable - unavailable pods not on the update revision, highest ordinal first, never
 * below the partition. Unhealthy pods anywhere in the set use up the budget.
 */
export function rollingUpdateWithMaxUnavailable<P>(spec: StatefulSetControlSpec, replicas: StatefulPod<P>[], updateRevision: string): StatefulPod<P>[] {
  const maxUnavailable = getStatefulSetMaxUnavailable(spec.maxUnavailable, spec.replicas);
  const unavailable = replicas.filter((p) => !isHealthy(p)).length;
  if (unavailable >= maxUnavailable) return [];
  const budget = maxUnavailable - unavailable;
  const doomed: StatefulPod<P>[] = [];
  for (let target = replicas.length - 1; target >= spec.partition && doomed.length < budget; target--) {
    const p = replicas[target];
    if (p.revision !== updateRevision && !p.terminating) doomed.push(p);
  }
  return doomed;
}

/** Pod status counters as updateStatus computes them. */
export function statefulSetStatus(pods: readonly StatefulPod[], currentRevision: string, updateRevision: string): StatefulSetStatusView {
  const s: StatefulSetStatusView = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, currentRevision, updateRevision };
  for (const p of pods) {
    s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (isAvailable(p)) s.availableReplicas++;
    }
    if (!p.terminating) {
      if (p.revision === currentRevision) s.currentReplicas++;
      if (p.revision === updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/**
 * One updateStatefulSet pass: the creates and deletes it issues, in order. OrderedReady stops at
 * the first pod that is missing, terminating or not Running+Ready (creating at most one pod);
 * Parallel creates and condemns all at once. Scaling wins over updating; OnDelete never deletes
 * for an update. Pods with an ordinal outside the set's range are condemned, highest first.
 */
export function updateStatefulSet<P>(spec: StatefulSetControlSpec, pods: readonly StatefulPod<P>[], currentRevision: string, updateRevision: string): StatefulSetAction<P>[] {
  const actions: StatefulSetAction<P>[] = [];
  const start = spec.ordinalsStart;
  const end = start + spec.replicas - 1;
  const replicas: (StatefulPod<P> | undefined)[] = new Array(Math.max(0, spec.replicas)).fill(undefined);
  const condemned: StatefulPod<P>[] = [];
  for (const p of pods) {
    if (p.ordinal >= start && p.ordinal <= end) replicas[p.ordinal - start] = p;
    else if (p.ordinal >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  let firstUnhealthy: StatefulPod<P> | undefined;
  for (const p of replicas) if (p && !isHealthy(p) && !firstUnhealthy) firstUnhealthy = p;
  for (let i = condemned.length - 1; i >= 0 && !firstUnhealthy; i--) if (!isHealthy(condemned[i])) firstUnhealthy = condemned[i];

  const monotonic = spec.podManagementPolicy !== 'Parallel';
  for (let i = 0; i < replicas.length; i++) {
    const ordinal = start + i;
    let p = replicas[i];
    if (p && isTerminal(p)) {
      // processReplica: a finished pod is deleted and recreated in the same pass.
      actions.push({ kind: 'delete', ordinal, reason: 'terminal', pod: p });
      p = undefined;
    }
    if (!p) {
      const revision = revisionForNewPod(spec, ordinal, currentRevision, updateRevision);
      actions.push({ kind: 'create', ordinal, revision });
      replicas[i] = { ordinal, revision, phase: 'Pending', ready: false, terminating: false };
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && (p.terminating || !isRunningAndReady(p) || !isAvailable(p))) return actions;
  }
  for (const p of condemned) {
    if (p.terminating) {
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && p !== firstUnhealthy && (!isRunningAndReady(p) || !isAvailable(p))) return actions;
    actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'condemned', pod: p });
    if (monotonic) return actions;
  }
  if (spec.updateStrategy === 'OnDelete') return actions;
  const live = replicas as StatefulPod<P>[];
  if (spec.maxUnavailableEnabled) {
    let doomed: StatefulPod<P>[] = [];
    try {
      doomed = rollingUpdateWithMaxUnavailable(spec, live, updateRevision);
    } catch {
      // An invalid maxUnavailable fails the sync upstream: no update progress (the API server rejects it anyway).
    }
    for (const p of doomed) actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'update', pod: p });
    return actions;
  }
  for (let target = live.length - 1; target >= spec.partition; target--) {
    const p = live[target];
    if (p.revision !== updateRevision && !p.terminating) {
      actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'update', pod: p });
      return actions;
    }
    if (!isHealthy(p)) return actions;
  }
  return actions;
}

/** completeRollingUpdate: once every replica is updated and ready the update revision becomes current. */
export function rollingUpdateComplete(spec: StatefulSetControlSpec, status: StatefulSetStatusView): boolean {
  return spec.updateStrategy === 'RollingUpdate' && status.updatedReplicas === spec.replicas && status.readyReplicas === spec.replicas && status.replicas === spec.replicas;
}

// ---------------------------------------------------------------------------------------------
// Simulation controller

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = String(val);
  return out;
}

interface StatefulSetShape {
  name: string;
  control: StatefulSetControlSpec;
  serviceName: string;
  minReadySeconds: number;
  template: PodTemplate;
  claimTemplates: string[];
  deleteClaimsWhenScaled: boolean;
}

function statefulSetShape(object: unknown): StatefulSetShape {
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
      maxUnavailableEnabled: true,
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
 * The MaxUnavailableStatefulSet gate is treated as on, so rollingUpdate.maxUnavailable counts.
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
  private lastStatus?: StatefulSetStatusView;
  private reportedInvalid = false;

  constructor(object: unknown) {
    this.shape = statefulSetShape(object);
    this.name = this.shape.name;
    this.key = `StatefulSet/${this.name}`;
    this.uid = `statefulset-${this.name}`;
    this.currentRevision = this.updateRevision = this.revisionOf(this.shape.template);
  }

  update(object: Record<string, unknown>): void {
    this.shape = statefulSetShape(object);
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
        if (action.reason === 'terminal') world.event(object, `StatefulSet default/${this.name} is recreating ${pod.phase === 'Failed' ? 'failed' : 'terminated'} Pod ${pod.name}`, pod.phase === 'Failed' ? 'Warning' : 'Normal');
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
    for (const claim of [...this.claims].sort()) rows.push({ object: `persistentvolumeclaim/${claim}`, columns: { STATUS: 'Bound', POD: getClaimPodName(this.name, claim) } });
    return rows;
  }

  settled(world: World): boolean {
    const s = this.lastStatus;
    if (!s) return false;
    const replicas = this.shape.control.replicas;
    const allPods = world.podsOwnedBy(this.uid).length === replicas;
    if (this.shape.control.updateStrategy === 'OnDelete') return allPods && s.readyReplicas === replicas;
    return allPods && s.readyReplicas === replicas && s.updatedReplicas === replicas;
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
      world.event(object, `create Claim ${claim} Pod ${name} in StatefulSet ${this.name} success`);
    }
    world.createPod({
      name,
      owner: { kind: 'StatefulSet', name: this.name, uid: this.uid },
      template: this.templates.get(revision) ?? this.shape.template,
      revision,
      ordinal,
      claims,
      extraLabels: { 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) },
    });
    const dns = this.shape.serviceName ? ` (stable DNS name ${name}.${this.shape.serviceName})` : '';
    world.event(object, `create Pod ${name} in StatefulSet ${this.name} successful${dns}`);
  }

  private deleteClaims(world: World, ordinal: number): void {
    for (const t of this.shape.claimTemplates) {
      const claim = getPersistentVolumeClaimName(this.name, t, ordinal);
      if (this.claims.delete(claim)) world.event(`statefulset.apps/${this.name}`, `delete Claim ${claim} in StatefulSet ${this.name} success (whenScaled: Delete)`);
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

export function createStatefulSetController(object: unknown): StatefulSetController {
  return new StatefulSetController(object);
}
