// The ports a Service serves, as a backend reference (Ingress, HTTPRoute) names them: by `port`
// number or port `name`, never by the `targetPort` on its pods.
import { isRecord, type ManifestDocument } from '../manifest';
import { valueAt } from '../manifest/pod-template';

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
}

export function servicePorts(svc: ManifestDocument): ServicePort[] {
  const listed = valueAt(svc.value, ['spec', 'ports']);
  return (Array.isArray(listed) ? listed.filter(isRecord) : []) as ServicePort[];
}

/** `80 (http), 443`: the ports as a message lists them. */
export function describeServed(ports: ServicePort[]): string {
  return ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
}
