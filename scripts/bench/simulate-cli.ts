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

interface EngineFigures {
  /** Best of 5 warm runs: CPU and wall. */
  cpu: number;
  wall: number;
  /** The first run in the process (what `kdry simulate` pays: V8 has compiled nothing yet), CPU. */
  coldCpu: number;
  /** parseClusterText of the cluster file, first call in the process, CPU. */
  clusterCpu: number;
  /** The JSON of the first run's result written to a file as the CLI writes it (writeJsonText, delta steps), CPU. */
  jsonCpu: number;
}

/**
 * The engine alone on the same objects, as it ships: bundled by esbuild as scripts/build.mjs does
 * (through tsx every constant another module exports is read through a getter: the same engine
 * took 16-47% more CPU that way, 4 alternating pairs at load 15-21), in a fresh process, after
 * loading the inputs. The cluster file's parse and the first run are timed cold, as the CLI runs
 * them; then best of 5 warm runs: process CPU (user + system, JIT and GC threads included) and wall.
 */
async function engineFigures(files: ReturnType<typeof writeInputs>): Promise<EngineFigures> {
  const { build } = await import('esbuild');
  const bundle = join(files.dir, 'engine.js');
  const entry = join(files.dir, 'engine-entry.ts');
  writeFileSync(entry, `export * from ${JSON.stringify(join(root, 'server', 'src', 'engine', 'index.ts'))};\nexport { writeJsonText } from ${JSON.stringify(join(root, 'server', 'src', 'cli', 'format', 'json-pieces.ts'))};\n`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const script = `
    const { closeSync, openSync, readFileSync, writeSync } = require('node:fs');
    const { parseAllDocuments } = require('yaml');
    const engine = require(${JSON.stringify(bundle)});
    const load = (f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS());
    const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
    const clusterText = readFileSync(${JSON.stringify(files.cluster)}, 'utf8');
    let c = process.cpuUsage();
    const nodes = engine.parseClusterText(clusterText, 'cluster.yaml').nodes;
    const clusterCpu = cpuMs(c);
    // As kdry simulate --format json runs it (simulate-command.ts): pods as changes after the first step.
    const options = { objects: load(${JSON.stringify(files.after)}), before: load(${JSON.stringify(files.before)})[0], nodes, snapshotMode: 'delta' };
    c = process.cpuUsage();
    const first = engine.simulate(options);
    const coldCpu = cpuMs(c);
    const fd = openSync(${JSON.stringify(join(files.dir, 'engine-timeline.json'))}, 'w');
    c = process.cpuUsage();
    engine.writeJsonText(first, (text) => writeSync(fd, text));
    const jsonCpu = cpuMs(c);
    closeSync(fd);
    let cpu = Infinity, wall = Infinity;
    for (let i = 0; i < 5; i++) {
      const c = process.cpuUsage(), t = performance.now();
      engine.simulate(options);
      wall = Math.min(wall, performance.now() - t);
      const u = process.cpuUsage(c);
      cpu = Math.min(cpu, (u.user + u.system) / 1000);
    }
    console.log(JSON.stringify({ cpu, wall, coldCpu, clusterCpu, jsonCpu }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop() as string);
}

/** Process CPU (user + system) of `node` with these arguments, in ms. */
function nodeCpu(args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return (user + system) * 1000;
}

/** Node's own start, and loading the command's bundle on top of it (medians of 3, CPU). */
function startFigures(): { node: number; bundle: number } {
  const median = (f: () => number) => [f(), f(), f()].sort((a, b) => a - b)[1];
  const node = median(() => nodeCpu(['-e', '0']));
  const loaded = median(() => nodeCpu(['-e', `require(${JSON.stringify(join(root, 'dist', 'cli-simulate.js'))})`]));
  return { node, bundle: loaded - node };
}

export default async function run(): Promise<void> {
  const start = startFigures();
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
    // Where the process's CPU goes, each part measured apart (the rest: reading the manifest, the folder's scope, writing).
    console.log(`  split (CPU): node start ${start.node.toFixed(0)} ms, dist/cli-simulate.js load ${start.bundle.toFixed(0)} ms, cluster file ${engine.clusterCpu.toFixed(0)} ms, engine first run ${engine.coldCpu.toFixed(0)} ms, JSON text written ${engine.jsonCpu.toFixed(0)} ms`);
  }
}
