// The API server's pods: the list in creation order and the indexes controllers and actors read
// (by uid, name, owner, node). generateName clashes are resolved here, as the API server does.
import { NAME_SUFFIX_ALPHABET, nameSuffix } from '../naming';
import type { OwnerRef, SimPod } from '../types';
import type { ChangeLog } from './change-log';

export interface NewPodFields {
  name: string;
  owner?: OwnerRef;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Record<string, unknown>;
  revision: string;
  ordinal?: number;
  completionIndex?: number;
  claims?: string[];
}

/** Every pod's uid is this and its creation number. */
const UID_PREFIX = 'pod-';

/**
 * An owner's pods in creation order, removed and released ones included until its next list (an
 * array, not a map by uid: a 10,000-replica rollout indexed 20,000 pods), how many of them are in
 * the API, and the list ownedBy last gave (until one is added or removed, or a release).
 */
interface OwnerIndex {
  pods: SimPod[];
  /** The owner reference the pods created with this owner share (one object, not one per pod). */
  ref: OwnerRef;
  /** Pods in the API whose owner is still `ref` (adopted pods have another object and are not counted). */
  live: number;
  /** Some pod was indexed with a copy (another kind or name for this uid): the index is never dropped, as `live` does not count it. */
  keep: boolean;
  list: SimPod[] | undefined;
  /** The store's release count (PodStore.releases) when `list` was made. */
  releases: number;
}

/**
 * ClaimPods adopting an orphan (controller_ref_manager.go AdoptPod). An orphan is in no owner's
 * cached list, so none goes stale; the pod stays out of the adopter's index (see PodStore.ownedBy).
 */
export function adoptOrphanPod(pod: SimPod, owner: OwnerRef): void {
  if (pod.owner) throw new Error(`pod ${pod.name} already has an owner`);
  (pod as Owned).owner = owner;
}

/** The writable view of `SimPod.owner`, for adoptOrphanPod and PodStore.releaseOwned only. */
type Owned = { owner?: OwnerRef };

export class PodStore {
  private list: SimPod[] = [];
  private listHasRemoved = false;
  /** Each pod in the API at the index of its creation number (SimPod.seq), undefined once removed: `holds` is an array read. */
  private readonly bySeq: (SimPod | undefined)[] = [];
  /** Pods in the API right now. */
  private live = 0;
  private readonly byName = new Map<string, SimPod>();
  private readonly byOwner = new Map<string, OwnerIndex>();
  private readonly byNode = new Map<string, Set<SimPod>>();
  /** Counts this store's releases (releaseOwned): a released pod leaves its owner's list. */
  private releases = 0;
  /** Pods created so far, removed ones included. */
  created = 0;

  constructor(
    private readonly namespace: string,
    private readonly changes: ChangeLog,
  ) {}

  /** Every pod in the API right now (terminating ones included), in creation order. */
  all(): readonly SimPod[] {
    if (this.listHasRemoved) {
      this.list = this.list.filter((p) => this.bySeq[p.seq as number] === p);
      this.listHasRemoved = false;
    }
    return this.list;
  }

  get size(): number {
    return this.live;
  }

  /** The pod with this uid while it is in the API: its creation number is in the uid (see add). */
  get(uid: string): SimPod | undefined {
    if (!uid.startsWith(UID_PREFIX)) return undefined;
    const pod = this.bySeq[Number(uid.slice(UID_PREFIX.length))];
    return pod !== undefined && pod.uid === uid ? pod : undefined;
  }

  /** True while this pod object (not a namesake) is in the API. */
  holds(pod: SimPod): boolean {
    return pod.seq !== undefined && this.bySeq[pod.seq] === pod;
  }

  /** The pod's place in creation order: the number its uid was made from (see add). */
  creationOrder(pod: SimPod): number {
    return pod.seq as number;
  }

  onNode(nodeName: string): Iterable<SimPod> {
    return this.byNode.get(nodeName) ?? [];
  }

  /**
   * Indexed by the owner a pod was created with. A controller may release a pod (releaseOwned,
   * ClaimPods): such pods drop out here. A pod adopted by assigning `pod.owner` is not indexed under
   * its new owner: the adopting controller keeps track of it (a property accessor that re-indexed on
   * assignment cost 20% of a large run). The list is kept until a pod of the owner is added or
   * removed, or some pod of this store is released: a ReplicaSet asks several times an instant (sync passes,
   * status, settled), and a 10,000-replica rollout listed 750,000 pods for 106 asks. Callers must
   * not change the list (it is shared until then).
   */
  ownedBy(uid: string): readonly SimPod[] {
    const owned = this.byOwner.get(uid);
    if (!owned) return [];
    if (owned.list && owned.releases === this.releases) return owned.list;
    const pods: SimPod[] = [];
    for (let i = 0; i < owned.pods.length; i++) {
      const pod = owned.pods[i];
      if (this.bySeq[pod.seq as number] === pod && pod.owner?.uid === uid) pods.push(pod);
    }
    // The index keeps what the list kept; it is copied before its next add (trackOwner), as the list is shared.
    owned.pods = pods;
    owned.list = pods;
    owned.releases = this.releases;
    return pods;
  }

  /**
   * ClaimPods releasing a pod of this store: its ownerReference goes (replica_set.go /
   * controller_ref_manager.go ReleasePod). The owner's index entry is dropped at its next list; the
   * count is this store's, so other worlds in the process keep their cached lists.
   */
  releaseOwned(pod: SimPod): void {
    if (pod.owner) this.forgetOwned(pod);
    (pod as Owned).owner = undefined;
    this.releases++;
  }

  add(fields: NewPodFields, now: number): SimPod {
    const seq = this.created++;
    // Every field present from the start (absent ones undefined): all pods share one object shape,
    // so the code reading them stays monomorphic (conditional spreads gave each mix its own shape).
    const pod: SimPod = {
      uid: `${UID_PREFIX}${seq}`,
      seq,
      name: this.uniqueName(fields.name),
      namespace: this.namespace,
      labels: fields.labels,
      annotations: fields.annotations,
      owner: fields.owner ? this.ownerRef(fields.owner) : undefined,
      revision: fields.revision,
      spec: fields.spec,
      nodeName: undefined,
      phase: 'Pending',
      ready: false,
      readySince: undefined,
      createdAt: now,
      deletionTimestamp: undefined,
      restartCount: 0,
      unschedulableReason: undefined,
      ordinal: fields.ordinal,
      completionIndex: fields.completionIndex,
      claims: fields.claims ? [...fields.claims] : undefined,
      exitCode: undefined,
      conditions: undefined,
      heldAtInit: undefined,
    };
    this.list.push(pod);
    this.bySeq.push(pod);
    this.live++;
    this.byName.set(pod.name, pod);
    this.trackOwner(pod);
    this.changes.podChanged(pod);
    return pod;
  }

  /** The binding: the pod's nodeName is set. */
  bind(pod: SimPod, nodeName: string): void {
    pod.nodeName = nodeName;
    let onNode = this.byNode.get(nodeName);
    if (!onNode) this.byNode.set(nodeName, (onNode = new Set()));
    onNode.add(pod);
  }

  /** Returns false when the pod was not (or no longer) in the API. */
  remove(pod: SimPod): boolean {
    if (!this.holds(pod)) return false;
    this.bySeq[pod.seq as number] = undefined;
    this.live--;
    if (this.byName.get(pod.name) === pod) this.byName.delete(pod.name);
    if (pod.owner) this.forgetOwned(pod);
    if (pod.nodeName !== undefined) this.byNode.get(pod.nodeName)?.delete(pod);
    this.changes.podRemoved(pod);
    this.listHasRemoved = true;
    return true;
  }

  /** The owner index's shared reference when it names the same owner, else a copy of its own. */
  private ownerRef(owner: OwnerRef): OwnerRef {
    const ref = this.byOwner.get(owner.uid)?.ref;
    return ref !== undefined && ref.kind === owner.kind && ref.name === owner.name ? ref : { kind: owner.kind, name: owner.name, uid: owner.uid };
  }

  private trackOwner(pod: SimPod): void {
    if (!pod.owner) return;
    let owned = this.byOwner.get(pod.owner.uid);
    if (!owned) this.byOwner.set(pod.owner.uid, (owned = { pods: [], ref: pod.owner, live: 0, keep: false, list: undefined, releases: 0 }));
    if (owned.list === owned.pods) owned.pods = owned.pods.slice();
    owned.pods.push(pod);
    if (pod.owner === owned.ref) owned.live++;
    else owned.keep = true;
    owned.list = undefined;
  }

  /** An owner without pods leaves the index: a year of CronJob runs has 100,000 Jobs. */
  private forgetOwned(pod: SimPod): void {
    const owned = this.byOwner.get((pod.owner as OwnerRef).uid);
    if (!owned) return;
    owned.list = undefined;
    // Only a pod counted in `live` counts out (an adopted pod has the adopter's reference; a copy made for another name is not counted either).
    if (pod.owner !== owned.ref) return;
    owned.live--;
    if (owned.live === 0 && !owned.keep) this.byOwner.delete((pod.owner as OwnerRef).uid);
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
}
