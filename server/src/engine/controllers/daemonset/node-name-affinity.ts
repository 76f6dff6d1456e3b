// How a daemon pod is tied to its node since 1.17: not by nodeName but by a required node
// affinity term on the node's name, so that kube-scheduler places it and every filter (resources,
// host ports, taints) applies. pkg/controller/daemon/util/daemonset_util.go:
// ReplaceDaemonSetPodNodeNameNodeAffinity and GetTargetNodeName.
import type { SimPod } from '../../types';
import { obj } from '../../objects';

type Obj = Record<string, unknown>;

/** The field selector key of a node's name in a matchFields requirement. */
const NODE_NAME_FIELD = 'metadata.name';

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes a single term
 * `matchFields: metadata.name In [nodeName]`; terms the template had are replaced (the controller
 * already checked them when it chose the node), preferred terms and spec.nodeSelector are kept.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: unknown, nodeName: string): Obj {
  const nodeSelector = { nodeSelectorTerms: [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }] };
  const current = obj(affinity);
  const nodeAffinity = obj(current.nodeAffinity);
  const required = obj(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
  return {
    ...current,
    nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { ...required, ...nodeSelector } },
  };
}

/** GetTargetNodeName: spec.nodeName once bound, else the node named by that affinity term. */
export function targetNodeName(pod: SimPod): string | undefined {
  if (pod.nodeName !== undefined && pod.nodeName !== '') return pod.nodeName;
  const terms = obj(obj(obj(pod.spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms;
  for (const term of Array.isArray(terms) ? terms : []) {
    const fields = obj(term).matchFields;
    for (const req of Array.isArray(fields) ? fields.map(obj) : []) {
      if (req.key === NODE_NAME_FIELD && req.operator === 'In' && Array.isArray(req.values) && req.values.length === 1) return String(req.values[0]);
    }
  }
  return undefined;
}
