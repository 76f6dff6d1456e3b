// The engine's part of the simulation checks: each workload's verdict and each scope placed
// together, cached per workload source and cluster. Imports only the engine, so a worker thread
// can run it without bundling the rest.
import { atZeroReplicas, placeTogether, resolveWorkloadRef, scalesReferencedToZero, workloadVerdict, type PlacedWorkload, type ResolvedWorkloadRef, type SimNode, type WorkloadVerdict } from '../engine';

/** One workload as the engine gets it. */
export interface JobWorkload {
  /** `uri#document index`: where the answer goes back to. */
  key: string;
  /**
   * With the cluster, what a verdict is cached by: the document's source, or in the editor a key
   * of `object` (run.ts WorkloadIdentity). Compared, never parsed: the engine reads `object`.
   */
  source: string;
  object: Record<string, unknown>;
  /**
   * A `workloadRef` Rollout's Deployment (ReplicaSet, PodTemplate) in its scope: its template is
   * the Rollout's, so its source is part of what the verdict is cached by. `source` is the one its
   * own JobWorkload has (placement finds the Deployment a Rollout scales to 0 by it).
   */
  referenced?: { source: string; object: Record<string, unknown> };
}

export interface JobScope {
  /** The scope's id (a kustomization's or chart's uri, a folder's path). */
  id: string;
  /** Member workload keys, in file then document order. */
  members: string[];
}

export interface SimulationJob {
  /** Identifies the node list (cache key). */
  clusterKey: string;
  nodes: SimNode[];
  /**
   * The Kubernetes release in force (release-in-force.ts), the one the schema checks use: what
   * differs by release (sidecars, StatefulSet maxUnavailable, Job managedBy) follows it.
   */
  release: string;
  workloads: JobWorkload[];
  scopes: JobScope[];
}

/** A job's cluster and release: what the editor's worker answers and keeps answers by. */
export function jobKey(job: Pick<SimulationJob, 'clusterKey' | 'release'>): string {
  return `${job.clusterKey}\u0000${job.release}`;
}

export interface SimulationAnswer {
  verdicts: Record<string, WorkloadVerdict>;
  /** Per scope id: each member's share of the placement (undefined when too large to place). */
  placements: Record<string, PlacedWorkload[] | undefined>;
}

/** Verdicts and placements kept between jobs: a workload is simulated again only when its source (JobWorkload.source), the cluster or the release changed. */
export class VerdictCache {
  private verdicts = new Map<string, WorkloadVerdict>();
  private placements = new Map<string, PlacedWorkload[] | undefined>();
  constructor(private readonly limit = 5000) {}

  verdict(job: Pick<SimulationJob, 'clusterKey' | 'nodes' | 'release'>, workload: JobWorkload): WorkloadVerdict {
    const key = `${job.clusterKey}\u0000${job.release}\u0000${sourceKey(workload)}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = workloadVerdict(workload.object, job.nodes, { kubernetesVersion: job.release, ...(workload.referenced ? { objects: [workload.referenced.object] } : {}) });
      this.remember(this.verdicts, key, verdict);
    }
    return verdict;
  }

  /**
   * Keeps a verdict computed elsewhere (`kdry check --jobs`: on the thread that parsed the workload;
   * the editor: by the checks' previous thread). `source`: the workload's sourceKey.
   */
  seed(job: Pick<SimulationJob, 'clusterKey' | 'release'>, source: string, verdict: WorkloadVerdict): void {
    this.remember(this.verdicts, `${job.clusterKey}\u0000${job.release}\u0000${source}`, verdict);
  }

  placement(job: Pick<SimulationJob, 'clusterKey' | 'nodes' | 'release'>, members: JobWorkload[]): PlacedWorkload[] | undefined {
    const key = `${job.clusterKey}\u0000${job.release}\u0000${hashText(members.map((m) => `${m.key}\u0001${sourceKey(m)}`).join('\u0000'))}`;
    if (this.placements.has(key)) return this.placements.get(key);
    const resolved = members.map(resolvedReference);
    const zeroed = scaledDownSources(members, resolved);
    const placed = placeTogether(members.flatMap((m, i) => placedAs(m, resolved[i], zeroed)), job.nodes, job.release);
    this.remember(this.placements, key, placed);
    return placed;
  }

  private remember<T>(map: Map<string, T>, key: string, value: T): void {
    // Oldest first out: a Map iterates in insertion order.
    if (map.size >= this.limit) map.delete(map.keys().next().value as string);
    map.set(key, value);
  }
}

/** A workload's text and, for a `workloadRef` Rollout, its referenced workload's: what its answers are kept by. */
export function sourceKey(workload: JobWorkload): string {
  return `${workload.source}${workload.referenced ? `\u0001${workload.referenced.source}` : ''}`;
}

/** A Rollout's workloadRef resolved against the workload sent with it (argo-workload-ref.ts resolveWorkloadRef); undefined for anything else. */
function resolvedReference(workload: JobWorkload): ResolvedWorkloadRef | undefined {
  return workload.object.kind === 'Rollout' ? resolveWorkloadRef(workload.object, workload.referenced ? [workload.referenced.object] : []) : undefined;
}

/**
 * A workload as the placement takes it: a `workloadRef` Rollout with the referenced template; none
 * when the reference does not resolve (Argo marks the Rollout InvalidSpec and creates no pods).
 */
function placedAs(workload: JobWorkload, resolved: ResolvedWorkloadRef | undefined, zeroed: ReadonlySet<string>): { key: string; object: Record<string, unknown> }[] {
  if (!resolved) return [{ key: workload.key, object: zeroed.has(workload.source) ? atZeroReplicas(workload.object) : workload.object }];
  return 'problem' in resolved ? [] : [{ key: workload.key, object: resolved.rollout }];
}

/**
 * The sources of the Deployments the scope's Rollouts scale to 0 (scalesReferencedToZero: only
 * through a reference that resolved), as the Capacity part places them (capacity-scope.ts). By
 * source, not object: on the worker each object is a structured-clone copy.
 */
function scaledDownSources(members: JobWorkload[], resolved: (ResolvedWorkloadRef | undefined)[]): Set<string> {
  const zeroed = new Set<string>();
  members.forEach((m, i) => {
    if (m.referenced && scalesReferencedToZero(resolved[i])) zeroed.add(m.referenced.source);
  });
  return zeroed;
}

/** Part 2: the engine's verdicts for every workload and scope of the job. Pure; may run on a worker. */
export function runSimulationJob(job: SimulationJob, cache = new VerdictCache(), stillWanted: () => boolean = () => true): SimulationAnswer | undefined {
  const answer: SimulationAnswer = { verdicts: {}, placements: {} };
  const byKey = new Map(job.workloads.map((w) => [w.key, w]));
  for (const workload of job.workloads) {
    if (!stillWanted()) return undefined;
    answer.verdicts[workload.key] = cache.verdict(job, workload);
  }
  for (const scope of job.scopes) {
    if (!stillWanted()) return undefined;
    const members = scope.members.map((k) => byKey.get(k)).filter((w): w is JobWorkload => w !== undefined);
    answer.placements[scope.id] = cache.placement(job, members);
  }
  return answer;
}

/** cyrb53: a 53-bit string hash, for cache keys of long texts. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
