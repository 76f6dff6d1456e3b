// Where in a workload's manifest a scheduling reason comes from: the request that is too large,
// the nodeSelector or affinity no node matches, the host port, the spread or affinity rule, or the
// pod spec that lacks a toleration; and the fix where one is clear (lower the request to what the
// largest node offers; tolerate the one taint every node carries).
import { isRecord, keyRange, valueRange, type ManifestDocument, type ManifestFile, type ObjectPath, type Offsets } from '../manifest';
import { podsTemplatePath, valueAt } from '../manifest/pod-template';
import { resourceAmount, type PendingVerdict, type Taint } from '../engine';
import type { Fix } from '../findings';
import { appendListItem } from './list-edit';
import type { SchedulerReason } from './scheduler-reasons';
import { refersToWorkload } from './run';

export interface Blame {
  range: Offsets;
  /** What the finding adds after the scheduler's message (the largest node, the missing toleration). */
  detail?: string;
  /** Built on request (Finding.fixes): the toleration's edit reads the document's YAML tree. */
  fixes?: () => Fix[];
}

/** The pod template's spec path (a Pod's own spec). */
export function podSpecPath(doc: ManifestDocument): ObjectPath | undefined {
  // A `workloadRef` Rollout has no template of its own: nothing to blame there.
  if (refersToWorkload(doc)) return undefined;
  const template = podsTemplatePath(doc);
  return template && [...template, 'spec'];
}

/** The first line of the document, when nothing nearer can be named: a `workloadRef` Rollout's reference, where its template comes from. */
function documentStart(doc: ManifestDocument): Offsets {
  return (refersToWorkload(doc) ? keyRange(doc, ['spec', 'workloadRef']) : undefined) ?? keyRange(doc, ['kind']) ?? [doc.range[0], doc.range[0]];
}

/** The key of the pod spec (`spec:` of the template), else the kind. */
export function podSpecRange(doc: ManifestDocument): Offsets {
  const path = podSpecPath(doc);
  return (path && path.length > 0 && keyRange(doc, path)) || documentStart(doc);
}

export function blameReason(file: ManifestFile, doc: ManifestDocument, reason: SchedulerReason, verdict: PendingVerdict): Blame {
  const specPath = podSpecPath(doc);
  if (!specPath) return { range: documentStart(doc) };
  const spec = valueAt(doc.value, specPath);
  const at = (path: ObjectPath) => keyRange(doc, [...specPath, ...path]);
  switch (reason.cause.kind) {
    case 'resource':
      return blameResource(doc, specPath, spec, reason.cause.resource, verdict);
    case 'nodeSelector': {
      const range = at(['nodeSelector']) ?? at(['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']) ?? at(['affinity']);
      return { range: range ?? podSpecRange(doc) };
    }
    case 'hostPort':
      return { range: hostPortRange(doc, specPath, spec) ?? podSpecRange(doc) };
    case 'topologySpread':
      return { range: at(['topologySpreadConstraints']) ?? podSpecRange(doc) };
    case 'podAffinity':
      return { range: at(['affinity', 'podAffinity']) ?? at(['affinity']) ?? podSpecRange(doc) };
    case 'podAntiAffinity':
      return { range: at(['affinity', 'podAntiAffinity']) ?? at(['affinity']) ?? podSpecRange(doc) };
    case 'taint':
      return blameTaint(file, doc, specPath, reason.cause.key, verdict);
    default:
      return { range: podSpecRange(doc) };
  }
}

/** The first container port with a hostPort. */
export function hostPortRange(doc: ManifestDocument, specPath: ObjectPath, spec: unknown, port?: number): Offsets | undefined {
  for (const field of ['containers', 'initContainers']) {
    const list = isRecord(spec) ? spec[field] : undefined;
    if (!Array.isArray(list)) continue;
    for (let c = 0; c < list.length; c++) {
      const ports = isRecord(list[c]) ? (list[c] as Record<string, unknown>).ports : undefined;
      if (!Array.isArray(ports)) continue;
      for (let p = 0; p < ports.length; p++) {
        const hostPort = isRecord(ports[p]) ? (ports[p] as Record<string, unknown>).hostPort : undefined;
        if (typeof hostPort === 'number' && hostPort > 0 && (port === undefined || hostPort === port)) return keyRange(doc, [...specPath, field, c, 'ports', p, 'hostPort']);
      }
    }
  }
  return undefined;
}

/**
 * The pod-level request the scheduler counted, else the container whose request for `resource` is
 * the largest (a limit stands for a missing request, as the API server defaults it). When the pod
 * asks for more than the largest node it may run on offers, the fix lowers that request so that
 * the pod's total is exactly that.
 */
function blameResource(doc: ManifestDocument, specPath: ObjectPath, spec: unknown, resource: string, verdict: PendingVerdict): Blame {
  const best = verdict.podLevelRequests?.[resource] !== undefined ? podLevelSource(spec, resource) : largestContainerSource(spec, resource);
  if (!best) return { range: podSpecRange(doc) };
  const path = [...specPath, ...best.at, 'resources', best.field, resource];
  const range = keyRange(doc, path) ?? podSpecRange(doc);
  const wanted = verdict.podRequests[resource] ?? 0;
  const largest = verdict.largestNode[resource];
  if (largest === undefined || wanted <= largest) return { range };
  const detail = `The largest node it may run on offers ${formatAmount(resource, largest)} ${resource}; one pod requests ${formatAmount(resource, wanted)}.`;
  const lowered = largest - (wanted - best.amount);
  const valueAtPath = valueRange(doc, path);
  if (best.field !== 'requests' || lowered <= 0 || !valueAtPath) return { range, detail };
  const text = formatAmount(resource, lowered);
  return { range, detail, fixes: () => [{ title: `Lower the ${resource} request to ${text} (what the largest node offers)`, edits: [{ range: valueAtPath, newText: /^\d+$/.test(text) ? `"${text}"` : text }], preferred: true }] };
}

interface RequestSource {
  /** Below the pod spec: [] for the pod's own `resources`, ['containers', i] for a container's. */
  at: ObjectPath;
  amount: number;
  field: 'requests' | 'limits';
}

/** The request or limit that gives one resource's amount in `resources` (the request when both are set). */
function requestIn(resources: unknown, resource: string): Omit<RequestSource, 'at'> | undefined {
  for (const field of ['requests', 'limits'] as const) {
    const list = isRecord(resources) && isRecord(resources[field]) ? (resources[field] as Record<string, unknown>) : undefined;
    if (list?.[resource] === undefined) continue;
    const amount = resourceAmount(resource, list[resource]);
    return Number.isFinite(amount) ? { amount, field } : undefined;
  }
  return undefined;
}

/** The container whose request for `resource` is the largest (a limit stands for a missing request). */
function largestContainerSource(spec: unknown, resource: string): RequestSource | undefined {
  const containers = isRecord(spec) && Array.isArray(spec.containers) ? spec.containers : [];
  let best: RequestSource | undefined;
  containers.forEach((c, index) => {
    const found = requestIn(isRecord(c) ? c.resources : undefined, resource);
    if (found && (!best || found.amount > best.amount)) best = { at: ['containers', index], ...found };
  });
  return best;
}

/**
 * The pod-level request the scheduler counted (PodLevelResources): the pod's own `resources`,
 * the request, else the limit it defaults from (pkg/apis/core/v1/defaults.go defaultPodRequests).
 */
function podLevelSource(spec: unknown, resource: string): RequestSource | undefined {
  const found = requestIn(isRecord(spec) ? spec.resources : undefined, resource);
  return found && { at: [], ...found };
}

/** The one taint every node that refuses the pod carries: tolerating it is the fix. */
function blameTaint(file: ManifestFile, doc: ManifestDocument, specPath: ObjectPath, key: string, verdict: PendingVerdict): Blame {
  const range = keyRange(doc, [...specPath, 'tolerations']) ?? podSpecRange(doc);
  const taint = verdict.untoleratedTaints.find((t) => t.key === key);
  if (!taint) return { range };
  const fixes = () => {
    const edits = appendListItem(file.text, doc, specPath, 'tolerations', toleration(taint));
    return edits ? [{ title: `Add a toleration for ${key}:${taint.effect}`, edits, preferred: true }] : [];
  };
  return { range, detail: `No toleration of the pod matches the taint ${key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}.`, fixes };
}

function toleration(taint: Taint): Record<string, string> {
  return taint.value ? { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect } : { key: taint.key, operator: 'Exists', effect: taint.effect };
}

const GI = 1024 ** 3;
const MI = 1024 ** 2;
const KI = 1024;

/** An engine amount (millicores for cpu, bytes for memory and storage) as a Kubernetes quantity. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return amount % 1000 === 0 ? String(amount / 1000) : `${Math.floor(amount)}m`;
  if (resource === 'memory' || resource.includes('storage')) {
    if (amount % GI === 0) return `${amount / GI}Gi`;
    if (amount % MI === 0) return `${amount / MI}Mi`;
    if (amount % KI === 0) return `${amount / KI}Ki`;
    return String(Math.floor(amount));
  }
  return String(amount);
}
