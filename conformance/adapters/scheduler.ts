// Maps the scheduler conformance vectors (conformance/vectors/scheduler.json) onto the scheduler
// plugins. Vector resources are integers (cpuMilli, memoryBytes, ephemeralStorageBytes, pods,
// extended resources by name); they become pod specs with quantity strings and node allocatable
// in the engine's units, so the adapter exercises the same parsing the engine uses.
import type { SimNode, SimPod, Taint, Toleration } from '../../server/src/engine/types';
import {
  balancedAllocationScore,
  countIntolerableTaintsPreferNoSchedule,
  defaultNormalizeScore,
  ERR_REASON_POD_NODE_AFFINITY,
  fitsRequest,
  leastAllocatedScore,
  podInfo,
  preferredNodeAffinityScore,
  readPreferredSchedulingTerms,
  readTolerations,
  requiredNodeAffinityMatches,
  type ResourceSpec,
  SchedulerCache,
  taintTolerationFilterStatus,
} from '../../server/src/engine/scheduler';

type Input = Record<string, any>;

const RESOURCE_NAMES: Record<string, string> = {
  cpuMilli: 'cpu',
  memoryBytes: 'memory',
  ephemeralStorageBytes: 'ephemeral-storage',
};

function resourceName(key: string): string {
  return RESOURCE_NAMES[key] ?? key;
}

/** `{cpuMilli: 500, memoryBytes: 1024}` -> `{cpu: '500m', memory: '1024'}`. */
function quantities(resources: Input | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(resources ?? {})) {
    if (typeof value !== 'number') continue;
    const name = resourceName(key);
    out[name] = name === 'cpu' ? `${value}m` : String(value);
  }
  return out;
}

/** A vector container is a map of its requests (plus restartPolicy for sidecars, when given). */
function container(c: Input | undefined, index: number): Input {
  const { restartPolicy, ...requests } = c ?? {};
  const out: Input = { name: `c${index}`, resources: { requests: quantities(requests) } };
  if (typeof restartPolicy === 'string') out.restartPolicy = restartPolicy;
  return out;
}

function podSpec(pod: Input | undefined): Input {
  const spec: Input = {
    containers: ((pod?.containers ?? []) as Input[]).map(container),
    initContainers: ((pod?.initContainers ?? []) as Input[]).map(container),
  };
  if (pod?.overhead) spec.overhead = quantities(pod.overhead);
  return spec;
}

let uidCounter = 0;

function simPod(spec: Input, nodeName?: string): SimPod {
  const uid = `pod-${++uidCounter}`;
  return { uid, name: uid, namespace: 'default', labels: {}, annotations: {}, revision: '', spec, nodeName, phase: nodeName ? 'Running' : 'Pending', ready: false, createdAt: 0, restartCount: 0 };
}

function allocatable(resources: Input | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(resources ?? {})) if (typeof value === 'number') out[resourceName(key)] = value;
  return out;
}

function simNode(name: string, node: Input = {}): SimNode {
  return {
    name,
    labels: node.labels ?? {},
    taints: (node.taints ?? []) as Taint[],
    unschedulable: node.unschedulable === true,
    ready: true,
    allocatable: allocatable(node.allocatable),
  };
}

/** Nodes with the listed pods bound, as the scheduler cache would hold them. */
function cacheWith(nodes: Input[], podsOnNodes: Input[] | undefined): SchedulerCache {
  const pods = (podsOnNodes ?? []).map((p) => simPod(podSpec({ containers: p.containers, initContainers: p.initContainers }), p.node));
  return new SchedulerCache(nodes.map((n) => simNode(n.name, n)), pods);
}

function scoresByNode(names: string[], scores: number[]): Record<string, number> {
  return Object.fromEntries(names.map((name, i) => [name, scores[i]]));
}

/** Resources to score: a name list (weight 1), a `{name: weight}` map, or `[{name, weight}]` as in the plugin args. */
function resourceSpecs(spec: unknown): ResourceSpec[] {
  if (Array.isArray(spec)) {
    return spec.map((r) => (typeof r === 'string' ? { name: resourceName(r), weight: 1 } : { name: resourceName(r?.name ?? ''), weight: r?.weight ?? 1 }));
  }
  const weights = (spec ?? { cpu: 1, memory: 1 }) as Record<string, number>;
  return Object.entries(weights).map(([name, weight]) => ({ name: resourceName(name), weight }));
}

function resourceScores(input: Input, score: (cache: SchedulerCache, name: string, pod: ReturnType<typeof podInfo>) => number) {
  const nodes = (input.nodes ?? []) as Input[];
  const cache = cacheWith(nodes, input.podsOnNodes);
  const pod = podInfo(simPod(podSpec(input.pod)));
  const names = nodes.map((n) => n.name as string);
  return { scores: scoresByNode(names, names.map((name) => score(cache, name, pod))) };
}

export const adapters: Record<string, (input: any) => unknown> = {
  nodeResourcesFitFilter(input: Input) {
    const node = simNode('node', input.node);
    const cache = new SchedulerCache(
      [node],
      ((input.podsOnNode ?? []) as Input[]).map((p) => simPod(podSpec(p), node.name)),
    );
    const nodeInfo = cache.nodeInfo(node.name)!;
    const pod = podInfo(simPod(podSpec(input.pod)));
    // ignoredResources (names) and ignoredResourceGroups (domain prefixes) share one set: names carry a '/', groups do not.
    const ignored = new Set<string>([...((input.ignoredResources ?? []) as string[]), ...((input.ignoredResourceGroups ?? []) as string[])]);
    const insufficient = fitsRequest(pod.spec.requests, { allocatable: node.allocatable, requested: nodeInfo.requested, podCount: nodeInfo.podCount }, ignored);
    return {
      fits: insufficient.length === 0,
      reasons: insufficient.map((r) => r.reason),
      insufficientResources: insufficient.map((r) => ({ resource: r.resourceName, requested: r.requested, used: r.used, capacity: r.capacity })),
    };
  },

  leastAllocatedScore(input: Input) {
    const resources = resourceSpecs(input.resourceWeights);
    return resourceScores(input, (cache, name, pod) => leastAllocatedScore(cache.nodeInfo(name)!, pod.spec.nonZeroRequests, resources));
  },

  balancedAllocationScore(input: Input) {
    const resources = resourceSpecs(input.resources);
    return resourceScores(input, (cache, name, pod) => balancedAllocationScore(cache.nodeInfo(name)!, pod.spec.requests, resources));
  },

  taintTolerationFilter(input: Input) {
    const status = taintTolerationFilterStatus((input.nodeTaints ?? []) as Taint[], readTolerations(input.podTolerations));
    return status ? { fits: false, reason: status.reasons[0], code: status.code } : { fits: true };
  },

  taintTolerationScore(input: Input) {
    const tolerations: Toleration[] = readTolerations(input.podTolerations);
    const byNode = (input.nodeTaints ?? {}) as Record<string, Taint[]>;
    const names = Object.keys(byNode);
    const scores = names.map((n) => countIntolerableTaintsPreferNoSchedule(byNode[n] ?? [], tolerations));
    defaultNormalizeScore(scores, true);
    return { scores: scoresByNode(names, scores) };
  },

  nodeAffinityFilter(input: Input) {
    const spec: Input = {};
    if (input.pod?.nodeSelector) spec.nodeSelector = input.pod.nodeSelector;
    if (Array.isArray(input.pod?.requiredNodeSelectorTerms)) {
      spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: input.pod.requiredNodeSelectorTerms } } };
    }
    const fits = requiredNodeAffinityMatches(spec, simNode(input.node?.name ?? '', input.node));
    return fits ? { fits } : { fits, reason: ERR_REASON_POD_NODE_AFFINITY };
  },

  nodeAffinityScore(input: Input) {
    const terms = [...readPreferredSchedulingTerms(input.podPreferredTerms), ...readPreferredSchedulingTerms(input.schedulerAddedPreferredTerms)];
    const nodes = ((input.nodes ?? []) as Input[]).map((n) => simNode(n.name, n));
    const scores = nodes.map((n) => preferredNodeAffinityScore(terms, n));
    defaultNormalizeScore(scores, false);
    return { scores: scoresByNode(nodes.map((n) => n.name), scores) };
  },
};
