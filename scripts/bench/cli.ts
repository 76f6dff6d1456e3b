// `kdry check` over a folder of 10,000 workload documents (100 files of 100), end to end through
// the bundled bin on one process: resources per second. kubeconform publishes ~7,600/s on 4 cores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export function workloadDocument(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app: app-${i}
spec:
  replicas: ${1 + (i % 5)}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: web
        image: registry.example/app:${i % 7}.0.1
        ports:
        - name: http
          containerPort: 8080
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 5
`;
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-bench-cli-'));
  const files = 100;
  const perFile = 100;
  for (let f = 0; f < files; f++)
    writeFileSync(join(dir, `apps-${f}.yaml`), Array.from({ length: perFile }, (_, i) => workloadDocument(f * perFile + i)).join('---\n'));
  const documents = files * perFile;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) throw new Error(`kdry check exited ${r.status}: ${r.stderr || r.stdout.slice(0, 500)}`);
  }
  const best = Math.min(...times);
  console.log(`kdry check: ${documents} documents in ${files} files, best of 3: ${best.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  console.log(`  ${Math.round((documents / best) * 1000)} resources/s on one process (${require('node:os').cpus().length} cores available)`);
}
