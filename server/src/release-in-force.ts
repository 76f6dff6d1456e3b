// The Kubernetes release manifests are checked and simulated for, and why. One order for the editor
// (lsp/kubernetes-version.ts) and the CLI (`kdry check`, `kdry simulate`):
//   1. a release the user names: `kdry.kubernetesVersion` in the editor; `--kubernetes-version`,
//      else `kubernetesVersion` in .kdry/config.yaml, on the command line;
//   2. the newest kubelet among the nodes of the cluster file in force (clusterRelease);
//   3. the newest release kdry bundles.
import type { KubernetesVersionResponse } from './protocol/requests';
import { compareVersions, releaseOf } from './k8s/release-version';
import { DEFAULT_KUBERNETES_VERSION } from './settings';
import type { ResolvedCluster } from './workspace/cluster-file';

export type ReleaseInForce = KubernetesVersionResponse;

export const NEWEST_BUNDLED: ReleaseInForce = { version: DEFAULT_KUBERNETES_VERSION, source: 'bundled', reason: 'the newest release kdry bundles' };

/** A release the user named; `where` says where (`the kdry.kubernetesVersion setting`, `--kubernetes-version`). */
export function namedRelease(version: string, source: 'setting' | 'flag' | 'config', where: string): ReleaseInForce {
  return { version, source, reason: `from ${where}` };
}

/**
 * The release in force: `named` when the user named one, else what the nodes of `cluster` (the
 * cluster file in force, shown as `shown`) run, else the newest bundled release. Never throws.
 */
export function releaseInForce(named: ReleaseInForce | undefined, cluster?: { shown: string; cluster: ResolvedCluster }): ReleaseInForce {
  if (named) return named;
  if (!cluster) return NEWEST_BUNDLED;
  if (cluster.cluster.error) return { ...NEWEST_BUNDLED, reason: `${NEWEST_BUNDLED.reason} (${cluster.shown} could not be read)` };
  const release = clusterRelease(cluster.cluster);
  if (!release) return { ...NEWEST_BUNDLED, reason: `${NEWEST_BUNDLED.reason} (no node in ${cluster.shown} reports status.nodeInfo.kubeletVersion)` };
  return { version: release.version, source: 'cluster-file', reason: `from ${cluster.shown}: nodes run kubelet ${release.kubelet}` };
}

/**
 * The release a cluster runs, read from its nodes' `status.nodeInfo.kubeletVersion`: the newest
 * minor among them. The version skew policy never lets a kubelet be newer than the API server
 * (https://kubernetes.io/releases/version-skew-policy/#kubelet: "kubelet must not be newer than
 * kube-apiserver"), so the newest kubelet is the closest the file comes to the control plane's
 * release. Worked example: nodes on v1.30.9 and v1.31.4 (mid-upgrade) -> 1.31, "kubelet v1.31.4".
 */
export function clusterRelease(cluster: Pick<ResolvedCluster, 'nodes'>): { version: string; kubelet: string } | undefined {
  let newest: { version: string; kubelet: string } | undefined;
  for (const node of cluster.nodes) {
    const version = node.kubeletVersion === undefined ? undefined : releaseOf(node.kubeletVersion);
    if (version && (!newest || compareVersions(version, newest.version) > 0)) newest = { version, kubelet: node.kubeletVersion! };
  }
  return newest;
}
