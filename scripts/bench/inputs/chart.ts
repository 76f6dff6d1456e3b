// The rendered output of a large Helm chart (`helm template` of an umbrella chart with many
// components): `# Source:` comments, quoted label values, long ConfigMaps whose data are block
// scalars (config files, scripts), and the usual RBAC, Secrets, HPA, PDB and Ingress beside the
// workloads. Seeded: the same text on every run.
import { Random } from './random';

const RELEASE = 'platform';
const CHART = 'platform-stack-4.12.0';

export function renderedChart(components = 60, seed = 7): string {
  const r = new Random(seed);
  const docs: string[] = [];
  for (let c = 0; c < components; c++) docs.push(...component(r, c));
  return docs.join('---\n');
}

function labels(name: string, indent: number): string {
  const p = ' '.repeat(indent);
  return [`helm.sh/chart: ${CHART}`, `app.kubernetes.io/name: ${name}`, `app.kubernetes.io/instance: ${RELEASE}`, 'app.kubernetes.io/version: "4.12.0"', 'app.kubernetes.io/managed-by: Helm'].map((l) => `${p}${l}\n`).join('');
}

function selectorLabels(name: string, indent: number): string {
  const p = ' '.repeat(indent);
  return `${p}app.kubernetes.io/name: ${name}\n${p}app.kubernetes.io/instance: ${RELEASE}\n`;
}

function header(kind: string, apiVersion: string, name: string, file: string): string {
  return `# Source: ${CHART.replace(/-[\d.]+$/, '')}/charts/${name}/templates/${file}\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${RELEASE}-${name}\n  namespace: ${RELEASE}\n  labels:\n${labels(name, 4)}`;
}

/** A config file of `lines` lines, as charts embed nginx, Prometheus or application configs. */
function configFile(r: Random, lines: number): string {
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < lines; i++) {
    const pad = '  '.repeat(depth);
    const roll = r.next();
    if (roll < 0.1 && depth < 3) {
      out.push(`${pad}${r.pick(['server', 'location /api', 'upstream backend', 'scrape_configs:', 'http', 'logging:'])} {`);
      depth++;
    } else if (roll < 0.18 && depth > 0) {
      depth--;
      out.push(`${'  '.repeat(depth)}}`);
    } else if (roll < 0.23) out.push(`${pad}# ${r.pick(['tuned for 4 vCPU nodes', 'see RUNBOOK.md', 'do not edit: generated', 'keep in sync with the gateway'])}`);
    else out.push(`${pad}${r.pick(['worker_connections', 'proxy_read_timeout', 'keepalive', 'scrape_interval', 'level', 'max_body_size'])} ${r.pick(['1024', '30s', 'on', '"info"', '16m', '15s'])};`);
  }
  while (depth-- > 0) out.push(`${'  '.repeat(depth)}}`);
  return out.join('\n');
}

function component(r: Random, c: number): string[] {
  const name = `${r.pick(['gateway', 'auth', 'billing', 'search', 'ingest', 'notifier', 'scheduler', 'ledger'])}-${c}`;
  const full = `${RELEASE}-${name}`;
  const port = r.pick([8080, 8443, 9000, 3000]);
  const docs: string[] = [];
  docs.push(`${header('ServiceAccount', 'v1', name, 'serviceaccount.yaml')}automountServiceAccountToken: false\n`);
  docs.push(`${header('Secret', 'v1', name, 'secret.yaml')}type: Opaque\ndata:\n  password: ${Buffer.from(`s3cret-${c}`).toString('base64')}\n  api-key: ${Buffer.from(`key-${c}-${r.int(1000, 9999)}`).toString('base64')}\n`);
  const files = r.int(1, 3);
  let config = `${header('ConfigMap', 'v1', name, 'configmap.yaml')}data:\n`;
  for (let f = 0; f < files; f++) {
    const body = configFile(r, r.int(40, 220));
    config += `  ${r.pick(['nginx.conf', 'prometheus.yml', 'app.toml', 'logging.conf', 'entrypoint.sh'])}${f === 0 ? '' : `-${f}`}: |\n${body.split('\n').map((l) => (l ? `    ${l}` : '')).join('\n')}\n`;
  }
  config += `  LOG_LEVEL: "info"\n  FEATURE_FLAGS: "search-v2,async-billing"\n`;
  docs.push(config);
  docs.push(`${header('Service', 'v1', name, 'service.yaml')}spec:\n  type: ClusterIP\n  ports:\n    - port: ${port}\n      targetPort: http\n      protocol: TCP\n      name: http\n  selector:\n${selectorLabels(name, 4)}`);
  const stateful = r.chance(0.2);
  let w = `${header(stateful ? 'StatefulSet' : 'Deployment', 'apps/v1', name, stateful ? 'statefulset.yaml' : 'deployment.yaml')}spec:\n`;
  if (stateful) w += `  serviceName: ${full}\n`;
  w += `  replicas: ${r.int(1, 5)}\n`;
  if (!stateful) w += `  revisionHistoryLimit: 10\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n`;
  w += `  selector:\n    matchLabels:\n${selectorLabels(name, 6)}  template:\n    metadata:\n      annotations:\n        checksum/config: ${r.int(1e8, 9e8).toString(16)}${r.int(1e8, 9e8).toString(16)}\n      labels:\n${labels(name, 8)}`;
  w += `    spec:\n      serviceAccountName: ${full}\n      securityContext:\n        fsGroup: 1001\n        runAsNonRoot: true\n      containers:\n        - name: ${name.replace(/-\d+$/, '')}\n          image: "registry.example.com/${RELEASE}/${name.replace(/-\d+$/, '')}:4.12.0"\n          imagePullPolicy: IfNotPresent\n`;
  w += `          args:\n            - --config=/etc/${name}/${'app.toml'}\n            - --port=${port}\n          ports:\n            - name: http\n              containerPort: ${port}\n              protocol: TCP\n`;
  w += `          env:\n            - name: PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ${full}\n                  key: password\n            - name: LOG_LEVEL\n              valueFrom:\n                configMapKeyRef:\n                  name: ${full}\n                  key: LOG_LEVEL\n`;
  w += `          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n`;
  w += `          resources:\n            limits:\n              memory: 512Mi\n            requests:\n              cpu: 100m\n              memory: 256Mi\n          volumeMounts:\n            - name: config\n              mountPath: /etc/${name}\n      volumes:\n        - name: config\n          configMap:\n            name: ${full}\n`;
  if (stateful) w += `  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes:\n          - "ReadWriteOnce"\n        resources:\n          requests:\n            storage: "8Gi"\n`;
  docs.push(w);
  if (r.chance(0.6)) docs.push(`${header('HorizontalPodAutoscaler', 'autoscaling/v2', name, 'hpa.yaml')}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${full}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 80\n`);
  if (r.chance(0.5)) docs.push(`${header('PodDisruptionBudget', 'policy/v1', name, 'pdb.yaml')}spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n${selectorLabels(name, 6)}`);
  if (r.chance(0.4)) docs.push(`${header('Role', 'rbac.authorization.k8s.io/v1', name, 'role.yaml')}rules:\n  - apiGroups: [""]\n    resources: ["configmaps", "secrets"]\n    verbs: ["get", "list", "watch"]\n`);
  if (r.chance(0.3)) docs.push(`${header('Ingress', 'networking.k8s.io/v1', name, 'ingress.yaml')}spec:\n  ingressClassName: nginx\n  rules:\n    - host: "${name}.example.com"\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${full}\n                port:\n                  number: ${port}\n`);
  if (r.chance(0.3)) docs.push(`${header('CronJob', 'batch/v1', name, 'cronjob.yaml')}spec:\n  schedule: "${r.pick(['0 */6 * * *', '15 3 * * *'])}"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: cleanup\n              image: "registry.example.com/${RELEASE}/tools:4.12.0"\n              args: ["cleanup", "--older-than=7d"]\n`);
  return docs;
}
