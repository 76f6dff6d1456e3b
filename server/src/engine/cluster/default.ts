// The embedded default cluster: what `kind` or a small managed cluster gives you, so a dry-run
// needs no setup. One tainted control-plane node and three workers spread over three zones.
import type { SimNode } from '../types';

const GI = 1024 ** 3;

function node(name: string, zone: string, controlPlane: boolean): SimNode {
  return {
    name,
    labels: {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'topology.kubernetes.io/region': 'region-1',
      'topology.kubernetes.io/zone': zone,
      ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
    },
    taints: controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
    unschedulable: false,
    ready: true,
    // Allocatable = capacity minus system/kube reservations, as kubelet reports it.
    allocatable: controlPlane
      ? { cpu: 2000, memory: 8 * GI, pods: 110, 'ephemeral-storage': 50 * GI }
      : { cpu: 4000, memory: 16 * GI, pods: 110, 'ephemeral-storage': 100 * GI },
  };
}

export const DEFAULT_CLUSTER_SOURCE = 'embedded default cluster';

export const DEFAULT_CLUSTER: SimNode[] = [
  node('control-plane', 'zone-a', true),
  node('worker-1', 'zone-a', false),
  node('worker-2', 'zone-b', false),
  node('worker-3', 'zone-c', false),
];
