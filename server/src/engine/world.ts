// The World controllers act on: nodes, pods (indexed by owner and node), Services, faults and the
// event queue that drives each pod through its lifecycle on the virtual clock.
import { EventQueue, type ClockEvent } from './clock';
import {
  CRASH_AFTER_START_SECONDS,
  IMAGE_PULL_AND_START_SECONDS,
  POD_GC_PERIOD_SECONDS,
  crashBackoffSeconds,
  noExecuteTolerationSeconds,
  readyDelaySeconds,
  runSeconds,
  runsToCompletion,
  terminationSeconds,
} from './lifecycle';
import { NAME_SUFFIX_ALPHABET, nameSuffix } from './naming';
import { cachedKubeScheduler, statelessScheduler, type SchedulePodFn, type SchedulerBackend } from './scheduling';
import { ServiceRegistry } from './services';
import type { CreatePodOptions, Faults, OwnerRef, SimNode, SimPod, SimService, Taint, TimelineEvent, TrafficRule, TrafficShare, World } from './types';

/** A fault revision `new` means any revision no pod had when the rollout started. */
export const NEW_REVISION = 'new';

/** Crash-loop restarts after this many no longer keep the simulation running on their own. */
const FOREGROUND_CRASH_RESTARTS = 6;
/** Scheduled-pod events listed one by one per pass; the rest are counted in one line. */
const SCHEDULED_EVENTS_PER_PASS = 20;

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';

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

/** Required pod affinity or topology spread constraints: placement depends on where other pods are. */
function waitsOnOtherPods(spec: Record<string, unknown>): boolean {
  const affinity = spec.affinity as Record<string, unknown> | undefined;
  const constraints = spec.topologySpreadConstraints;
  return (typeof affinity === 'object' && affinity !== null && affinity.podAffinity !== undefined) || (Array.isArray(constraints) && constraints.length > 0);
}

/**
 * The World's own copy of the nodes (faults change them; the caller's list, e.g. DEFAULT_CLUSTER,
 * stays as it was). Nodes from outside the loader may be partial: missing fields take defaults,
 * nameless or duplicate nodes are dropped.
 */
function copyNodes(nodes: readonly SimNode[]): SimNode[] {
  const seen = new Set<string>();
  const copies: SimNode[] = [];
  for (const n of Array.isArray(nodes) ? nodes : []) {
    if (typeof n !== 'object' || n === null || typeof n.name !== 'string' || n.name === '' || seen.has(n.name)) continue;
    seen.add(n.name);
    copies.push({
      name: n.name,
      labels: { ...(n.labels ?? {}) },
      taints: Array.isArray(n.taints) ? (n.taints as Taint[]).filter((t) => typeof t === 'object' && t !== null).map((t) => ({ ...t })) : [],
      unschedulable: n.unschedulable === true,
      ready: n.ready !== false,
      allocatable: { ...(n.allocatable ?? {}) },
    });
  }
  return copies;
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
}

interface DirtyState {
  changed: SimPod[];
  removed: string[];
}

export class SimWorld implements World {
  now = 0;
  readonly nodes: SimNode[];
  readonly faults: Faults;
  readonly namespace: string;
  readonly queue = new EventQueue();
  /** The workload's minReadySeconds: a ready pod counts as available after it. */
  minReadySeconds = 0;

  private podList: SimPod[] = [];
  private podListHasRemoved = false;
  private readonly nodeByName = new Map<string, SimNode>();
  private readonly byUid = new Map<string, SimPod>();
  private readonly byName = new Map<string, SimPod>();
  private readonly byOwner = new Map<string, Map<string, SimPod>>();
  private readonly byNode = new Map<string, Set<SimPod>>();
  private readonly creationSeq = new Map<SimPod, number>();
  private readonly crashLooping = new Set<SimPod>();
  private readonly specIds = new WeakMap<object, number>();
  private nextSpecId = 0;
  private readonly evicted = new Set<SimPod>();
  private nextPodSeq = 0;
  private readonly registry: ServiceRegistry;
  private readonly scheduler: SchedulerBackend;
  private readonly requeued = new Set<string>();

  private unattempted = new Set<SimPod>();
  private readonly unschedulable = new Set<SimPod>();
  private clusterChanged = false;

  private dirty = new Set<SimPod>();
  private removed: string[] = [];
  private events: TimelineEvent[] = [];
  private servicesChanged = false;
  private revisionsAtStart: Set<string> | undefined;

  constructor(options: SimWorldOptions) {
    this.nodes = copyNodes(options.nodes);
    for (const n of this.nodes) this.nodeByName.set(n.name, n);
    this.faults = options.faults ?? {};
    this.namespace = options.namespace ?? 'default';
    this.registry = new ServiceRegistry(options.services ?? []);
    this.scheduler = options.scheduler ?? (options.schedulePod ? statelessScheduler(options.schedulePod) : cachedKubeScheduler());
    this.scheduler.nodesChanged(this.nodes);
  }

  // ---- World contract -------------------------------------------------------------------------

  pods(): readonly SimPod[] {
    if (this.podListHasRemoved) {
      this.podList = this.podList.filter((p) => this.byUid.get(p.uid) === p);
      this.podListHasRemoved = false;
    }
    return this.podList;
  }

  /**
   * Indexed by the owner a pod was created with. A controller may release a pod by clearing
   * `pod.owner` (ClaimPods): such pods drop out here. A pod adopted by assigning `pod.owner` is not
   * indexed under its new owner: the adopting controller keeps track of it (a property accessor
   * that re-indexed on assignment cost 20% of a large run).
   */
  podsOwnedBy(uid: string): SimPod[] {
    const owned = this.byOwner.get(uid);
    if (!owned) return [];
    const pods: SimPod[] = [];
    for (const pod of owned.values()) {
      if (pod.owner?.uid === uid) pods.push(pod);
      else owned.delete(pod.uid);
    }
    return pods;
  }

  createPod(options: CreatePodOptions): SimPod {
    if (this.nextPodSeq >= MAX_PODS_CREATED) throw new PodLimitError();
    const template = options.template;
    return this.addPod({
      name: options.name,
      owner: options.owner,
      labels: { ...(template.labels ?? {}), ...(options.extraLabels ?? {}) },
      annotations: { ...(template.annotations ?? {}) },
      spec: template.spec ?? {},
      revision: options.revision,
      nodeName: options.nodeName,
      ordinal: options.ordinal,
      completionIndex: options.completionIndex,
      claims: options.claims,
    });
  }

  /** `reason` is the caller's (the controllers emit their own events); the taint manager marks its evictions. */
  deletePod(pod: SimPod, _reason?: string): void {
    if (this.byUid.get(pod.uid) !== pod || pod.deletionTimestamp !== undefined) return;
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
    this.crashLooping.delete(pod);
    this.dirty.add(pod);
    // On a NotReady node no kubelet confirms the shutdown: PodGC force-deletes the pod instead.
    if (this.nodeIsReady(pod.nodeName)) this.queue.push(this.now + terminationSeconds(pod.spec), 'podGone', pod.uid);
    else this.queue.push(this.now + POD_GC_PERIOD_SECONDS, 'podGarbageCollected', pod.uid);
  }

  event(object: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.events.push({ time: this.now, object, message, type });
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
    return this.byUid.size;
  }

  /** True when the pod counts as available: ready for at least minReadySeconds and not terminating. */
  isAvailable(pod: SimPod): boolean {
    return pod.ready && pod.deletionTimestamp === undefined && pod.readySince !== undefined && this.now - pod.readySince >= this.minReadySeconds;
  }

  isCrashLooping(pod: SimPod): boolean {
    return this.crashLooping.has(pod);
  }

  wasEvicted(pod: SimPod): boolean {
    return this.evicted.has(pod);
  }

  /** The revisions present when the rollout starts: a fault on revision `new` hits only the others. */
  markRolloutStart(): void {
    this.revisionsAtStart = new Set(this.pods().map((p) => p.revision));
  }

  /** Queue the node faults relative to `origin` (the start of the recorded timeline). */
  scheduleNodeFaults(origin: number): void {
    for (const f of this.faults.nodeNotReady ?? []) this.queue.push(origin + Math.max(0, f.at), 'nodeNotReady', f.node);
  }

  /** Apply one due clock event. */
  apply(event: ClockEvent): void {
    if (event.kind === 'nodeNotReady') return this.markNodeNotReady(event.subject);
    if (event.kind === 'requeue') {
      this.requeued.delete(`${event.subject}@${event.time}`);
      return;
    }
    const pod = this.byUid.get(event.subject);
    if (!pod) return;
    const alive = pod.deletionTimestamp === undefined;
    switch (event.kind) {
      case 'podRunning':
        if (alive && pod.phase === 'Pending') this.startContainers(pod);
        return;
      case 'podReady':
        if (alive && pod.phase === 'Running' && !this.crashLooping.has(pod) && this.nodeIsReady(pod.nodeName)) {
          pod.ready = true;
          pod.readySince = this.now;
          this.dirty.add(pod);
          if (this.minReadySeconds > 0) this.queue.push(this.now + this.minReadySeconds, 'podAvailable', pod.uid);
        }
        return;
      case 'podAvailable':
        if (alive) this.dirty.add(pod);
        return;
      case 'podCrash':
        if (alive && pod.phase === 'Running') this.crash(pod);
        return;
      case 'podRestart':
        if (alive && this.crashLooping.delete(pod)) {
          this.dirty.add(pod);
          this.queue.push(this.now + CRASH_AFTER_START_SECONDS, 'podCrash', pod.uid, pod.restartCount <= FOREGROUND_CRASH_RESTARTS);
        }
        return;
      case 'podCompleted':
        if (alive && pod.phase === 'Running') {
          pod.phase = 'Succeeded';
          pod.ready = false;
          pod.readySince = undefined;
          this.dirty.add(pod);
          this.scheduler.podChanged(pod);
          this.clusterChanged = true;
        }
        return;
      case 'podGone':
        this.removePod(pod);
        return;
      case 'podGarbageCollected':
        // The approximation of docs/simulation.md: the NotReady node counts as out of service (as
        // if tainted node.kubernetes.io/out-of-service), so PodGC's gcTerminating applies to it.
        if (!alive && !this.nodeIsReady(pod.nodeName)) {
          this.event(`pod/${pod.name}`, `PodGC: force deleting terminating pod ${this.namespace}/${pod.name} on NotReady node ${pod.nodeName}`, 'Warning');
          this.removePod(pod);
        }
        return;
      case 'taintEviction':
        if (alive && this.nodeHasNoExecuteTaint(pod.nodeName)) {
          this.event(`pod/${pod.name}`, `Marking for deletion Pod ${this.namespace}/${pod.name}`);
          this.evicted.add(pod);
          this.deletePod(pod, 'Evicted');
        }
        return;
    }
  }

  /**
   * One scheduling pass: new pods in creation order, and the unschedulable ones again when the
   * cluster changed since they were last tried (a pod left, a node changed). Returns true if any
   * pod was bound or got a new reason.
   */
  schedulePending(): boolean {
    if (this.unattempted.size === 0 && !(this.clusterChanged && this.unschedulable.size > 0)) {
      this.clusterChanged = false;
      return false;
    }
    let candidates = [...this.unattempted];
    if (this.clusterChanged && this.unschedulable.size > 0) {
      candidates = [...this.unschedulable, ...candidates].sort((a, b) => (this.creationSeq.get(a) ?? 0) - (this.creationSeq.get(b) ?? 0));
    }
    this.unattempted = new Set();
    this.clusterChanged = false;
    if (candidates.length === 0) return false;
    let changed = false;
    let scheduledEvents = 0;
    let failedEvents = 0;
    const allPods = this.pods() as SimPod[];
    // Pods of one template that failed since the last bind fail again with the same message:
    // nothing they depend on changed, so the scheduler is not asked again (an equivalence class).
    const failedClasses = new Map<string, string>();
    for (const pod of candidates) {
      if (this.byUid.get(pod.uid) !== pod || pod.deletionTimestamp !== undefined || pod.nodeName !== undefined) {
        this.unschedulable.delete(pod);
        continue;
      }
      const schedulingClass = this.schedulingClass(pod);
      const knownFailure = failedClasses.get(schedulingClass);
      let result: { nodeName?: string; reason?: string };
      if (knownFailure !== undefined) result = { reason: knownFailure };
      else {
        try {
          result = this.scheduler.schedule(pod, this.nodes, allPods);
        } catch (e) {
          result = { reason: `scheduler error: ${e instanceof Error ? e.message : String(e)}` };
        }
      }
      if (result.nodeName !== undefined && this.nodeByName.has(result.nodeName)) {
        this.unschedulable.delete(pod);
        pod.unschedulableReason = undefined;
        this.bind(pod, result.nodeName, false);
        failedClasses.clear();
        if (scheduledEvents++ < SCHEDULED_EVENTS_PER_PASS) this.event(`pod/${pod.name}`, `Successfully assigned ${this.namespace}/${pod.name} to ${result.nodeName}`);
        changed = true;
      } else {
        const reason = result.reason ?? `0/${this.nodes.length} nodes are available.`;
        failedClasses.set(schedulingClass, reason);
        this.unschedulable.add(pod);
        if (pod.unschedulableReason !== reason) {
          pod.unschedulableReason = reason;
          this.dirty.add(pod);
          if (failedEvents++ < SCHEDULED_EVENTS_PER_PASS) this.event(`pod/${pod.name}`, reason, 'Warning');
          changed = true;
        }
      }
    }
    if (failedEvents > SCHEDULED_EVENTS_PER_PASS) {
      this.event('scheduler', `${failedEvents - SCHEDULED_EVENTS_PER_PASS} more pods could not be scheduled (FailedScheduling)`, 'Warning');
    }
    // A pod placed can be what a pending pod's pod affinity or topology spread waits for (the
    // scheduling queue's "pod added" hint): those are tried again at the next pass.
    if (scheduledEvents > 0 && [...this.unschedulable].some((p) => waitsOnOtherPods(p.spec))) this.clusterChanged = true;
    if (scheduledEvents > SCHEDULED_EVENTS_PER_PASS) {
      this.event('scheduler', `Successfully assigned ${scheduledEvents - SCHEDULED_EVENTS_PER_PASS} more pods`);
    }
    return changed;
  }

  /** Pods changed or removed since the last call (for the timeline's snapshots). */
  takeDirty(): DirtyState {
    const state = { changed: [...this.dirty].filter((p) => this.byUid.get(p.uid) === p), removed: this.removed };
    this.dirty = new Set();
    this.removed = [];
    return state;
  }

  hasDirty(): boolean {
    return this.dirty.size > 0 || this.removed.length > 0;
  }

  takeEvents(): TimelineEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  takeServicesChanged(): boolean {
    const changed = this.servicesChanged;
    this.servicesChanged = false;
    return changed;
  }

  traffic(): TrafficShare[] {
    return this.registry.traffic(this.pods());
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Pods with the same spec object, labels and owner are interchangeable to the scheduler. */
  private schedulingClass(pod: SimPod): string {
    let specId = this.specIds.get(pod.spec);
    if (specId === undefined) this.specIds.set(pod.spec, (specId = this.nextSpecId++));
    const labels = Object.keys(pod.labels)
      .sort()
      .map((k) => `${k}=${pod.labels[k]}`)
      .join(',');
    return `${specId}|${pod.owner?.uid ?? ''}|${labels}`;
  }

  private addPod(fields: {
    name: string;
    owner?: OwnerRef;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    spec: Record<string, unknown>;
    revision: string;
    nodeName?: string;
    ordinal?: number;
    completionIndex?: number;
    claims?: string[];
  }): SimPod {
    const seq = this.nextPodSeq++;
    const pod: SimPod = {
      uid: `pod-${seq}`,
      name: this.uniqueName(fields.name),
      namespace: this.namespace,
      labels: fields.labels,
      annotations: fields.annotations,
      ...(fields.owner ? { owner: { ...fields.owner } } : {}),
      revision: fields.revision,
      spec: fields.spec,
      phase: 'Pending',
      ready: false,
      createdAt: this.now,
      restartCount: 0,
      ...(fields.ordinal !== undefined ? { ordinal: fields.ordinal } : {}),
      ...(fields.completionIndex !== undefined ? { completionIndex: fields.completionIndex } : {}),
      ...(fields.claims ? { claims: [...fields.claims] } : {}),
    };
    this.podList.push(pod);
    this.byUid.set(pod.uid, pod);
    this.byName.set(pod.name, pod);
    this.creationSeq.set(pod, seq);
    this.trackOwner(pod);
    this.dirty.add(pod);
    const nodeName = fields.nodeName ?? (typeof fields.spec.nodeName === 'string' && fields.spec.nodeName !== '' ? fields.spec.nodeName : undefined);
    if (nodeName === undefined) this.unattempted.add(pod);
    else if (this.nodeByName.has(nodeName)) this.bind(pod, nodeName, true);
    else pod.unschedulableReason = `node "${nodeName}" not found`;
    return pod;
  }

  private trackOwner(pod: SimPod): void {
    if (!pod.owner) return;
    let owned = this.byOwner.get(pod.owner.uid);
    if (!owned) this.byOwner.set(pod.owner.uid, (owned = new Map()));
    owned.set(pod.uid, pod);
  }

  /** An owner without pods leaves the index: a year of CronJob runs has 100,000 Jobs. */
  private forgetOwned(pod: SimPod): void {
    const owned = this.byOwner.get((pod.owner as OwnerRef).uid);
    if (!owned) return;
    owned.delete(pod.uid);
    if (owned.size === 0) this.byOwner.delete((pod.owner as OwnerRef).uid);
  }

  /** generateName semantics: on a clash the API server's retry picks another suffix. */
  private uniqueName(name: string): string {
    if (!this.byName.has(name)) return name;
    const suffixed = new RegExp(`^(.*-)[${NAME_SUFFIX_ALPHABET}]{5}$`).exec(name);
    for (let attempt = 1; ; attempt++) {
      const candidate = suffixed ? `${suffixed[1]}${nameSuffix(`${name}#${attempt}`)}` : `${name}-${attempt}`;
      if (!this.byName.has(candidate)) return candidate;
    }
  }

  private removePod(pod: SimPod): void {
    if (this.byUid.get(pod.uid) !== pod) return;
    this.byUid.delete(pod.uid);
    if (this.byName.get(pod.name) === pod) this.byName.delete(pod.name);
    if (pod.owner) this.forgetOwned(pod);
    if (pod.nodeName !== undefined) this.byNode.get(pod.nodeName)?.delete(pod);
    this.unattempted.delete(pod);
    this.unschedulable.delete(pod);
    this.crashLooping.delete(pod);
    this.evicted.delete(pod);
    this.creationSeq.delete(pod);
    this.dirty.delete(pod);
    this.removed.push(pod.name);
    this.podListHasRemoved = true;
    this.scheduler.podRemoved(pod);
    this.clusterChanged = true;
  }

  /** `direct`: bound without the scheduler (nodeName given), so its cache has not assumed the pod. */
  private bind(pod: SimPod, nodeName: string, direct: boolean): void {
    pod.nodeName = nodeName;
    if (direct) this.scheduler.podChanged(pod);
    let onNode = this.byNode.get(nodeName);
    if (!onNode) this.byNode.set(nodeName, (onNode = new Set()));
    onNode.add(pod);
    this.dirty.add(pod);
    const node = this.nodeByName.get(nodeName as string);
    if (!node) return;
    for (const taint of node.taints) if (taint.effect === 'NoExecute') this.scheduleTaintEviction(pod, taint.key);
    // A NotReady node has no kubelet to start the containers.
    if (node.ready) this.queue.push(this.now + IMAGE_PULL_AND_START_SECONDS, 'podRunning', pod.uid);
  }

  private startContainers(pod: SimPod): void {
    pod.phase = 'Running';
    this.dirty.add(pod);
    if (this.revisionFaulted(this.faults.crashLoopRevision, pod.revision)) {
      this.queue.push(this.now + CRASH_AFTER_START_SECONDS, 'podCrash', pod.uid);
      return;
    }
    if (runsToCompletion(pod.spec)) this.queue.push(this.now + runSeconds(pod.spec, pod.annotations), 'podCompleted', pod.uid);
    if (!this.revisionFaulted(this.faults.neverReadyRevision, pod.revision)) this.queue.push(this.now + readyDelaySeconds(pod.spec), 'podReady', pod.uid);
  }

  /** The container exited non-zero: Never -> Failed; otherwise restart after the back-off. */
  private crash(pod: SimPod): void {
    pod.ready = false;
    pod.readySince = undefined;
    this.dirty.add(pod);
    if (pod.spec.restartPolicy === 'Never') {
      pod.phase = 'Failed';
      this.scheduler.podChanged(pod);
      this.clusterChanged = true;
      return;
    }
    pod.restartCount++;
    this.crashLooping.add(pod);
    this.event(`pod/${pod.name}`, `Back-off restarting failed container`, 'Warning');
    this.queue.push(this.now + crashBackoffSeconds(pod.restartCount), 'podRestart', pod.uid, pod.restartCount <= FOREGROUND_CRASH_RESTARTS);
  }

  private revisionFaulted(target: string | undefined, revision: string): boolean {
    if (target === undefined || target === '') return false;
    // Before the rollout starts (the warm-up from `before`) no revision is new.
    if (target === NEW_REVISION) return this.revisionsAtStart !== undefined && !this.revisionsAtStart.has(revision);
    return target === revision;
  }

  private nodeIsReady(nodeName: string | undefined): boolean {
    return nodeName !== undefined && (this.nodeByName.get(nodeName as string)?.ready ?? false);
  }

  private nodeHasNoExecuteTaint(nodeName: string | undefined): boolean {
    return this.nodeByName.get(nodeName as string)?.taints.some((t) => t.effect === 'NoExecute') ?? false;
  }

  private markNodeNotReady(nodeName: string): void {
    const node = this.nodeByName.get(nodeName as string);
    if (!node || !node.ready) return;
    node.ready = false;
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      if (!node.taints.some((t) => t.key === NOT_READY_TAINT_KEY && t.effect === effect)) node.taints.push({ key: NOT_READY_TAINT_KEY, effect });
    }
    this.scheduler.nodesChanged(this.nodes);
    this.clusterChanged = true;
    this.event(`node/${node.name}`, `Node ${node.name} status is now: NodeNotReady`, 'Warning');
    for (const pod of this.byNode.get(nodeName) ?? []) {
      if (pod.ready) {
        pod.ready = false;
        pod.readySince = undefined;
        this.dirty.add(pod);
      }
      if (pod.deletionTimestamp === undefined) this.scheduleTaintEviction(pod, NOT_READY_TAINT_KEY);
    }
  }

  private scheduleTaintEviction(pod: SimPod, taintKey: string): void {
    const seconds = noExecuteTolerationSeconds(pod.spec, taintKey);
    if (seconds !== undefined) this.queue.push(this.now + seconds, 'taintEviction', pod.uid);
  }
}
