// The mixed file of the bench: one file of `documents` YAML documents as a team keeps them (all
// eight workload kinds, Services beside the workloads they front, comments, flow maps, a few
// anchors and merge keys), with a mistake that has a quick-fix in about half of the documents:
// cross-document ones (a Service that selects nothing, a StatefulSet without its Service) and
// single-document ones (a selector that misses the template, rollout fields under spec, a bad
// schedule, ...). Seeded: the same file on every run.
import { Random } from './random';
import { IMAGES, TEAMS, container, labelLines, metadata } from './workloads';

type Kind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicaSet' | 'Pod';
const KIND_WEIGHTS: Record<Kind, number> = { Deployment: 40, StatefulSet: 14, CronJob: 12, Job: 8, DaemonSet: 6, ReplicaSet: 4, Pod: 6 };
/** Probability that a document carries a mistake; ~half, as the issue asks. */
const MISTAKE_RATE = 0.5;

export function mixedFile(documents = 1000, seed = 11): string {
  const r = new Random(seed);
  const docs: string[] = [];
  for (let app = 0; docs.length < documents; app++) {
    for (const d of application(r, app)) if (docs.length < documents) docs.push(d);
  }
  return docs.join('---\n');
}

/** One workload and, for the kinds that serve traffic, its Service. */
export function application(r: Random, n: number): string[] {
  const kind = r.weighted(KIND_WEIGHTS);
  const team = r.pick(TEAMS);
  const name = `${team}-${r.pick(['api', 'web', 'worker', 'cache', 'db', 'gateway', 'sync'])}-${n}`;
  const namespace = r.chance(0.7) ? team : undefined;
  const mistake = r.chance(MISTAKE_RATE);
  const port = { name: r.pick(['http', 'grpc', 'metrics']), number: r.pick([80, 8080, 9090, 5432, 6379]) };
  const labels: Record<string, string> = { app: name, 'app.kubernetes.io/part-of': team };
  const header = r.chance(0.4) ? `# ${name}: owned by team ${team}\n` : '';
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet': {
      const workload = header + controller(r, kind, name, namespace, labels, port, mistake);
      return r.chance(0.7) ? [workload, service(r, name, namespace, labels, port, r.chance(MISTAKE_RATE))] : [workload];
    }
    case 'StatefulSet': {
      const missing = mistake ? r.pick(['no serviceName', 'no Service'] as const) : undefined;
      const set = header + statefulSet(r, name, namespace, labels, port, missing);
      return missing ? [set] : [set, service(r, name, namespace, labels, port, false, true)];
    }
    case 'DaemonSet':
      return [header + daemonSet(r, name, namespace, labels, port, mistake)];
    case 'Job':
      return [header + job(r, name, namespace, labels, mistake)];
    case 'CronJob':
      return [header + cronJob(r, name, namespace, labels, mistake)];
    case 'Pod':
      return [header + pod(r, name, namespace, labels, port, mistake)];
  }
}

type Port = { name: string; number: number };

function controller(r: Random, kind: 'Deployment' | 'ReplicaSet', name: string, namespace: string | undefined, labels: Record<string, string>, port: Port, mistake: boolean): string {
  const which = mistake ? r.pick(kind === 'Deployment' ? ['selector', 'misplaced rollout', 'deadline', 'latest tag', 'unknown apiVersion'] : ['selector', 'latest tag']) : undefined;
  const anchored = !which && r.chance(0.06); // a few teams share labels through an anchor and a merge key
  let s = `apiVersion: ${which === 'unknown apiVersion' ? 'extensions/v1beta1' : 'apps/v1'}\nkind: ${kind}\n`;
  if (anchored) {
    s += `metadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}  labels: &labels-${name}\n    app: ${name}\n    app.kubernetes.io/part-of: ${labels['app.kubernetes.io/part-of']}\n`;
  } else s += metadata(name, namespace, labels, r);
  s += `spec:\n  replicas: ${r.int(1, 6)}\n`;
  if (which === 'deadline') s += `  minReadySeconds: 900\n  progressDeadlineSeconds: 600\n`;
  else if (kind === 'Deployment' && r.chance(0.3)) s += `  revisionHistoryLimit: 5\n`;
  if (kind === 'Deployment') {
    if (which === 'misplaced rollout') s += `  type: RollingUpdate\n  rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 0\n`;
    else if (r.chance(0.6)) s += `  strategy:\n    type: RollingUpdate\n    rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 }\n`;
  }
  const selected = which === 'selector' ? { app: `${name}-v2` } : { app: name };
  s += anchored ? `  selector:\n    matchLabels: *labels-${name}\n` : `  selector:\n    matchLabels:${labelLines(selected, 6, r.chance(0.4))}`;
  s += `  template:\n    metadata:\n      labels:`;
  s += anchored ? `\n        <<: *labels-${name}\n        version: v${r.int(1, 3)}\n` : labelLines({ ...labels, version: `v${r.int(1, 3)}` }, 8, r.chance(0.3));
  s += `    spec:\n`;
  if (r.chance(0.3)) s += `      # spread replicas over nodes\n      terminationGracePeriodSeconds: 45\n`;
  s += `      containers:\n`;
  const image = which === 'latest tag' ? r.pick(['nginx', 'ghcr.io/acme/api:latest']) : r.pick(IMAGES);
  s += container(r, { name: 'app', image, indent: 6, port, flowResources: r.chance(0.5), probe: r.chance(0.7) });
  if (r.chance(0.25)) s += container(r, { name: 'proxy', image: 'envoyproxy/envoy:v1.32.1', indent: 6, flowResources: true });
  if (r.chance(0.3)) s += `      volumes:\n      - name: config\n        configMap: { name: ${name}-config }\n`;
  return s;
}

function service(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, port: Port, mistake: boolean, headless = false): string {
  const which = mistake ? r.pick(['selects nothing', 'target port']) : undefined;
  let s = `apiVersion: v1\nkind: Service\n${metadata(headless ? `${name}-headless` : name, namespace, labels, r)}spec:\n`;
  if (headless) s += `  clusterIP: None\n`;
  else if (r.chance(0.2)) s += `  type: ClusterIP\n`;
  const selector = which === 'selects nothing' ? { app: name.replace(/-(\d+)$/, '_$1') } : { app: name };
  s += `  selector:${labelLines(selector, 4, r.chance(0.5))}`;
  const target = which === 'target port' ? `${port.name}s` : port.name;
  s += r.chance(0.5) ? `  ports:\n  - { name: ${port.name}, port: ${port.number}, targetPort: ${target} }\n` : `  ports:\n  - name: ${port.name}\n    port: ${port.number}\n    targetPort: ${target}\n`;
  return s;
}

function statefulSet(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, port: Port, missing: 'no serviceName' | 'no Service' | undefined): string {
  let s = `apiVersion: apps/v1\nkind: StatefulSet\n${metadata(name, namespace, labels, r)}spec:\n`;
  if (missing !== 'no serviceName') s += `  serviceName: ${missing === 'no Service' ? `${name}-peers` : `${name}-headless`}\n`;
  s += `  replicas: 3\n  podManagementPolicy: ${r.pick(['OrderedReady', 'Parallel'])}\n  selector:\n    matchLabels: { app: ${name} }\n`;
  s += `  template:\n    metadata:\n      labels:${labelLines(labels, 8, r.chance(0.3))}    spec:\n      containers:\n`;
  s += container(r, { name: 'db', image: r.pick(['postgres:16.6', 'redis:7.4-alpine', 'bitnami/kafka:3.9']), indent: 6, port, flowResources: r.chance(0.5), probe: true });
  s += `  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: ${r.pick(['1Gi', '10Gi', '100Gi'])}\n`;
  return s;
}

function daemonSet(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, port: Port, mistake: boolean): string {
  let s = `apiVersion: apps/v1\nkind: DaemonSet\n${metadata(name, namespace, labels, r)}spec:\n  selector:\n    matchLabels:\n      app: ${name}\n`;
  s += `  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: { maxUnavailable: 1 }\n`;
  s += `  template:\n    metadata:\n      labels:${labelLines(labels, 8, false)}    spec:\n      tolerations:\n      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }\n      containers:\n`;
  s += container(r, { name: 'agent', image: 'quay.io/prometheus/node-exporter:v1.8.2', indent: 6, port, flowResources: true });
  if (mistake) s += container(r, { name: 'agent', image: 'fluent/fluent-bit:3.2', indent: 6, flowResources: true });
  return s;
}

function job(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, mistake: boolean): string {
  let s = `apiVersion: batch/v1\nkind: Job\n${metadata(name, namespace, labels, r)}spec:\n  backoffLimit: ${r.int(0, 6)}\n  ttlSecondsAfterFinished: 3600\n`;
  s += `  template:\n    spec:\n      restartPolicy: ${mistake ? 'Always' : r.pick(['Never', 'OnFailure'])}\n      containers:\n`;
  s += container(r, { name: 'migrate', image: r.pick(IMAGES), indent: 6, command: ['/bin/sh', '-c', 'run-migrations --all'] });
  return s;
}

function cronJob(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, mistake: boolean): string {
  const which = mistake ? r.pick(['schedule', 'restart policy']) : undefined;
  const schedule = which === 'schedule' ? r.pick(['0 0 * * * *', '*/5 * * *', '0 25 * * *']) : r.pick(['*/15 * * * *', '0 3 * * *', '@hourly', '30 2 * * 1-5']);
  let s = `apiVersion: batch/v1\nkind: CronJob\n${metadata(name, namespace, labels, r)}spec:\n  schedule: "${schedule}"\n  concurrencyPolicy: ${r.pick(['Forbid', 'Allow', 'Replace'])}\n`;
  s += `  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: ${which === 'restart policy' ? 'Always' : 'OnFailure'}\n          containers:\n`;
  s += container(r, { name: 'task', image: r.pick(IMAGES), indent: 10, command: ['/bin/sh', '-c', 'backup --target s3://backups'] });
  return s;
}

function pod(r: Random, name: string, namespace: string | undefined, labels: Record<string, string>, port: Port, mistake: boolean): string {
  const which = mistake ? r.pick(['duplicate port name', 'bad name']) : undefined;
  let s = `apiVersion: v1\nkind: Pod\n${metadata(which === 'bad name' ? name.replace(/-/g, '_').toUpperCase() : name, namespace, labels, r)}spec:\n  containers:\n`;
  s += container(r, { name: 'debug', image: 'busybox:1.37', indent: 2, port, command: ['sleep', '3600'], duplicatePortName: which === 'duplicate port name' });
  return s;
}
