// `npm run bench simulation-diagnostics`: simulation-backed diagnostics in the language server for
// a workspace of 100 workloads (10 folders of 10: Deployments, a StatefulSet, a DaemonSet, a Job,
// a CronJob) on a 1,000-node cluster (.kdry/cluster.yaml), every file open. Figures: the first
// full pass after opening (every workload simulated), then single-line edits of one Deployment's
// CPU request (too large, then fine, alternately): from the didChange to the publication that
// carries its finding (an edit that fixes it drops the stale finding in its own first publication),
// the time "after the last edit"; and the cost on the typing path:
// edit -> first publishDiagnostics of that version with simulationChecks on and off. Then edits
// that add a comment inside the broken Deployment (the engine's inputs unchanged): from the
// didChange to the publication that carries its finding again, on its moved line, and the server's
// CPU per edit (its worker included). Figures only.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../../test/server/lsp-client';
import { cpuMs, fmt, median, percentile } from './harness/lsp-session';

export const FOLDERS = 10;
export const PER_FOLDER = 10;
const NODES = 1000;
const EDITS = 10;
const COMMENT_EDITS = 6;
/** After a comment edit's finding is back: long enough for the checks' run after the republish (300 ms debounce). */
const COMMENT_SETTLE_MS = 600;

export function cluster(): string {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  return Array.from({ length: NODES }, (_, i) => `apiVersion: v1
kind: Node
metadata:
  name: node-${i}
  labels:
    kubernetes.io/hostname: node-${i}
    topology.kubernetes.io/zone: ${zones[i % 3]}
status:
  allocatable:
    cpu: "${i % 10 === 0 ? 16 : 8}"
    memory: 32Gi
    pods: "110"
`).join('---\n');
}

function podSpec(name: string, cpu: string, extra = ''): string {
  return `    metadata:
      labels:
        app: ${name}
    spec:
${extra}      containers:
      - name: app
        image: registry.example/${name}:1.0.0
        resources:
          requests:
            cpu: ${cpu}
            memory: 512Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
          periodSeconds: 5
`;
}

export function workload(folder: number, i: number, cpu = '500m'): string {
  const name = `app-${folder}-${i}`;
  const selector = `  selector:\n    matchLabels:\n      app: ${name}\n`;
  switch (i) {
    case 7:
      return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: ${name}\n  replicas: 3\n${selector}  template:\n${podSpec(name, cpu)}`;
    case 8:
      return `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec:\n${selector}  template:\n${podSpec(name, '100m')}`;
    case 9:
      return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "*/10 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            kdry.dev/run-seconds: "120"\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: job\n            image: registry.example/job:1.0.0\n`;
    default:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${3 + (i % 4)}\n${selector}  template:\n${podSpec(name, cpu)}`;
  }
}

async function session(simulationChecks: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'kdry-bench-sim-'));
  mkdirSync(join(root, '.kdry'));
  writeFileSync(join(root, '.kdry', 'cluster.yaml'), cluster());
  const files: { uri: string; text: string }[] = [];
  for (let f = 0; f < FOLDERS; f++) {
    mkdirSync(join(root, `team-${f}`));
    for (let i = 0; i < PER_FOLDER; i++) {
      const path = join(root, `team-${f}`, `app-${i}.yaml`);
      const text = workload(f, i);
      writeFileSync(path, text);
      files.push({ uri: pathToFileURL(path).href, text });
    }
  }
  const client = new LspClient({ workspaceFolder: root, configuration: (section) => (section === 'kdry' ? { simulationChecks } : null) });
  await client.initialize();
  return { client, files };
}

const hasFinding = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.some((d) => d.code === 'unschedulable-replicas');

export default async function run(): Promise<void> {
  const { client, files } = await session(true);
  const pid = client.process.pid!;
  // Every file open; the first pass ends when the edited Deployment's finding... there is none yet:
  // the pass is timed by a file that has one from the start.
  const target = files[0];
  const firstBad = workload(0, 0, `"24"`);
  let t = performance.now();
  let cpu = cpuMs(pid);
  for (const f of files.slice(1)) await client.open(f.uri, f.text);
  const firstPass = client.nextDiagnostics(target.uri, hasFinding, 120_000);
  await client.open(target.uri, firstBad);
  await firstPass;
  const firstMs = performance.now() - t;
  const firstCpu = cpuMs(pid) - cpu;

  const settle: number[] = [];
  const typing: number[] = [];
  cpu = cpuMs(pid);
  for (let e = 0; e < EDITS; e++) {
    const bad = e % 2 === 1;
    const text = workload(0, 0, bad ? `"${24 + e}"` : `${600 + e}m`);
    t = performance.now();
    const arrived = client.nextDiagnostics(target.uri, (p) => hasFinding(p) === bad && p.version !== undefined && p.version >= e + 2, 60_000);
    await client.change(target.uri, text);
    typing.push(performance.now() - t);
    // The edit's own diagnostics drop the stale finding at once; a bad edit's finding comes from the worker.
    await arrived;
    if (bad) settle.push(performance.now() - t);
  }
  const editCpu = (cpuMs(pid) - cpu) / EDITS;

  // The last edit above broke the request: each comment line moves its finding down one line.
  const broken = workload(0, 0, `"${24 + EDITS - 1}"`);
  const comment: number[] = [];
  cpu = cpuMs(pid);
  for (let e = 0; e < COMMENT_EDITS; e++) {
    const text = broken.replace('kind: Deployment\n', `kind: Deployment\n${'# a note\n'.repeat(e + 1)}`);
    const version = EDITS + 2 + e;
    t = performance.now();
    const back = client.nextDiagnostics(target.uri, (p) => hasFinding(p) && p.version !== undefined && p.version >= version, 60_000);
    await client.change(target.uri, text);
    await back;
    comment.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, COMMENT_SETTLE_MS));
  }
  const commentCpu = (cpuMs(pid) - cpu) / COMMENT_EDITS;
  await client.shutdown();

  const off = await session(false);
  const offTyping: number[] = [];
  for (const f of off.files) await off.client.open(f.uri, f.text);
  for (let e = 0; e < EDITS; e++) {
    t = performance.now();
    await off.client.change(off.files[0].uri, workload(0, 0, e % 2 ? `"${24 + e}"` : `${600 + e}m`));
    offTyping.push(performance.now() - t);
  }
  await off.client.shutdown();

  const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
  console.log(`${FOLDERS * PER_FOLDER} workloads in ${FOLDERS} folders, ${NODES}-node cluster file, every file open`);
  console.log(`first pass (open all -> the bad Deployment's finding): ${fmt(firstMs)} ms wall, ${fmt(firstCpu)} ms server CPU (main thread + worker)`);
  console.log(`edit that breaks the request -> its finding published  median ${fmt(median(settle))} ms  p95 ${fmt(percentile(sorted(settle), 95))} ms  (debounce ${300} ms included; ${fmt(editCpu)} ms server CPU per edit)`);
  console.log(`comment added inside it -> its finding published again  median ${fmt(median(comment))} ms  p95 ${fmt(percentile(sorted(comment), 95))} ms  (${COMMENT_EDITS} edits; ${fmt(commentCpu)} ms server CPU per edit, ${COMMENT_SETTLE_MS} ms after each included)`);
  console.log(`edit -> first diagnostics (typing path) median ${fmt(median(typing))} ms  p95 ${fmt(percentile(sorted(typing), 95))} ms with simulation checks`);
  console.log(`                                         median ${fmt(median(offTyping))} ms  p95 ${fmt(percentile(sorted(offTyping), 95))} ms without`);
}
