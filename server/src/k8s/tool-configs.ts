// Objects written in Kubernetes' shape that no API server ever receives: a tool's own configuration
// (kind, kubeadm, Skaffold, kpt, k3d, ctlptl, the API server's audit policy file) and anything marked
// `config.kubernetes.io/local-config`, which kustomize drops from what it builds (api/resource/factory.go
// Factory.DropLocalNodes: the annotation present with any value but "false") and kpt keeps out of
// what it applies. There is no CRD for them, so "name its CRD" would be wrong advice.

interface ToolConfig {
  group: string;
  /** The tool's kinds in that group; all of them when absent. */
  kinds?: readonly string[];
  what: string;
}

const TOOL_CONFIGS: readonly ToolConfig[] = [
  { group: 'kind.x-k8s.io', kinds: ['Cluster'], what: "kind's cluster configuration (`kind create cluster --config`)" },
  { group: 'kubeadm.k8s.io', what: "kubeadm's configuration (`kubeadm init --config`)" },
  // apiVersion `skaffold/v4beta11`: the group is `skaffold`
  { group: 'skaffold', kinds: ['Config'], what: "Skaffold's pipeline configuration" },
  { group: 'kpt.dev', kinds: ['Kptfile'], what: "kpt's package file" },
  { group: 'k3d.io', kinds: ['Simple'], what: "k3d's cluster configuration (`k3d cluster create --config`)" },
  { group: 'ctlptl.dev', what: "ctlptl's cluster configuration" },
  { group: 'audit.k8s.io', kinds: ['Policy'], what: "the API server's audit policy file (--audit-policy-file)" },
];

export const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';

/** Why no API server receives the object ("is kind's cluster configuration, ..."); undefined for a cluster object. */
export function notAppliedObject(group: string, kind: string, value: unknown): string | undefined {
  const tool = TOOL_CONFIGS.find((t) => t.group === group && (!t.kinds || t.kinds.includes(kind)));
  if (tool) return `is ${tool.what}, read by that tool`;
  const local = field(field(field(value, 'metadata'), 'annotations'), LOCAL_CONFIG_ANNOTATION);
  if (local !== undefined && local !== 'false') return `is marked ${LOCAL_CONFIG_ANNOTATION}, which kustomize and kpt leave out of what they apply`;
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}
