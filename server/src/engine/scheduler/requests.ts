// What a pod asks of a node (component-helpers/resource PodRequests, as the scheduler calls it):
// sum of the app containers; sidecars (init containers with restartPolicy Always) add to that sum
// and keep running while later init containers run; every other init container needs its own
// request plus the sidecars started before it; the pod needs the max of those; pod-level
// `spec.resources` (PodLevelResources) replaces what it sets; overhead on top.
// A container's missing request defaults to its limit (API defaulting), as kube-apiserver would
// have stored it.
import type { Resources } from '../types';
import { resourceAmount } from '../../k8s/quantity';
import { isSupportedPodLevelResource, podLevelResourcesOf } from '../../k8s/pod-level-resources';
import { milliValue, wholeValue } from '../../k8s/quantity-amount';
import { asRecord, asRecords, dig } from './spec';

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: used by scoring only, for containers without a request. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** IsScalarResourceName: hugepages, kubernetes.io/-prefixed native, attachable volumes, and extended resources. */
export function isScalarResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || name.includes('/');
}

/** IsExtendedResourceName: a domain-qualified name outside kubernetes.io, not a quota `requests.` name. */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/') || name.includes('kubernetes.io/')) return false;
  return !name.startsWith('requests.');
}

/** Resources a node tracks for a pod: cpu, memory, ephemeral-storage and scalar resources. */
function isTrackedResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || isScalarResourceName(name);
}

/** One container's requests, with missing requests defaulted from limits. */
export function containerRequests(container: unknown): Resources {
  const out: Resources = {};
  const limits = asRecord(dig(container, 'resources', 'limits')) ?? {};
  const requests = asRecord(dig(container, 'resources', 'requests')) ?? {};
  for (const source of [limits, requests]) {
    for (const [name, value] of Object.entries(source)) {
      if (!isTrackedResource(name)) continue;
      const amount = resourceAmount(name, value);
      if (Number.isFinite(amount)) out[name] = amount;
    }
  }
  return out;
}

function addInto(target: Resources, add: Resources): void {
  for (const [k, v] of Object.entries(add)) target[k] = (target[k] ?? 0) + v;
}

function maxInto(target: Resources, other: Resources): void {
  for (const [k, v] of Object.entries(other)) if (!(k in target) || v > target[k]) target[k] = v;
}

/** NonMissingContainerRequests: fills cpu/memory a container does not request at all (an explicit 0 stays 0). */
function withNonMissing(requests: Resources): Resources {
  const out = { ...requests };
  if (!('cpu' in out)) out.cpu = DEFAULT_MILLI_CPU_REQUEST;
  if (!('memory' in out)) out.memory = DEFAULT_MEMORY_REQUEST;
  return out;
}

function isSidecar(container: Record<string, unknown>): boolean {
  return container.restartPolicy === 'Always';
}

/** AggregateContainerRequests: the containers' and init containers' requests, without overhead. */
function aggregateContainers(spec: unknown, nonMissing: boolean): Resources {
  const read = (c: unknown) => (nonMissing ? withNonMissing(containerRequests(c)) : containerRequests(c));
  const reqs: Resources = {};
  for (const c of asRecords(dig(spec, 'containers'))) addInto(reqs, read(c));

  const sidecarsSoFar: Resources = {};
  const initPeak: Resources = {};
  for (const c of asRecords(dig(spec, 'initContainers'))) {
    const own = read(c);
    let inUse: Resources;
    if (isSidecar(c)) {
      addInto(reqs, own);
      addInto(sidecarsSoFar, own);
      inUse = { ...sidecarsSoFar };
    } else {
      inUse = { ...own };
      addInto(inUse, sidecarsSoFar);
    }
    maxInto(initPeak, inUse);
  }
  maxInto(reqs, initPeak);
  return reqs;
}

/**
 * The pod-level requests as the API server stores them (k8s/pod-level-resources.ts, defaulted
 * there), in the engine's units, or undefined when none is set (IsPodLevelRequestsSet). The field
 * is dropped while PodLevelResources is off (world/disabled-fields.ts), so a spec that still has it
 * is one the release honours.
 */
export function podLevelRequests(spec: unknown): Resources | undefined {
  const podLevel = asRecord(spec) && podLevelResourcesOf(spec as Record<string, unknown>);
  if (!podLevel) return undefined;
  const out: Resources = {};
  let set = false;
  for (const [name, amount] of podLevel.requests) {
    if (!isSupportedPodLevelResource(name)) continue;
    out[name] = Number(name === 'cpu' ? milliValue(amount) : wholeValue(amount));
    set = true;
  }
  return set ? out : undefined;
}

/**
 * PodRequests (component-helpers/resource/helpers.go): the containers' aggregate, each resource
 * the pod sets at pod level replaced by that (applyPodLevelResources), then the overhead.
 * `nonMissing`: NonMissingContainerRequests {cpu: 100m, memory: 200Mi} for containers that request
 * nothing, as scoring asks (noderesources/resource_allocation.go calculatePodResourceRequest).
 */
function effectiveRequests(spec: unknown, nonMissing: boolean): Resources {
  const reqs = aggregateContainers(spec, nonMissing);
  const podLevel = podLevelRequests(spec);
  if (podLevel) Object.assign(reqs, podLevel);
  const overhead = asRecord(dig(spec, 'overhead')) ?? {};
  for (const [name, value] of Object.entries(overhead)) {
    if (!isTrackedResource(name)) continue;
    const amount = resourceAmount(name, value);
    if (Number.isFinite(amount)) reqs[name] = (reqs[name] ?? 0) + amount;
  }
  return reqs;
}

/** PodRequests: the pod's effective requests (cpu in millicores, the rest in bytes/counts). */
export function podRequests(spec: unknown): Resources {
  return effectiveRequests(spec, false);
}

/** PodRequests with NonMissingContainerRequests {cpu: 100m, memory: 200Mi}: what scoring assumes. */
export function podNonZeroRequests(spec: unknown): Resources {
  return effectiveRequests(spec, true);
}
