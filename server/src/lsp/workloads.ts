// The workload documents of a file and what the client needs to know about each (kdry/workloads):
// where it starts, its replicas and strategy, its RollingUpdate bounds and the fields a user can
// change to preview a rollout. The client shows these; it never parses the YAML itself.
import { maxSurge, maxUnavailable, simulatableWorkloads, type SimulatedKind, type StrategyChoice } from '../engine';
import { intOrStringOf } from '../k8s/intstr';
import { isRecord, type ManifestDocument, type ManifestFile } from '../manifest';
import type { ChangeCandidate, RolloutBounds, WorkloadInfo } from '../protocol/requests';

const KINDS_WITH_REPLICAS = new Set(['Deployment', 'Rollout', 'ReplicaSet', 'StatefulSet']);
/** What the API server defaults an unset maxSurge/maxUnavailable of a Deployment to. */
const DEFAULT_SURGE_OR_UNAVAILABLE = '25%';

export type WorkloadDocument = ManifestDocument & { kind: SimulatedKind; name: string; value: Record<string, unknown> };

/** The documents the simulator can run, as the engine chooses them (simulatableWorkloads), in file order. */
export function workloadDocuments(file: ManifestFile): WorkloadDocument[] {
  // The document's own kind and name are the ones the engine read (both from the same value).
  return simulatableWorkloads(file.documents.map((d) => d.value)).map((c) => file.documents[c.index] as WorkloadDocument);
}

export function describeWorkload(doc: WorkloadDocument): WorkloadInfo {
  const spec = record(doc.value.spec);
  const containers = podContainers(doc);
  const bounds = rolloutBounds(doc.value, undefined);
  return {
    kind: doc.kind,
    name: doc.name,
    range: [doc.range[0], doc.range[1]],
    offset: firstKeyOffset(doc),
    ...(KINDS_WITH_REPLICAS.has(doc.kind) ? { replicas: replicasOf(spec) } : {}),
    ...strategyOf(doc.kind, spec),
    ...(bounds ? { bounds } : {}),
    containers: containers.map(({ name, image, env }) => ({ name, ...(image !== undefined ? { image } : {}), env: env.map(({ name: n, value }) => ({ name: n, value })) })),
    changes: changeCandidates(doc.kind, spec, containers),
  };
}

/**
 * maxSurge/maxUnavailable of a Deployment for the chart, under the strategy the user asked for:
 * unset values default to 25% (API server defaulting), then the Deployment controller's MaxSurge /
 * MaxUnavailable (surge rounds up, unavailable down, never both 0). Undefined for other kinds, for
 * Recreate and the traffic patterns, and for an invalid value (the diagnostics report that one).
 */
export function rolloutBounds(workload: Record<string, unknown>, strategy: StrategyChoice | undefined): RolloutBounds | undefined {
  if (workload.kind !== 'Deployment') return undefined;
  if (strategy !== undefined && strategy !== 'manifest' && strategy !== 'rolling') return undefined;
  const spec = record(workload.spec);
  const deploymentStrategy = record(spec.strategy);
  if (strategy !== 'rolling' && deploymentStrategy.type === 'Recreate') return undefined;
  const rolling = record(deploymentStrategy.rollingUpdate);
  const deployment = { strategy: 'RollingUpdate', replicas: replicasOf(spec), maxSurge: intOrStringOf(rolling.maxSurge) ?? DEFAULT_SURGE_OR_UNAVAILABLE, maxUnavailable: intOrStringOf(rolling.maxUnavailable) ?? DEFAULT_SURGE_OR_UNAVAILABLE };
  try {
    return { desired: deployment.replicas, maxSurge: maxSurge(deployment), maxUnavailable: maxUnavailable(deployment) };
  } catch {
    return undefined;
  }
}

interface Container {
  name: string;
  index: number;
  image?: string;
  env: { name: string; value: string; index: number }[];
}

function podSpecPath(kind: string): string[] {
  if (kind === 'Pod') return ['spec'];
  return kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
}

function podContainers(doc: WorkloadDocument): Container[] {
  let spec: unknown = doc.value;
  for (const key of podSpecPath(doc.kind)) spec = record(spec)[key];
  const list = record(spec).containers;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw, index): Container[] => {
    if (!isRecord(raw)) return [];
    const env = Array.isArray(raw.env) ? raw.env : [];
    return [{
      name: typeof raw.name === 'string' ? raw.name : `#${index}`,
      index,
      image: typeof raw.image === 'string' ? raw.image : undefined,
      env: env.flatMap((v, i) => (isRecord(v) && typeof v.name === 'string' && isScalar(v.value) ? [{ name: v.name, value: String(v.value), index: i }] : [])),
    }];
  });
}

function changeCandidates(kind: string, spec: Record<string, unknown>, containers: Container[]): ChangeCandidate[] {
  const items: ChangeCandidate[] = [];
  if (KINDS_WITH_REPLICAS.has(kind)) items.push({ label: 'Replicas', current: String(replicasOf(spec)), path: ['spec', 'replicas'], numeric: true });
  const specPath = podSpecPath(kind);
  for (const c of containers) {
    if (c.image !== undefined) items.push({ label: `Image tag of ${c.name}`, current: c.image, path: [...specPath, 'containers', c.index, 'image'], image: true });
    for (const v of c.env) items.push({ label: `Env ${c.name}/${v.name}`, current: v.value, path: [...specPath, 'containers', c.index, 'env', v.index, 'value'] });
  }
  return items;
}

/** The update strategy's type; unset means RollingUpdate for all three kinds (API server defaulting). */
const STRATEGY_FIELD: Readonly<Record<string, string>> = { Deployment: 'strategy', StatefulSet: 'updateStrategy', DaemonSet: 'updateStrategy' };

function strategyOf(kind: string, spec: Record<string, unknown>): { strategy?: string } {
  const field = STRATEGY_FIELD[kind];
  if (!field) return {};
  const type = record(spec[field]).type;
  return { strategy: typeof type === 'string' ? type : 'RollingUpdate' };
}

function replicasOf(spec: Record<string, unknown>): number {
  return typeof spec.replicas === 'number' && Number.isSafeInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas : 1;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** File offset of a document's first line that is not blank, a comment or `---`. */
export function firstKeyOffset(doc: ManifestDocument): number {
  const match = /^(?:[ \t]*(?:#[^\n]*)?(?:---[^\n]*)?\r?\n)*/.exec(doc.source);
  return doc.offset + (match ? match[0].length : 0);
}
