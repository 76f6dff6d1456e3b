// Schema validation speed: load time of the schema data (in a fresh process, from the same kind
// of bundle the language server ships, with the data beside it), the cost of switching the target
// release, and validateDocument over 1,000 Deployments.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../server/src/manifest';
import { validateDocument } from '../../server/src/schema';

const DOCUMENTS = 1000;
const ROUNDS = 5;
const CACHE = join(process.cwd(), 'node_modules', '.cache', 'kdry-bench');

/** About 40 lines, like a real Deployment; every tenth one carries a typo and a bad quantity. */
function deployment(i: number): string {
  const broken = i % 10 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels: {app: app-${i}, tier: web}
spec:
  replicas: ${1 + (i % 7)}
  ${broken ? 'replica' : 'revisionHistoryLimit'}: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: ${i % 3}}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}, tier: web}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:${i}
        imagePullPolicy: IfNotPresent
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        env:
        - {name: MODE, value: "production"}
        - {name: INDEX, value: "${i}"}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "${broken ? 'one' : '1'}", memory: 256Mi}
        readinessProbe:
          httpGet: {path: /ready, port: http}
          periodSeconds: 5
        livenessProbe:
          tcpSocket: {port: 8080}
      - name: sidecar
        image: envoyproxy/envoy:v1.31
        args: ["--config-path", "/etc/envoy/envoy.yaml"]
        volumeMounts:
        - {name: config, mountPath: /etc/envoy}
      volumes:
      - name: config
        configMap: {name: envoy-${i}}
`;
}

/** Loads the bundled validators in a new process: require time, catalog parse, first validation. */
async function loadTimes(): Promise<{ require: number; catalog: number; first: number; switched: number }> {
  // Inside node_modules so the probe resolves the external yaml package like the server does.
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, 'schema-'));
  try {
    const bundle = async (name: string, contents: string) => {
      const outfile = join(dir, name);
      await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error', external: ['yaml'] });
      return outfile;
    };
    const outfile = await bundle('schema.cjs', "export * from './server/src/schema'; export { parseManifest } from './server/src/manifest';");
    cpSync(join(process.cwd(), 'server', 'src', 'schema', 'generated', 'k8s'), join(dir, 'k8s'), { recursive: true });
    const probe = `
      const doc = ${JSON.stringify(deployment(0))};
      require('yaml'); // loaded apart: the server needs the parser anyway, and it is not ours
      let t = performance.now();
      const m = require(${JSON.stringify(outfile)});
      const required = performance.now() - t;
      const parsed = m.parseManifest(doc).documents[0];
      t = performance.now(); m.schemaAt('apps/v1/Deployment', ['spec']); const catalog = performance.now() - t;
      t = performance.now(); m.validateDocument(parsed); const first = performance.now() - t;
      t = performance.now(); m.validateDocument(parsed, { target: m.kubernetesTarget('1.31') }); const switched = performance.now() - t;
      console.log(JSON.stringify({ require: required, catalog, first, switched }));`;
    const runs = Array.from({ length: ROUNDS }, () => JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
    const med = (k: 'require' | 'catalog' | 'first' | 'switched') => median(runs.map((r) => r[k]));
    return { require: med('require'), catalog: med('catalog'), first: med('first'), switched: med('switched') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export default async function run(): Promise<void> {
  const load = await loadTimes();
  console.log(`schema load (fresh process, bundled, yaml preloaded): require ${load.require.toFixed(1)} ms; first schema lookup (read the shared definitions and the 1.35 index, parse what Deployment reaches) ${load.catalog.toFixed(1)} ms; first validation ${load.first.toFixed(1)} ms; first validation after switching to 1.31 (its index, the definitions that differ) ${load.switched.toFixed(1)} ms`);

  const text = Array.from({ length: DOCUMENTS }, (_, i) => deployment(i)).join('---\n');
  let t = performance.now();
  const docs = parseManifest(text).documents;
  const parseMs = performance.now() - t;
  const times: number[] = [];
  let findings = 0;
  for (let round = 0; round < ROUNDS; round++) {
    t = performance.now();
    findings = 0;
    for (const doc of docs) findings += validateDocument(doc).length;
    times.push(performance.now() - t);
  }
  const ms = median(times);
  console.log(`${docs.length} Deployments (${text.split('\n').length} lines; parse ${parseMs.toFixed(0)} ms, not counted)`);
  console.log(`validateDocument: ${ms.toFixed(1)} ms total, ${(ms / docs.length).toFixed(3)} ms per document (median of ${ROUNDS}); ${findings} findings (expected ${(DOCUMENTS / 10) * 2})`);
}
