// What the API server drops from a pod it creates when a feature gate of the target release is off
// (pkg/api/pod/util.go dropDisabledFields), for the fields that change what the engine does.
//
// SidecarContainers off (alpha and off in 1.28; the field did not exist before): an init
// container's `restartPolicy: Always` is dropped, so the sidecar is an ordinary init container.
// Its requests then count as an init container's (the largest init container, not added to the
// app containers: scheduler/requests.ts), and the kubelet starts the app containers only once it
// has exited. A sidecar is written to keep running, so kdry assumes it never exits: the pod is
// bound but stays Pending, `Init:K/N` in kubectl's STATUS (K init containers done of N).
import type { ReleaseBehaviour } from '../release-behaviour';

type Obj = Record<string, unknown>;

export interface StoredPodSpec {
  spec: Obj;
  /** The former sidecar the pod waits for, and kubectl's STATUS while it does. */
  heldBy?: { container: string; status: string };
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod spec as stored in `release`. The same spec object comes back when nothing is dropped. */
export function storedPodSpec(spec: Obj, release: ReleaseBehaviour): StoredPodSpec {
  if (release.sidecarContainers || !Array.isArray(spec.initContainers)) return { spec };
  const init = spec.initContainers as unknown[];
  const first = init.findIndex((c) => isObj(c) && c.restartPolicy === 'Always');
  if (first === -1) return { spec };
  const initContainers = init.map((c) => (isObj(c) && c.restartPolicy !== undefined ? withoutRestartPolicy(c) : c));
  const name = isObj(init[first]) && typeof init[first].name === 'string' ? init[first].name : `#${first}`;
  return { spec: { ...spec, initContainers }, heldBy: { container: name, status: `Init:${first}/${init.length}` } };
}

function withoutRestartPolicy(container: Obj): Obj {
  const { restartPolicy: _dropped, ...rest } = container;
  return rest;
}
