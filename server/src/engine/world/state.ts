// What the actors of the simulated cluster share: the virtual clock, the event queue, the API
// server's stores and the change log the timeline reads. Each actor (kubelet, scheduling queue,
// node lifecycle controller, pod GC) reads and writes the cluster only through these, and asks
// the World front for what spans actors (removing a pod touches every one of them).
import type { EventQueue, VirtualTime } from '../clock';
import type { SchedulerBackend } from '../scheduling';
import type { SimPod } from '../types';
import type { ChangeLog } from './change-log';
import type { NodeStore } from './node-store';
import type { PodStore } from './pod-store';

export interface WorldState {
  readonly time: VirtualTime;
  readonly queue: EventQueue;
  readonly pods: PodStore;
  readonly nodes: NodeStore;
  readonly changes: ChangeLog;
  readonly scheduler: SchedulerBackend;
  readonly namespace: string;
}

/** The World front's operations that span actors. */
export interface WorldActions {
  /** Graceful deletion (the API server sets deletionTimestamp). */
  deletePod(pod: SimPod): void;
  /** The pod object leaves the API server. */
  removePod(pod: SimPod): void;
  /** Something pending pods may wait for changed: unschedulable pods are tried again. */
  clusterChanged(): void;
}
