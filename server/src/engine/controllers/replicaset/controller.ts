// The ReplicaSet controller on the simulated World (pkg/controller/replicaset/replica_set.go,
// manageReplicas + calculateStatus): create or delete pods until the active pods match
// spec.replicas, choose scale-down victims with getPodsToDelete, and release a pod whose labels
// stop matching the selector (it is orphaned, and a replacement is created).
import { labelSelectorMatches, type LabelSelector } from '../../../k8s/labels';
import type { SchedulerBackend } from '../../scheduling';
import type { Controller, OwnerRef, PodTemplate, SimPod, StatusRow, World } from '../../types';
import { isPodActive } from './activepods';
import { getPodsToDelete } from './podstodelete';
import { isObj, stringMap } from '../../objects';
import { adoptOrphanPod } from '../../world/pod-store';

/** Create/delete events listed one by one per sync; the rest are summed up in one line. */
const POD_EVENTS_PER_SYNC = 10;

/** The pod template of a workload object as plain data (missing parts become empty). */
export function podTemplateOf(template: unknown): PodTemplate {
  const t = isObj(template) ? template : {};
  const meta = isObj(t.metadata) ? t.metadata : {};
  return { labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), spec: isObj(t.spec) ? t.spec : {} };
}

/** A count from a manifest (replicas, seconds): a non-negative integer, else `fallback`. */
export function nonNegativeInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

export function selectorOf(value: unknown): LabelSelector | undefined {
  if (!isObj(value)) return undefined;
  return {
    matchLabels: stringMap(value.matchLabels),
    matchExpressions: Array.isArray(value.matchExpressions) ? (value.matchExpressions.filter(isObj) as unknown as LabelSelector['matchExpressions']) : [],
  };
}

/**
 * Relabels a pod, as `kubectl label pod --overwrite` would. The owning ReplicaSet sees it at its
 * next sync: if the labels no longer match its selector, the pod is orphaned and replaced. (It
 * installs a new label map: the controller re-checks a pod only when its map changed.) Pass the
 * World's scheduler when the pod may be bound, so its spreading and affinity counts follow.
 */
export function relabelPod(pod: SimPod, labels: Record<string, string>, scheduler?: Pick<SchedulerBackend, 'podChanged'>): void {
  pod.labels = { ...labels };
  relabelEpoch++;
  // Spreading and pod affinity count pods by label: the scheduler's cache must recount this one.
  scheduler?.podChanged(pod);
}

/** Counts relabels, so a controller re-checks its pods' labels only after one happened. */
let relabelEpoch = 0;

export interface ReplicaSetSpec {
  name: string;
  replicas: number;
  selector?: LabelSelector;
  template: PodTemplate;
  minReadySeconds: number;
  /** Pod revision label value (pod-template-hash for a Deployment's sets). */
  revision: string;
}

/** Counters of the ReplicaSet status, from the pods at the last observation. */
export interface ReplicaSetCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** Pods still terminating (not counted in replicas). */
  terminating: number;
}

export interface ReplicaSetControllerOptions {
  /** The owning Deployment: its pods requeue under its key and rank against its other sets' pods. */
  owner?: OwnerRef;
  /** Controller key to requeue (default this set's own key). */
  requeueKey?: string;
  /** Pods related for the co-location rank of getPodsToDelete (default: this set's own pods). */
  relatedPods?: (world: World) => SimPod[];
  uid?: string;
}

/** Adoptions and releases told one by one in the notes; the rest are counted. */
const CLAIM_NOTES = 20;

export class ReplicaSetController implements Controller {
  readonly kind = 'ReplicaSet';
  readonly key: string;
  readonly uid: string;
  readonly owner?: OwnerRef;
  spec: ReplicaSetSpec;
  counts: ReplicaSetCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, terminating: 0 };
  private createdCount = 0;
  /** The relabel count when this set last claimed pods (-1: not yet; its own new pods match by construction). */
  private checkedEpoch = -1;
  /** ClaimPods adopts and releases by patching the pod's ownerReferences, recording no event: told in the notes. */
  private readonly claimNotes: string[] = [];
  /** Orphans this set adopted: the World's owner index does not list them under this set. */
  private readonly adopted = new Set<SimPod>();
  /** The instant of the last recount. */
  private observedAt?: number;
  private readonly requeueKey: string;
  private readonly relatedPods?: (world: World) => SimPod[];

  constructor(spec: ReplicaSetSpec, options: ReplicaSetControllerOptions = {}) {
    this.spec = spec;
    this.key = `ReplicaSet/${spec.name}`;
    this.uid = options.uid ?? `replicaset-${spec.name}`;
    this.owner = options.owner;
    this.requeueKey = options.requeueKey ?? this.key;
    this.relatedPods = options.relatedPods;
  }

  get name(): string {
    return this.spec.name;
  }

  get objectName(): string {
    return `replicaset.apps/${this.spec.name}`;
  }

  /** Pods this set controls: its list in the World (released pods already gone) plus adopted ones. */
  ownedPods(world: World): readonly SimPod[] {
    const indexed = world.podsOwnedBy(this.uid);
    // The World's list never holds a pod this set released (world.releaseOwnedPod makes it list again).
    if (this.adopted.size === 0) return indexed;
    const mine = [...indexed]; // a copy: the World's list is shared
    const alive = new Set(world.pods());
    const listed = new Set(mine);
    for (const pod of this.adopted) {
      if (!alive.has(pod) || pod.owner?.uid !== this.uid) this.adopted.delete(pod);
      else if (!listed.has(pod)) mine.push(pod);
    }
    return mine;
  }

  /** A ready pod counts as available once it has been ready for minReadySeconds. */
  isAvailable(pod: SimPod, now: number): boolean {
    return pod.ready && pod.deletionTimestamp === undefined && pod.readySince !== undefined && now - pod.readySince >= this.spec.minReadySeconds;
  }

  /** calculateStatus: recount from the pods, and requeue for pods that become available later. */
  observe(world: World, owned: readonly SimPod[] = this.ownedPods(world)): ReplicaSetCounts {
    let replicas = 0;
    let readyReplicas = 0;
    let availableReplicas = 0;
    let terminating = 0;
    let nextAvailable = Infinity;
    // Indexed: a for-of loop allocates an iterator result per pod until V8 optimises the loop, and a
    // process runs each rollout once (kdry simulate), so most of its loops never get optimised.
    for (let i = 0; i < owned.length; i++) {
      const pod = owned[i];
      if (!isPodActive(pod)) {
        if (pod.deletionTimestamp !== undefined && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') terminating++;
        continue;
      }
      replicas++;
      if (!pod.ready) continue;
      readyReplicas++;
      if (this.isAvailable(pod, world.now)) availableReplicas++;
      else if (pod.readySince !== undefined) nextAvailable = Math.min(nextAvailable, pod.readySince + this.spec.minReadySeconds);
    }
    if (nextAvailable !== Infinity) world.requeueAt(this.requeueKey, nextAvailable);
    this.counts = { replicas, readyReplicas, availableReplicas, terminating };
    this.observedAt = world.now;
    return this.counts;
  }

  /**
   * The counts for reads between syncs (status, settled): the last recount if it was at this
   * instant (a sync recounts after acting, and pods change state only as the clock moves), else a
   * fresh one.
   */
  current(world: World): ReplicaSetCounts {
    return this.observedAt === world.now ? this.counts : this.observe(world);
  }

  /**
   * manageReplicas: release pods that stopped matching, then create or delete towards
   * spec.replicas. Upstream works in bursts of 500 per sync; on the virtual clock those bursts
   * fall on the same instant, so one sync does them all.
   */
  sync(world: World): boolean {
    const claimed = this.claimPods(world, this.ownedPods(world));
    const owned = claimed.owned;
    // The active pods are listed only when some are deleted: most syncs only count them.
    let activeCount = 0;
    for (let i = 0; i < owned.length; i++) if (isPodActive(owned[i])) activeCount++;
    const diff = activeCount - this.spec.replicas;
    let changed = claimed.changed;
    if (diff < 0) changed = this.createPods(world, -diff) || changed;
    else if (diff > 0) changed = this.deletePods(world, owned.filter(isPodActive), diff) || changed;
    this.observe(world);
    return changed;
  }

  update(object: Record<string, unknown>): void {
    const spec = isObj(object.spec) ? object.spec : {};
    const template = podTemplateOf(spec.template);
    this.spec = {
      ...this.spec,
      replicas: nonNegativeInt(spec.replicas, 1),
      selector: selectorOf(spec.selector) ?? this.spec.selector,
      template,
      minReadySeconds: nonNegativeInt(spec.minReadySeconds, 0),
    };
    this.checkedEpoch = -1;
  }

  setReplicas(replicas: number): void {
    this.spec = { ...this.spec, replicas };
  }

  status(world: World): StatusRow[] {
    const counts = this.current(world);
    return [{ object: this.objectName, columns: { DESIRED: this.spec.replicas, CURRENT: counts.replicas, READY: counts.readyReplicas } }];
  }

  notes(): string[] {
    return this.claimNotes.length <= CLAIM_NOTES ? [...this.claimNotes] : [...this.claimNotes.slice(0, CLAIM_NOTES), `ReplicaSet ${this.spec.name}: ${this.claimNotes.length - CLAIM_NOTES} more pods adopted or released`];
  }

  settled(world: World): boolean {
    const counts = this.current(world);
    return counts.replicas === this.spec.replicas && counts.availableReplicas === this.spec.replicas && counts.terminating === 0;
  }

  /**
   * ClaimPods: pods whose labels stopped matching lose their ownerReference (and get replaced);
   * active orphans whose labels match are adopted (and count towards replicas). Done on the first
   * sync and after a relabel or a spec change only. With a template the selector does not match
   * (which the API server would reject) nothing is claimed, or every new pod would be released.
   */
  private claimPods(world: World, owned: readonly SimPod[]): { owned: readonly SimPod[]; changed: boolean } {
    if (this.checkedEpoch === relabelEpoch) return { owned, changed: false };
    this.checkedEpoch = relabelEpoch;
    if (!labelSelectorMatches(this.spec.selector, this.spec.template.labels)) return { owned, changed: false };
    const kept: SimPod[] = [];
    let changed = false;
    for (const pod of owned) {
      if (pod.deletionTimestamp !== undefined || labelSelectorMatches(this.spec.selector, pod.labels)) {
        kept.push(pod);
        continue;
      }
      world.releaseOwnedPod(pod);
      changed = true;
      this.claimNotes.push(`ReplicaSet ${this.spec.name} released pod ${pod.name} at t=${world.now} s: its labels no longer match the selector`);
    }
    for (const pod of world.pods()) {
      if (pod.owner || !isPodActive(pod) || !labelSelectorMatches(this.spec.selector, pod.labels)) continue;
      adoptOrphanPod(pod, { kind: 'ReplicaSet', name: this.spec.name, uid: this.uid });
      this.adopted.add(pod);
      kept.push(pod);
      changed = true;
      this.claimNotes.push(`ReplicaSet ${this.spec.name} adopted pod ${pod.name} at t=${world.now} s: its labels match the selector`);
    }
    return { owned: kept, changed };
  }

  private createPods(world: World, count: number): boolean {
    const owner: OwnerRef = { kind: 'ReplicaSet', name: this.spec.name, uid: this.uid };
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${this.spec.name}-${world.nameSuffix(`${this.spec.name}#${this.createdCount++}`)}`;
      const refused = world.admit?.(name, this.spec.template);
      if (refused) {
        // replica_set.go manageReplicas: the create fails, the event is FailedCreate
        world.event(this.objectName, `Error creating: ${refused}`, 'Warning');
        break;
      }
      const pod = world.createPod({ name, owner, template: this.spec.template, revision: this.spec.revision });
      names.push(pod.name);
    }
    this.reportPods(world, 'Created', names);
    return names.length > 0;
  }

  private deletePods(world: World, active: SimPod[], count: number): boolean {
    const related = this.relatedPods ? this.relatedPods(world) : active;
    const victims = getPodsToDelete(active, related, count, world.now);
    for (const pod of victims) world.deletePod(pod, 'ScaleDown');
    this.reportPods(
      world,
      'Deleted',
      victims.map((p) => p.name),
    );
    return victims.length > 0;
  }

  /** SuccessfulCreate / SuccessfulDelete events, in the controller's words. */
  private reportPods(world: World, verb: 'Created' | 'Deleted', names: string[]): void {
    for (const name of names.slice(0, POD_EVENTS_PER_SYNC)) world.event(this.objectName, `${verb} pod: ${name}`);
    if (names.length > POD_EVENTS_PER_SYNC) world.event(this.objectName, `${verb} ${names.length - POD_EVENTS_PER_SYNC} more pods`);
  }
}

/**
 * The core's factory for a standalone ReplicaSet object (kind ReplicaSet in the file), or for a
 * set owned by `owner`. Pod revision is `rs` unless the template carries a pod-template-hash.
 */
export function createReplicaSetController(object: Record<string, unknown>, owner?: OwnerRef): ReplicaSetController {
  const meta = isObj(object.metadata) ? object.metadata : {};
  const spec = isObj(object.spec) ? object.spec : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'replicaset';
  const template = podTemplateOf(spec.template);
  return new ReplicaSetController(
    {
      name,
      replicas: nonNegativeInt(spec.replicas, 1),
      selector: selectorOf(spec.selector),
      template,
      minReadySeconds: nonNegativeInt(spec.minReadySeconds, 0),
      revision: template.labels['pod-template-hash'] ?? 'rs',
    },
    { owner, uid: owner ? `replicaset-${name}` : undefined },
  );
}
