// `kdry simulate` end to end through the bundled bin: a 10,000-replica Deployment rolled out
// (--from the earlier image) on a 1,000-node cluster file, JSON written to a file. Whole-process
// wall and CPU time and JSON size (targets: < 500 ms, engine alone < 250 ms), and the engine's own share in
// a child process on the same input. Figures, not assertions.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export function deploymentYaml(replicas: number, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 25% }
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
`;
}

/** `kubectl get nodes -o yaml`-like Node manifests: 3 zones, 64 cores, 256 GiB, 250 pods each. */
export function clusterYaml(nodes: number): string {
  return Array.from({ length: nodes }, (_, i) => `apiVersion: v1
kind: Node
metadata:
  name: node-${String(i).padStart(5, '0')}
  labels:
    kubernetes.io/hostname: node-${String(i).padStart(5, '0')}
    topology.kubernetes.io/zone: zone-${i % 3}
status:
  allocatable: { cpu: "64", memory: 256Gi, pods: "250" }
  conditions:
    - type: Ready
      status: "True"
`).join('---\n');
}

export function writeInputs(replicas: number, nodes: number): { dir: string; after: string; before: string; cluster: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-bench-simulate-'));
  const files = { dir, after: join(dir, 'web.yaml'), before: join(dir, 'web-before.yaml'), cluster: join(dir, 'cluster.yaml') };
  writeFileSync(files.after, deploymentYaml(replicas, 'nginx:1.28'));
  writeFileSync(files.before, deploymentYaml(replicas, 'nginx:1.27'));
  writeFileSync(files.cluster, clusterYaml(nodes));
  return files;
}

/**
 * The engine alone on the same objects, as it ships: bundled by esbuild as scripts/build.mjs does
 * (through tsx every constant another module exports is read through a getter: the same engine
 * took 16-47% more CPU that way, 4 alternating pairs at load 15-21), in a fresh process, after
 * loading the inputs and one warm-up run. Best of 5 runs: process CPU (user + system, JIT and GC
 * threads included) and wall.
 */
async function engineFigures(files: ReturnType<typeof writeInputs>): Promise<{ cpu: number; wall: number }> {
  const { build } = await import('esbuild');
  const bundle = join(files.dir, 'engine.js');
  await build({ entryPoints: [join(root, 'server', 'src', 'engine', 'index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const script = `
    const { readFileSync } = require('node:fs');
    const { parseAllDocuments } = require('yaml');
    const engine = require(${JSON.stringify(bundle)});
    const load = (f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS());
    const nodes = engine.parseClusterText(readFileSync(${JSON.stringify(files.cluster)}, 'utf8'), 'cluster.yaml').nodes;
    const options = { objects: load(${JSON.stringify(files.after)}), before: load(${JSON.stringify(files.before)})[0], nodes };
    engine.simulate(options); // warm
    let cpu = Infinity, wall = Infinity;
    for (let i = 0; i < 5; i++) {
      const c = process.cpuUsage(), t = performance.now();
      engine.simulate(options);
      wall = Math.min(wall, performance.now() - t);
      const u = process.cpuUsage(c);
      cpu = Math.min(cpu, (u.user + u.system) / 1000);
    }
    console.log(JSON.stringify({ cpu, wall }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop() as string);
}

export default async function run(): Promise<void> {
  for (const [replicas, nodes] of [[10_000, 1_000], [100_000, 1_000]] as const) {
    const files = writeInputs(replicas, nodes);
    const out = join(files.dir, 'timeline.json');
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fd = openSync(out, 'w');
      const start = process.hrtime.bigint();
      // The process's user + system CPU beside the wall time: on a shared machine it holds better.
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, join(root, 'dist', 'cli.js'), 'simulate', files.after, '--from', files.before, '--cluster', files.cluster, '--format', 'json'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      closeSync(fd);
      if (r.status !== 0) throw new Error(`kdry simulate exited ${r.status}: ${r.stderr}`);
      const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      cpu.push((user + system) * 1000);
    }
    const best = Math.min(...times);
    const engine = await engineFigures(files);
    console.log(`kdry simulate ${replicas} replicas on a ${nodes}-node cluster file, JSON to a file: best of 3 ${best.toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')} ms; CPU ${cpu.map((t) => t.toFixed(0)).join(', ')} ms), JSON ${(statSync(out).size / 1e6).toFixed(2)} MB; engine alone (bundled, warm, best of 5) CPU ${engine.cpu.toFixed(0)} ms, wall ${engine.wall.toFixed(0)} ms; load ${loadavg()[0].toFixed(2)}`);
  }
}
