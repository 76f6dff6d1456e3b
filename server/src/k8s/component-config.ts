/**
 * Kubernetes component configuration (kustomize.config.k8s.io Kustomization, kubelet.config.k8s.io
 * KubeletConfiguration, ...): files read by a tool, never sent to the API server, so no CRD exists
 * for them and no admission policy judges them (KEP-115: component config groups end in `config.k8s.io`).
 */
const COMPONENT_CONFIG_GROUP = /(^|\.)config\.k8s\.io$/;

export function isComponentConfigGroup(group: string): boolean {
  return COMPONENT_CONFIG_GROUP.test(group);
}
