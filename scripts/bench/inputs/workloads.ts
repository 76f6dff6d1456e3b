// Building blocks of the generated bench manifests: containers and pod templates written the way
// people write them (block and flow maps, comments, env lists, probes, volumes), varied by a
// seeded Random. What a document looks like is chosen here; which mistakes it carries is up to
// the caller.
import type { Random } from './random';

export const IMAGES = ['nginx:1.27.3', 'ghcr.io/acme/api:2.14.1', 'registry.example.com/payments/worker:5.2.0', 'redis:7.4-alpine', 'postgres:16.6', 'busybox:1.37', 'quay.io/prometheus/node-exporter:v1.8.2', 'python:3.12-slim'];
export const TEAMS = ['payments', 'search', 'checkout', 'identity', 'platform', 'data'];

export interface ContainerOptions {
  name: string;
  image: string;
  /** Indentation of the `- name:` line. */
  indent: number;
  port?: { name: string; number: number };
  /** Write resources as one flow map (`resources: { requests: { cpu: 100m } }`). */
  flowResources?: boolean;
  probe?: boolean;
  command?: string[];
  /** A second port under the same name (a mistake the API server rejects). */
  duplicatePortName?: boolean;
}

export function container(r: Random, o: ContainerOptions): string {
  const p = ' '.repeat(o.indent);
  const q = p + '  ';
  let s = `${p}- name: ${o.name}\n${q}image: ${o.image}\n`;
  if (r.chance(0.5)) s += `${q}imagePullPolicy: IfNotPresent\n`;
  if (o.command) s += `${q}command: [${o.command.map((c) => JSON.stringify(c)).join(', ')}]\n`;
  if (o.port) s += `${q}ports:\n${q}- name: ${o.port.name}\n${q}  containerPort: ${o.port.number}\n${q}  protocol: TCP\n`;
  if (o.port && o.duplicatePortName) s += `${q}- { name: ${o.port.name}, containerPort: ${o.port.number + 1} }\n`;
  const envs = r.int(0, 5);
  if (envs > 0) {
    s += `${q}env:\n`;
    for (let e = 0; e < envs; e++) {
      if (r.chance(0.25)) s += `${q}- name: POD_NAMESPACE\n${q}  valueFrom:\n${q}    fieldRef: { fieldPath: metadata.namespace }\n`;
      else s += `${q}- name: SETTING_${e}\n${q}  value: "${r.pick(['true', 'info', '30s', 'https://api.example.com/v2', '8'])}"\n`;
    }
  }
  const cpu = r.pick(['50m', '100m', '250m', '500m', '1']);
  const mem = r.pick(['64Mi', '128Mi', '256Mi', '512Mi', '1Gi']);
  if (o.flowResources) s += `${q}resources: { requests: { cpu: ${cpu}, memory: ${mem} }, limits: { memory: ${mem} } }\n`;
  else s += `${q}resources:\n${q}  requests:\n${q}    cpu: ${cpu}\n${q}    memory: ${mem}\n${q}  limits:\n${q}    memory: ${mem}\n`;
  if (o.probe && o.port) {
    s += `${q}readinessProbe:\n${q}  httpGet: { path: /healthz, port: ${o.port.name} }\n${q}  periodSeconds: 10\n`;
    if (r.chance(0.5)) s += `${q}livenessProbe:\n${q}  tcpSocket:\n${q}    port: ${o.port.number}\n${q}  initialDelaySeconds: 15\n`;
  }
  if (r.chance(0.3)) s += `${q}volumeMounts:\n${q}- name: config\n${q}  mountPath: /etc/app\n${q}  readOnly: true\n`;
  if (r.chance(0.3)) s += `${q}securityContext:\n${q}  runAsNonRoot: true\n${q}  allowPrivilegeEscalation: false\n${q}  capabilities: { drop: [ALL] }\n`;
  return s;
}

/** Labels as a block map at `indent`, or as a flow map on the key's line. */
export function labelLines(labels: Record<string, string>, indent: number, flow: boolean): string {
  if (flow) return ` { ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }\n`;
  return '\n' + Object.entries(labels).map(([k, v]) => `${' '.repeat(indent)}${k}: ${v}\n`).join('');
}

export function metadata(name: string, namespace: string | undefined, labels: Record<string, string>, r: Random): string {
  let s = `metadata:\n  name: ${name}\n`;
  if (namespace) s += `  namespace: ${namespace}\n`;
  s += `  labels:${labelLines(labels, 4, r.chance(0.2))}`;
  if (r.chance(0.3)) s += `  annotations:\n    owner: team-${r.pick(TEAMS)}@example.com\n    kubernetes.io/change-cause: "release ${r.int(1, 400)}"\n`;
  return s;
}
