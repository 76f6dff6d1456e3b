// A pod's own `spec.resources` (PodLevelResources: alpha in 1.32, beta and on by default from 1.34)
// as the API server stores it, read once for quota, LimitRange admission, the autoscaler rule and
// the scheduler. The API server drops the field while the gate is off (pkg/api/pod/util.go
// dropDisabledPodLevelResources), so a caller passes the spec as its release stores it: a spec
// that still has `resources` is one the release honours.
import { FEATURE_GATES, gateOnByDefault } from './feature-gates';
import { podResourcesOf } from './limit-range';
import { podTotal, resourceListOf, type ResourceList } from './resource-list';

export interface PodLevelResources {
  requests: ResourceList;
  limits: ResourceList;
}

/** IsSupportedPodLevelResource (component-helpers/resource/helpers.go): cpu, memory and hugepages-*. */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * The pod-level resources as the API server stores them (pkg/apis/core/v1/defaults.go
 * SetDefaults_Pod: defaultHugePagePodLimits, then defaultPodRequests), or undefined when they set
 * no supported resource (IsPodLevelResourcesSet). With pod-level limits, a resource without a
 * pod-level request takes the containers' aggregate request for cpu and memory (overcommit
 * allowed), else the pod-level limit. defaultPodLimits (newer releases) sets limits equal to the
 * containers' aggregate, which changes no usage. Defaulting runs when the object is decoded,
 * before any admission plugin: the containers' requests are those written (a limit standing for a
 * missing request), not the LimitRanges' defaults.
 *
 * Worked example: `resources: {limits: {cpu: "2", memory: 1Gi}}`, one container requesting cpu
 * 500m -> requests {cpu: 500m (the containers'), memory: 1Gi (the limit)}.
 */
export function podLevelResourcesOf(spec: Record<string, unknown>): PodLevelResources | undefined {
  const own = spec.resources;
  if (typeof own !== 'object' || own === null || Array.isArray(own)) return undefined;
  const requests = resourceListOf((own as Record<string, unknown>).requests);
  const limits = resourceListOf((own as Record<string, unknown>).limits);
  if (![...requests.keys(), ...limits.keys()].some(isSupportedPodLevelResource)) return undefined;
  const containers = podResourcesOf(spec);
  const containerLimits = podTotal(containers.containers, containers.initContainers, 'limits');
  for (const [name, amount] of containerLimits) if (name.startsWith('hugepages-') && !requests.has(name) && !limits.has(name)) limits.set(name, amount);
  if (limits.size > 0) {
    const containerRequests = podTotal(containers.containers, containers.initContainers, 'requests');
    for (const [name, amount] of containerRequests) if ((name === 'cpu' || name === 'memory') && !requests.has(name)) requests.set(name, amount);
    for (const [name, amount] of limits) if (isSupportedPodLevelResource(name) && !requests.has(name)) requests.set(name, amount);
  }
  return { requests, limits };
}

/**
 * The pod spec as Kubernetes `release` stores it, as far as pod-level resources go: while
 * PodLevelResources is off by default (before 1.34), dropDisabledPodLevelResources removes
 * `resources`. The same spec object comes back when nothing is dropped.
 */
export function dropDisabledPodLevelResources(spec: Record<string, unknown>, release: string): Record<string, unknown> {
  if (spec.resources === undefined || gateOnByDefault(FEATURE_GATES.PodLevelResources, release)) return spec;
  const { resources: _dropped, ...stored } = spec;
  return stored;
}
