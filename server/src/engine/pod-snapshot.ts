// A pod as the timeline shows it (PodSnapshot) and, in delta steps, what changed since its
// previous snapshot (PodChange).
import type { PodChange, PodSnapshot, SimPod } from './types';
import type { SimWorld } from './world';

/** What podSnapshot asks the World about a pod. */
export type PodFacts = Pick<SimWorld, 'wasEvicted' | 'isCrashLooping' | 'isAvailable'>;

/** The last owner's `Kind/name`: the pods of one controller come in runs and share the text. */
let lastOwner = { kind: '', name: '', text: '/' };

function ownerText(owner: { kind: string; name: string }): string {
  if (owner.kind !== lastOwner.kind || owner.name !== lastOwner.name) lastOwner = { kind: owner.kind, name: owner.name, text: `${owner.kind}/${owner.name}` };
  return lastOwner.text;
}

/**
 * A pod as the timeline shows it. Fields are assigned in the order of SNAPSHOT_KEYS (the JSON's
 * order; test/engine/pod-snapshot.test.ts checks they agree); the optional ones only when present,
 * so an absent field is never an own property.
 */
export function podSnapshot(world: PodFacts, pod: SimPod): PodSnapshot {
  const reason =
    pod.unschedulableReason ??
    (world.wasEvicted(pod) ? 'Evicted' : undefined) ??
    (world.isCrashLooping(pod) ? 'CrashLoopBackOff' : undefined) ??
    (pod.phase === 'Pending' && pod.nodeName !== undefined ? pod.heldAtInit?.status : undefined) ??
    (pod.phase === 'Succeeded' ? 'Completed' : pod.phase === 'Failed' ? 'Error' : undefined);
  const { name, nodeName: node, phase, ready, revision } = pod;
  const available = world.isAvailable(pod);
  const terminating = pod.deletionTimestamp !== undefined;
  // Made whole with the fields nearly every snapshot has (one literal per presence of node and
  // owner, keeping the order): a snapshot grown field by field allocated its property store again as it grew.
  let snapshot: PodSnapshot;
  if (pod.owner) {
    const owner = ownerText(pod.owner);
    snapshot = node !== undefined ? { name, node, phase, ready, available, terminating, revision, owner } : { name, phase, ready, available, terminating, revision, owner };
  } else snapshot = node !== undefined ? { name, node, phase, ready, available, terminating, revision } : { name, phase, ready, available, terminating, revision };
  if (reason !== undefined) snapshot.reason = reason;
  if (pod.ordinal !== undefined) snapshot.ordinal = pod.ordinal;
  if (pod.completionIndex !== undefined) snapshot.completionIndex = pod.completionIndex;
  if (pod.claims) snapshot.claims = [...pod.claims];
  if (pod.restartCount > 0) snapshot.restarts = pod.restartCount;
  return snapshot;
}

/**
 * PodSnapshot's fields in the order podSnapshot writes them: a delta step lists a pod's changed
 * fields in this order. test/engine/pod-snapshot.test.ts checks both agree (and, in its typecheck,
 * that no field of PodSnapshot is left out), so a new field cannot silently drop out of deltas.
 */
export const SNAPSHOT_KEYS = ['name', 'node', 'phase', 'ready', 'available', 'terminating', 'revision', 'owner', 'reason', 'ordinal', 'completionIndex', 'claims', 'restarts'] as const satisfies readonly (keyof PodSnapshot)[];

function sameClaims(a: PodSnapshot, b: PodSnapshot): boolean {
  return (a.claims ?? []).join('\n') === (b.claims ?? []).join('\n');
}

/** Whether two snapshots of a pod show the same (the likeliest differences compared first). */
export function sameSnapshot(a: PodSnapshot, b: PodSnapshot): boolean {
  return (
    a.phase === b.phase &&
    a.ready === b.ready &&
    a.available === b.available &&
    a.terminating === b.terminating &&
    a.node === b.node &&
    a.reason === b.reason &&
    a.restarts === b.restarts &&
    a.name === b.name &&
    a.revision === b.revision &&
    a.owner === b.owner &&
    a.ordinal === b.ordinal &&
    a.completionIndex === b.completionIndex &&
    (a.claims === undefined && b.claims === undefined ? true : sameClaims(a, b))
  );
}

/**
 * A pod's entry in a delta step: all of it when new, else its name and what differs (null = gone),
 * the differing fields in the snapshot's order, then the optional fields gone (podSnapshot always
 * writes the others). Written out field by field
 * (a loop over SNAPSHOT_KEYS reads `next[key]` with a changing key, a slow generic property load
 * for every field of every changed pod); test/engine/pod-snapshot.test.ts checks each key of
 * SNAPSHOT_KEYS, changed and gone.
 */
export function podChange(prev: PodSnapshot | undefined, next: PodSnapshot): PodChange {
  if (!prev) return next;
  const change = { name: next.name } as Record<keyof PodSnapshot, unknown>;
  if (next.node !== undefined && next.node !== prev.node) change.node = next.node;
  if (next.phase !== prev.phase) change.phase = next.phase;
  if (next.ready !== prev.ready) change.ready = next.ready;
  if (next.available !== prev.available) change.available = next.available;
  if (next.terminating !== prev.terminating) change.terminating = next.terminating;
  if (next.revision !== prev.revision) change.revision = next.revision;
  if (next.owner !== undefined && next.owner !== prev.owner) change.owner = next.owner;
  if (next.reason !== undefined && next.reason !== prev.reason) change.reason = next.reason;
  if (next.ordinal !== undefined && next.ordinal !== prev.ordinal) change.ordinal = next.ordinal;
  if (next.completionIndex !== undefined && next.completionIndex !== prev.completionIndex) change.completionIndex = next.completionIndex;
  if (next.claims !== undefined && !sameClaims(next, prev)) change.claims = next.claims;
  if (next.restarts !== undefined && next.restarts !== prev.restarts) change.restarts = next.restarts;
  if (next.node === undefined && prev.node !== undefined) change.node = null;
  if (next.owner === undefined && prev.owner !== undefined) change.owner = null;
  if (next.reason === undefined && prev.reason !== undefined) change.reason = null;
  if (next.ordinal === undefined && prev.ordinal !== undefined) change.ordinal = null;
  if (next.completionIndex === undefined && prev.completionIndex !== undefined) change.completionIndex = null;
  if (next.claims === undefined && prev.claims !== undefined) change.claims = null;
  if (next.restarts === undefined && prev.restarts !== undefined) change.restarts = null;
  return change as PodChange;
}
