// What the Service registry allocates on CREATE before validating admission sees the Service
// (registry/generic/registry/store.go Create runs BeginCreate before BeforeCreate and
// createValidation; pkg/registry/core/service/storage/storage.go beginCreate ->
// alloc.go allocateCreate): the cluster IPs from the cluster's service CIDRs, the IP families from
// its configuration (initIPFamilyFields), node ports (allocateNodePorts) and the health check node
// port (allocHealthCheckNodePort). Values the cluster picks read as unknown; what follows from the
// manifest alone is set as the allocator sets it. Works on the defaulted copy the caller owns.
import { isRecord } from '../manifest';
import type { UnknownField } from './prepare-for-create';

type Obj = Record<string, unknown>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function allocateService(service: Obj): UnknownField[] {
  if (!isRecord(service.spec)) return [];
  const spec: Obj = { ...service.spec };
  service.spec = spec;
  // initIPFamilyFields: "can not do anything here"; no IP and no node port either.
  if (spec.type === 'ExternalName') return [];
  const unknown: UnknownField[] = [];
  const cluster = (field: string, what: string): void => void unknown.push({ path: ['spec', field], reason: `it reads spec.${field}, ${what}` });
  const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const writtenIPs = strings(spec.clusterIPs);
  // SetDefaults_Service: clusterIPs from clusterIP.
  const ips = writtenIPs.length > 0 ? writtenIPs : clusterIP ? [clusterIP] : [];
  const families = strings(spec.ipFamilies);
  const headless = ips[0] === 'None';
  const selector = isRecord(spec.selector) && Object.keys(spec.selector).length > 0;
  // Two families or two IPs infer RequireDualStack; what is still unset becomes SingleStack (initIPFamilyFields).
  // A headless Service without a selector follows the cluster's families instead.
  let policy = typeof spec.ipFamilyPolicy === 'string' ? spec.ipFamilyPolicy : undefined;
  if (policy === undefined && (families.length === 2 || ips.length === 2)) policy = 'RequireDualStack';
  if (policy === undefined && !(headless && !selector)) policy = 'SingleStack';
  if (policy === undefined) cluster('ipFamilyPolicy', 'which the API server sets for a headless Service without a selector from whether the cluster is dual-stack');
  else spec.ipFamilyPolicy = policy;
  const settled = families.length === 2 || (families.length === 1 && policy === 'SingleStack');
  if (!settled) cluster('ipFamilies', "which the API server allocates from the cluster's service CIDRs");
  if (!clusterIP) cluster('clusterIP', "which the API server allocates from the cluster's service CIDRs");
  if (ips.length === 2 || (ips.length === 1 && (headless || policy === 'SingleStack'))) spec.clusterIPs = ips;
  else cluster('clusterIPs', "which the API server allocates from the cluster's service CIDRs");
  const nodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (nodePorts && Array.isArray(spec.ports)) {
    spec.ports.forEach((port, i) => {
      if (isRecord(port) && port.nodePort === undefined) unknown.push({ path: ['spec', 'ports', i, 'nodePort'], reason: `it reads spec.ports[${i}].nodePort, which the API server allocates from the cluster's node port range` });
    });
  }
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && spec.healthCheckNodePort === undefined) cluster('healthCheckNodePort', "which the API server allocates from the cluster's node port range");
  return unknown;
}
