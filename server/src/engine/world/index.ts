// The simulated cluster: SimWorld, the front controllers act on, and what the engine reads of it.
export { MAX_PODS_CREATED, PodLimitError, SimWorld, type SimWorldOptions } from './sim-world';
export { NEW_REVISION } from './kubelet';
export { NOT_READY_TAINT_KEY } from './node-lifecycle';
