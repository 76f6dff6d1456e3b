// The defaults the API server gives core/v1 objects other than pod templates when it decodes a
// manifest (pkg/apis/core/v1/defaults.go): SetDefaults_Pod, _Namespace, _Service, _PersistentVolumeClaimSpec,
// _Secret, _ReplicationController (its replicas are the OpenAPI `+default`, zero-values.ts).
import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';
import { podLevelResourcesOf } from '../k8s/pod-level-resources';
import { formatAmount } from '../k8s/quantity-amount';
import { isRecord } from '../manifest';
import { defaultPodSpec, defaultPodTemplate } from './pod-spec';
import { objects, setDefault, type Obj } from './shapes';

/**
 * SetDefaults_Pod after SetDefaults_PodSpec: requests default to limits per container, service
 * links are on, and with hostNetwork every container port is a host port. With PodLevelResources
 * on (beta from 1.34), the pod-level limits and requests it lacks are filled after the containers'
 * (defaultHugePagePodLimits, defaultPodRequests: k8s/pod-level-resources.ts podLevelResourcesOf).
 */
export function defaultPod(obj: Obj, release: string): void {
  if (!isRecord(obj.spec)) return;
  const spec = obj.spec;
  defaultPodSpec(spec, release);
  for (const list of ['containers', 'initContainers']) {
    for (const container of objects(spec[list])) {
      const resources = isRecord(container.resources) ? container.resources : undefined;
      if (!resources || !isRecord(resources.limits)) continue;
      const requests = isRecord(resources.requests) ? resources.requests : {};
      resources.requests = { ...resources.limits, ...requests };
    }
  }
  if (isRecord(spec.resources) && gateOnByDefault(FEATURE_GATES.PodLevelResources, release)) {
    const stored = podLevelResourcesOf(spec);
    const resources = spec.resources;
    for (const side of stored ? (['limits', 'requests'] as const) : []) {
      const written = isRecord(resources[side]) ? resources[side] : {};
      const added = [...stored![side]].filter(([name]) => !(name in written)).map(([name, amount]) => [name, formatAmount(amount)]);
      if (added.length > 0) resources[side] = { ...written, ...Object.fromEntries(added) };
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) for (const list of ['containers', 'initContainers']) for (const container of objects(spec[list])) for (const port of objects(container.ports)) setDefault(port, 'hostPort', port.containerPort, true);
}

/** v1.LabelMetadataName. */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

/** SetDefaults_Namespace: a namespace with a name is labelled with it (a generateName one is not). */
export function defaultNamespace(obj: Obj): void {
  const metadata = isRecord(obj.metadata) ? obj.metadata : undefined;
  if (!metadata || typeof metadata.name !== 'string' || metadata.name === '') return;
  metadata.labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), [METADATA_NAME_LABEL]: metadata.name };
}

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
const CLIENT_IP_AFFINITY_SECONDS = 10800;

export function defaultService(obj: Obj): void {
  if (!isRecord(obj.spec)) obj.spec = {};
  const spec = obj.spec as Obj;
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = isRecord(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : undefined;
    const clientIP = config && isRecord(config.clientIP) ? config.clientIP : undefined;
    if (clientIP?.timeoutSeconds == null) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: CLIENT_IP_AFFINITY_SECONDS } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const port of objects(spec.ports)) {
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port, true);
  }
  // pkg/api/v1/service ExternallyAccessible: a LoadBalancer, a NodePort, or a ClusterIP with external IPs.
  const external = spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

export function defaultPersistentVolumeClaim(obj: Obj): void {
  if (isRecord(obj.spec)) setDefault(obj.spec, 'volumeMode', 'Filesystem');
}

export function defaultSecret(obj: Obj): void {
  setDefault(obj, 'type', 'Opaque');
}

/** The template's labels become the selector and the object's labels when those are empty. */
export function defaultReplicationController(obj: Obj, release: string): void {
  if (!isRecord(obj.spec)) return;
  const template = isRecord(obj.spec.template) ? obj.spec.template : undefined;
  const labels = template && isRecord(template.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : undefined;
  if (labels) {
    if (!isRecord(obj.spec.selector) || Object.keys(obj.spec.selector).length === 0) obj.spec.selector = { ...labels };
    if (!isRecord(obj.metadata)) obj.metadata = {};
    const metadata = obj.metadata as Obj;
    if (!isRecord(metadata.labels) || Object.keys(metadata.labels).length === 0) metadata.labels = { ...labels };
  }
  defaultPodTemplate(obj.spec.template, release);
}
