// The World controllers act on, as a thin front over the simulated cluster's parts: the API
// server's stores (pods, nodes), the actors with upstream names (kubelet, scheduling queue, node
// lifecycle controller, pod GC), Services, and the change log the timeline reads. The front keeps
// what spans them: creating, deleting and removing a pod, binding, and dispatching clock events.
import { EventQueue, type ClockEvent, type VirtualTime } from '../clock';
import { nameSuffix } from '../naming';
import { cachedKubeScheduler, statelessScheduler, type SchedulePodFn, type SchedulerBackend } from '../scheduling';
import { ServiceRegistry } from '../services';
import type { CreatePodOptions, Faults, PodTemplate, SimNode, SimPod, SimService, TimelineEvent, TrafficRule, TrafficShare, World } from '../types';
import type { PodAdmission } from '../admission';
import type { ReleaseBehaviour } from '../release-behaviour';
import { storedPodSpec, type StoredPodSpec } from './disabled-fields';
import { ChangeLog, type DirtyState } from './change-log';
import { Kubelet, type KubeletEventKind } from './kubelet';
import { NodeLifecycleController } from './node-lifecycle';
import { NodeStore } from './node-store';
import { PodGarbageCollector } from './pod-gc';
import { setPodCondition } from './pod-condition';
import { PodStore, type NewPodFields } from './pod-store';
import { SchedulingQueue } from './scheduling-queue';
import type { WorldActions, WorldState } from './state';

/**
 * Pods one run may create: enough for the largest workload the engine accepts (100,000 replicas)
 * rolled out once, or a year of a five-minute CronJob; beyond it a run would take minutes and
 * gigabytes. A create beyond it throws PodLimitError, which ends the run with a problem.
 */
export const MAX_PODS_CREATED = 250_000;

export class PodLimitError extends Error {
  constructor() {
    super(`the run created ${MAX_PODS_CREATED.toLocaleString('en-US')} pods, the simulator's bound`);
  }
}

export interface SimWorldOptions {
  nodes: SimNode[];
  services?: SimService[];
  faults?: Faults;
  namespace?: string;
  /** The scheduler with its cache hooks; default kube-scheduler with its cache. */
  scheduler?: SchedulerBackend;
  /** Or a plain scheduling function (no cache), e.g. a test stand-in. */
  schedulePod?: SchedulePodFn;
  /** The namespace's admission of new pods (engine/admission.ts); none: every pod is admitted. */
  admission?: PodAdmission;
  /** The target release: the API server drops the fields of gates that are off from each pod (disabled-fields.ts). */
  release?: ReleaseBehaviour;
}

export class SimWorld implements World, WorldActions {
  private readonly admission?: PodAdmission;
  private readonly release?: ReleaseBehaviour;
  /** Per template spec, the spec as stored in the release (pods of one template share it). */
  private readonly storedSpecs = new WeakMap<Record<string, unknown>, StoredPodSpec>();
  /** The first init container a pod waited for because the release has no sidecars, for the run's notes. */
  heldAtInit?: string;
  /** Fields the release's API server dropped from the pods (gate off), for the run's notes, by field. */
  readonly droppedFields = new Map<string, string>();
  /** A pod claimed devices (spec.resourceClaims, DRA), which kdry does not allocate: for the run's notes. */
  claimsNotAllocated = false;
  readonly nodes: SimNode[];
  readonly faults: Faults;
  readonly namespace: string;
  readonly queue = new EventQueue();
  /** The workload's minReadySeconds: a ready pod counts as available after it. */
  minReadySeconds = 0;

  private readonly time: VirtualTime = { now: 0 };
  private readonly changes = new ChangeLog(this.time);
  private readonly store: PodStore;
  private readonly nodeStore: NodeStore;
  private readonly scheduler: SchedulerBackend;
  private readonly registry: ServiceRegistry;
  private readonly kubelet: Kubelet;
  private readonly schedulingQueue: SchedulingQueue;
  private readonly nodeLifecycle: NodeLifecycleController;
  private readonly podGC: PodGarbageCollector;
  private readonly requeued = new Set<string>();
  private servicesChanged = false;

  constructor(options: SimWorldOptions) {
    this.nodeStore = new NodeStore(options.nodes);
    this.nodes = this.nodeStore.list;
    this.faults = options.faults ?? {};
    this.admission = options.admission;
    this.release = options.release;
    this.namespace = options.namespace ?? 'default';
    this.store = new PodStore(this.namespace, this.changes);
    this.registry = new ServiceRegistry(options.services ?? []);
    this.scheduler = options.scheduler ?? (options.schedulePod ? statelessScheduler(options.schedulePod) : cachedKubeScheduler());
    this.scheduler.nodesChanged(this.nodes);
    const state: WorldState = {
      time: this.time,
      queue: this.queue,
      pods: this.store,
      nodes: this.nodeStore,
      changes: this.changes,
      scheduler: this.scheduler,
      namespace: this.namespace,
    };
    this.kubelet = new Kubelet(state, this.faults, this);
    this.schedulingQueue = new SchedulingQueue(state, (pod, nodeName) => this.bind(pod, nodeName, false));
    this.nodeLifecycle = new NodeLifecycleController(state, this);
    this.podGC = new PodGarbageCollector(state, this);
  }

  get now(): number {
    return this.time.now;
  }

  set now(time: number) {
    this.time.now = time;
  }

  // ---- World contract -------------------------------------------------------------------------

  pods(): readonly SimPod[] {
    return this.store.all();
  }

  /** See PodStore.ownedBy: indexed by the owner a pod was created with. */
  podsOwnedBy(uid: string): readonly SimPod[] {
    return this.store.ownedBy(uid);
  }

  /** See PodStore.releaseOwned: only this world's owner lists are made again. */
  releaseOwnedPod(pod: SimPod): void {
    this.store.releaseOwned(pod);
  }

  /** The API server's admission of a pod, as it stores the pod in the release (disabled fields dropped). */
  admit(name: string, template: PodTemplate): string | undefined {
    if (!this.admission) return undefined;
    const spec = this.storedSpec(template.spec ?? {}).spec;
    return this.admission(name, spec === template.spec ? template : { ...template, spec }, this.store.all());
  }

  createPod(options: CreatePodOptions): SimPod {
    if (this.store.created >= MAX_PODS_CREATED) throw new PodLimitError();
    const template = options.template;
    return this.addPod(
      {
        name: options.name,
        owner: options.owner,
        labels: options.extraLabels ? { ...template.labels, ...options.extraLabels } : { ...template.labels },
        annotations: { ...template.annotations },
        spec: template.spec ?? {},
        revision: options.revision,
        ordinal: options.ordinal,
        completionIndex: options.completionIndex,
        claims: options.claims,
      },
      options.nodeName,
    );
  }

  /** `reason` is the caller's (the controllers emit their own events); the taint manager marks its evictions. */
  deletePod(pod: SimPod, _reason?: string): void {
    if (!this.store.holds(pod) || pod.deletionTimestamp !== undefined) return;
    if (pod.nodeName === undefined || pod.phase === 'Succeeded' || pod.phase === 'Failed') {
      // Nothing runs to stop: the API server removes the pod at once.
      this.removePod(pod);
      return;
    }
    pod.deletionTimestamp = this.now;
    pod.ready = false;
    pod.readySince = undefined;
    // A terminating pod keeps its node's resources but no longer counts for spreading.
    this.scheduler.podChanged(pod);
    this.kubelet.forget(pod);
    this.changes.podChanged(pod);
    // On a NotReady node no kubelet confirms the shutdown: PodGC force-deletes the pod instead.
    if (this.nodeStore.isReady(pod.nodeName)) this.kubelet.stopContainers(pod);
    else this.podGC.watchTerminating(pod);
  }

  event(object: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.changes.event(object, message, type);
  }

  requeueAt(controllerKey: string, time: number): void {
    const at = Math.max(this.now, Number.isFinite(time) ? time : this.now);
    const key = `${controllerKey}@${at}`;
    if (this.requeued.has(key)) return;
    this.requeued.add(key);
    this.queue.push(at, 'requeue', controllerKey);
  }

  nameSuffix(seed: string, length = 5): string {
    return nameSuffix(seed, length);
  }

  services(): SimService[] {
    return this.registry.list();
  }

  setServiceSelector(service: string, selector: Record<string, string>): void {
    this.registry.setSelector(service, selector);
    this.servicesChanged = true;
  }

  setTrafficRule(service: string, rule: TrafficRule | undefined): void {
    this.registry.setRule(service, rule);
    this.servicesChanged = true;
  }

  // ---- Engine side ------------------------------------------------------------------------------

  /** A bare Pod from the file: no owner, scheduled like any other. */
  createBarePod(name: string, labels: Record<string, string>, annotations: Record<string, string>, spec: Record<string, unknown>): SimPod {
    return this.addPod({ name, labels, annotations, spec, revision: 'pod' });
  }

  /** Pods in the API right now, terminating ones included. */
  get podCount(): number {
    return this.store.size;
  }

  /** True when the pod counts as available: ready for at least minReadySeconds and not terminating. */
  isAvailable(pod: SimPod): boolean {
    return pod.ready && pod.deletionTimestamp === undefined && pod.readySince !== undefined && this.now - pod.readySince >= this.minReadySeconds;
  }

  isCrashLooping(pod: SimPod): boolean {
    return this.kubelet.isCrashLooping(pod);
  }

  wasEvicted(pod: SimPod): boolean {
    return this.nodeLifecycle.wasEvicted(pod);
  }

  /** The revisions present when the rollout starts: a fault on revision `new` hits only the others. */
  markRolloutStart(): void {
    this.kubelet.markRolloutStart(new Set(this.pods().map((p) => p.revision)));
  }

  /** Queue the node faults relative to `origin` (the start of the recorded timeline). */
  scheduleNodeFaults(origin: number): void {
    this.nodeLifecycle.scheduleNodeFaults(this.faults.nodeNotReady, origin);
  }

  /** True while this pod object is in the API (not removed yet). */
  holds(pod: SimPod): boolean {
    return this.store.holds(pod);
  }

  /**
   * kubectl cordon: spec.unschedulable on the node; the kubelet records NodeNotSchedulable.
   * False when there is no such node or it already was unschedulable.
   */
  cordonNode(name: string): boolean {
    const node = this.nodeStore.get(name);
    if (!node || node.unschedulable) return false;
    node.unschedulable = true;
    this.scheduler.nodesChanged(this.nodes);
    this.changes.event(`node/${name}`, `Node ${name} status is now: NodeNotSchedulable`);
    return true;
  }

  /**
   * The eviction subresource once it decided to evict (the budget check is the caller's):
   * the DisruptionTarget condition, then a graceful deletion.
   */
  evictPod(pod: SimPod): void {
    if (!this.store.holds(pod)) return;
    if (pod.deletionTimestamp === undefined && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') {
      setPodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    }
    this.deletePod(pod);
  }

  /** Apply one due clock event. */
  apply(event: ClockEvent): void {
    if (event.kind === 'nodeNotReady') return this.nodeLifecycle.markNodeNotReady(event.subject);
    if (event.kind === 'requeue') {
      this.requeued.delete(`${event.subject}@${event.time}`);
      return;
    }
    const pod = event.pod !== undefined ? (this.store.holds(event.pod) ? event.pod : undefined) : this.store.get(event.subject);
    if (!pod) return;
    switch (event.kind) {
      case 'podAvailable':
        // Not the kubelet's: the owner's controller looks again once minReadySeconds passed.
        if (pod.deletionTimestamp === undefined) this.changes.podChanged(pod);
        return;
      case 'podGarbageCollected':
        return this.podGC.collect(pod);
      case 'taintEviction':
        return this.nodeLifecycle.evict(pod);
      default:
        if (this.kubelet.apply(event as ClockEvent & { kind: KubeletEventKind }, pod) && this.minReadySeconds > 0) {
          this.queue.pushPod(this.now + this.minReadySeconds, 'podAvailable', pod);
        }
    }
  }

  /** One scheduling pass (see SchedulingQueue.schedulePending). */
  schedulePending(): boolean {
    return this.schedulingQueue.schedulePending();
  }

  /** Pods changed or removed since the last call (for the timeline's snapshots). */
  takeDirty(): DirtyState {
    return this.changes.takeDirty((pod) => this.store.holds(pod));
  }

  hasDirty(): boolean {
    return this.changes.hasDirty();
  }

  takeEvents(): TimelineEvent[] {
    return this.changes.takeEvents();
  }

  takeServicesChanged(): boolean {
    const changed = this.servicesChanged;
    this.servicesChanged = false;
    return changed;
  }

  traffic(): TrafficShare[] {
    return this.registry.traffic(this.pods());
  }

  // ---- WorldActions: what spans the actors ------------------------------------------------------

  removePod(pod: SimPod): void {
    if (!this.store.remove(pod)) return;
    this.schedulingQueue.forget(pod);
    this.kubelet.forget(pod);
    this.nodeLifecycle.forget(pod);
    this.scheduler.podRemoved(pod);
    this.clusterChanged();
  }

  clusterChanged(): void {
    this.schedulingQueue.clusterChanged();
  }

  // ---- internals --------------------------------------------------------------------------------

  private addPod(fields: NewPodFields, boundTo?: string): SimPod {
    const stored = this.storedSpec(fields.spec);
    const pod = this.store.add(stored.spec === fields.spec ? fields : { ...fields, spec: stored.spec }, this.now);
    for (const { field, gate } of stored.dropped ?? []) this.droppedFields.set(field, gate);
    if (!this.claimsNotAllocated && Array.isArray(stored.spec.resourceClaims) && stored.spec.resourceClaims.length > 0) this.claimsNotAllocated = true;
    if (stored.heldBy) {
      pod.heldAtInit = stored.heldBy;
      this.heldAtInit ??= stored.heldBy.container;
    }
    const nodeName = boundTo ?? (typeof fields.spec.nodeName === 'string' && fields.spec.nodeName !== '' ? fields.spec.nodeName : undefined);
    if (nodeName === undefined) this.schedulingQueue.add(pod);
    else if (this.nodeStore.has(nodeName)) this.bind(pod, nodeName, true);
    else pod.unschedulableReason = `node "${nodeName}" not found`;
    return pod;
  }

  private storedSpec(spec: Record<string, unknown>): StoredPodSpec {
    if (!this.release) return { spec };
    let stored = this.storedSpecs.get(spec);
    if (!stored) this.storedSpecs.set(spec, (stored = storedPodSpec(spec, this.release)));
    return stored;
  }

  /**
   * The pod's nodeName is set; the node's kubelet starts it and the taint manager watches it.
   * `direct`: bound without the scheduler (nodeName given), so its cache has not assumed the pod.
   */
  private bind(pod: SimPod, nodeName: string, direct: boolean): void {
    this.store.bind(pod, nodeName);
    if (direct) this.scheduler.podChanged(pod);
    this.changes.podChanged(pod);
    const node = this.nodeStore.get(nodeName);
    if (!node) return;
    this.nodeLifecycle.podBound(pod, node);
    this.kubelet.podBound(pod, node);
  }
}
