// Small builders for the scheduler tests: nodes and pods in the engine's shapes.
import type { SimNode, SimPod, Taint } from '../../server/src/engine/types';

export function node(name: string, options: { cpu?: number; memory?: number; pods?: number; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; extra?: Record<string, number> } = {}): SimNode {
  return {
    name,
    labels: { 'kubernetes.io/hostname': name, ...(options.labels ?? {}) },
    taints: options.taints ?? [],
    unschedulable: options.unschedulable ?? false,
    ready: true,
    allocatable: { cpu: options.cpu ?? 4000, memory: options.memory ?? 8 * 2 ** 30, pods: options.pods ?? 110, ...(options.extra ?? {}) },
  };
}

let uid = 0;

export function pod(spec: Record<string, unknown>, options: Partial<SimPod> = {}): SimPod {
  uid++;
  return {
    uid: `uid-${uid}`,
    name: `pod-${uid}`,
    namespace: 'default',
    labels: {},
    annotations: {},
    revision: 'r1',
    spec,
    phase: 'Pending',
    ready: false,
    createdAt: 0,
    restartCount: 0,
    ...options,
  };
}

/** A pod spec with one container requesting the given quantities. */
export function requesting(requests: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { containers: [{ name: 'app', image: 'nginx', resources: { requests } }], ...extra };
}

export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
