// What the API server drops from a pod it creates when a feature gate of the target release is off
// (pkg/api/pod/util.go dropDisabledFields), for the fields that change what the engine does.
//
// SidecarContainers off (alpha and off in 1.28; the field did not exist before): an init
// container's `restartPolicy: Always` is dropped, so the sidecar is an ordinary init container.
// Its requests then count as an init container's (the largest init container, not added to the
// app containers: scheduler/requests.ts), and the kubelet starts the app containers only once it
// has exited. A sidecar is written to keep running, so kdry assumes it never exits: the pod is
// bound but stays Pending, `Init:K/N` in kubectl's STATUS (K init containers done of N).
//
// PodLevelResources off (alpha in 1.32 and 1.33, on from 1.34): dropDisabledPodLevelResources
// drops the pod's own `spec.resources`, so only the containers' requests count.
//
// ContainerRestartRules off (alpha in 1.34, on from 1.35): dropContainerRestartRules drops a
// regular container's `restartPolicy`, every container's `restartPolicyRules`, and an init
// container's `restartPolicy` other than Always; the pod's restartPolicy alone decides restarts.
//
// DynamicResourceAllocation off (beta and off in 1.32 and 1.33, on from 1.34):
// dropDisabledDynamicResourceAllocationFields drops `spec.resourceClaims` and the containers'
// `resources.claims`. kdry allocates no devices either way; the note says which applies.
import { dropDisabledPodLevelResources } from '../../k8s/pod-level-resources';
import { FEATURE_GATES, gateOnByDefault } from '../../k8s/feature-gates';
import type { ReleaseBehaviour } from '../release-behaviour';

type Obj = Record<string, unknown>;

export interface StoredPodSpec {
  spec: Obj;
  /** The former sidecar the pod waits for, and kubectl's STATUS while it does. */
  heldBy?: { container: string; status: string };
  /** The fields dropped (`spec.resources`, `restartPolicyRules`), with the gate that is off, for the run's notes. */
  dropped?: { field: string; gate: string }[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod spec as stored in `release`. The same spec object comes back when nothing is dropped. */
export function storedPodSpec(spec: Obj, release: ReleaseBehaviour): StoredPodSpec {
  // the one place that knows the gate's releases (k8s/pod-level-resources.ts); the same spec back when kept
  let stored = dropDisabledPodLevelResources(spec, release.release);
  const dropped: StoredPodSpec['dropped'] = [];
  if (stored !== spec) dropped.push({ field: 'spec.resources', gate: 'PodLevelResources' });
  if (!release.containerRestartRules && usesRestartRules(stored)) {
    stored = { ...stored, containers: mapContainers(stored.containers, (c) => without(c, 'restartPolicy', 'restartPolicyRules')) };
    if (Array.isArray(stored.initContainers)) stored.initContainers = mapContainers(stored.initContainers, (c) => (c.restartPolicy === 'Always' ? without(c, 'restartPolicyRules') : without(c, 'restartPolicy', 'restartPolicyRules')));
    dropped.push({ field: 'restartPolicy and restartPolicyRules of containers', gate: 'ContainerRestartRules' });
  }
  if (stored.resourceClaims !== undefined && !gateOnByDefault(FEATURE_GATES.DynamicResourceAllocation, release.release)) {
    stored = { ...without(stored, 'resourceClaims'), containers: mapContainers(stored.containers, withoutClaims) };
    if (Array.isArray(stored.initContainers)) stored.initContainers = mapContainers(stored.initContainers, withoutClaims);
    dropped.push({ field: "spec.resourceClaims and the containers' resources.claims", gate: 'DynamicResourceAllocation' });
  }
  const held = release.sidecarContainers ? undefined : dropSidecars(stored);
  if (held) stored = held.spec;
  return { spec: stored, ...(held ? { heldBy: held.heldBy } : {}), ...(dropped.length > 0 ? { dropped } : {}) };
}

function dropSidecars(spec: Obj): { spec: Obj; heldBy: { container: string; status: string } } | undefined {
  if (!Array.isArray(spec.initContainers)) return undefined;
  const init = spec.initContainers as unknown[];
  const first = init.findIndex((c) => isObj(c) && c.restartPolicy === 'Always');
  if (first === -1) return undefined;
  const initContainers = init.map((c) => (isObj(c) && c.restartPolicy !== undefined ? without(c, 'restartPolicy') : c));
  const name = isObj(init[first]) && typeof init[first].name === 'string' ? init[first].name : `#${first}`;
  return { spec: { ...spec, initContainers }, heldBy: { container: name, status: `Init:${first}/${init.length}` } };
}

/** containerRestartRulesInUse: a regular container's restartPolicy, any rules, an init container's restartPolicy other than Always. */
function usesRestartRules(spec: Obj): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObj) : []);
  return list(spec.containers).some((c) => c.restartPolicy !== undefined || c.restartPolicyRules !== undefined) || list(spec.initContainers).some((c) => (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') || c.restartPolicyRules !== undefined);
}

function mapContainers(value: unknown, map: (c: Obj) => Obj): unknown {
  return Array.isArray(value) ? value.map((c) => (isObj(c) ? map(c) : c)) : value;
}

function withoutClaims(container: Obj): Obj {
  return isObj(container.resources) && container.resources.claims !== undefined ? { ...container, resources: without(container.resources, 'claims') } : container;
}

function without(container: Obj, ...fields: string[]): Obj {
  const out = { ...container };
  for (const f of fields) delete out[f];
  return out;
}
