// `npm run bench lsp`: the language server on generated multi-document files of 1, 10, 100 and
// 1000 Deployments (~40 lines each): didOpen -> publishDiagnostics, edit -> diagnostics (median and
// p95 over 20 single-line edits; an open is timed to its last publication) and peak RSS; then the same against yaml-language-server with
// the same Kubernetes Deployment schema kdry uses (written to a temporary file), and the ratio. Each size runs in a fresh server:
// one small file is opened, then the editor is idle for a second (as between opening a folder and
// opening a large file; kdry's start-up warm-up, lsp/warm-up.ts, runs then) before the timed open;
// "warm open" opens the same text again under a new URI. Then kdry opens 1000 documents with a
// finding in each, and 1000 documents right after start, with no idle second (its JIT still cold). Targets (kdry): 1000 documents open
// < 150 ms, edit p95 < 30 ms, RSS < 150 MB. Figures only; nothing here asserts a timing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, SERVER, messageOf } from '../../test/server/lsp-client';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { schemaCatalog } from '../../server/src/schema';
import { selfContainedSchema } from '../../server/src/schema/self-contained';
import { YAML_LS_VALIDATION_DELAY_MS, fmt, peakRssMb, percentile, startServer, timedOpen, type ServerName } from './harness/lsp-session';

const SIZES = [1, 10, 100, 1000];
/** Editor idle time between the first small file and the timed open. */
const IDLE_MS = 1000;
const EDITS = 20;
const DEPLOYMENT_SCHEMA = join(mkdtempSync(join(tmpdir(), 'kdry-bench-')), 'apps-v1-deployment.json');
writeFileSync(DEPLOYMENT_SCHEMA, JSON.stringify(selfContainedSchema(schemaCatalog(), 'apps/v1/Deployment')));

/** A ~40-line Deployment; document 0 carries one schema error both servers must report. */
export function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  labels:
    app: web-${i}
    tier: frontend
spec:
  replicas: ${i === 0 ? '"three"' : 3}
  minReadySeconds: 5
  selector:
    matchLabels:
      app: web-${i}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app: web-${i}
        tier: frontend
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        env:
        - name: MODE
          value: production
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
`;
}

interface Figures {
  openMs: number;
  /** Server CPU time (user + system) for the open: less sensitive to other load on the machine. */
  openCpuMs: number;
  /** The same size opened again under another URI (nothing cached), once the server's JIT is warm. */
  warmOpenMs: number;
  warmOpenCpuMs: number;
  editMedianMs: number;
  editP95Ms: number;
  rssMb: number;
  reportsError: boolean;
}

type Server = ServerName;

async function measure(server: Server, docs: number): Promise<Figures> {
  const client = await startServer(server, { schema: DEPLOYMENT_SCHEMA });
  try {
    // Warm-up: one small file first, so both servers have loaded their schema before timing.
    const warm = await client.open(`file:///bench/${server}-warm.yaml`, deployment(0));
    if (warm.length === 0) await client.nextDiagnostics(`file:///bench/${server}-warm.yaml`, (p) => p.diagnostics.length > 0, 5000).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const uri = `file:///bench/${server}-${docs}.yaml`;
    const parts = Array.from({ length: docs }, (_, i) => deployment(i));
    const text = parts.join('---\n');
    const pid = client.process.pid!;
    // kdry publishes a large file's first documents first (lsp/diagnostics.ts): the open is timed
    // to its last publication, the whole answer, and the error is looked for there.
    const opened = await timedOpen(client, uri, text);
    const openMs = opened.allMs;
    const openCpuMs = opened.allCpuMs;
    const reportsError = opened.published.some((d) => d.range.start.line === 8 && /three|type|integer/i.test(messageOf(d)));
    // single-line edits to the image of the middle document, alternating tags
    const target = Math.floor(docs / 2);
    const line = target * 41 + deployment(0).split('\n').findIndex((l) => l.includes('image: nginx'));
    const times: number[] = [];
    for (let e = 0; e < EDITS; e++) {
      const tag = e % 2 === 0 ? '1.28' : '1.27';
      const t = performance.now();
      await client.edit(uri, [{ range: { start: { line, character: 8 }, end: { line, character: 25 } }, text: `image: nginx:${tag}` }]);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const rssMb = peakRssMb(pid); // the open and the edits; the warm re-open below holds a second copy
    await client.close(uri);
    const again = await timedOpen(client, `${uri}-again.yaml`, text);
    const warmOpenMs = again.allMs;
    const warmOpenCpuMs = again.allCpuMs;
    return { openMs, openCpuMs, warmOpenMs, warmOpenCpuMs, editMedianMs: percentile(times, 50), editP95Ms: percentile(times, 95), rssMb, reportsError };
  } finally {
    await client.shutdown();
  }
}

/**
 * A fresh kdry server, the same one-document warm-up, `idleMs` of editor idle time (during which
 * the server's own start-up warm-up runs), then didOpen of `text` -> its diagnostics.
 */
async function freshOpen(name: string, text: string, idleMs = 0): Promise<{ ms: number; diagnostics: number }> {
  const client = new LspClient({ command: [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio'], configuration: (section) => (section === 'kdry' ? {} : null) });
  try {
    await client.initialize();
    await client.open(`file:///bench/${name}-warm.yaml`, deployment(0));
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const opened = await timedOpen(client, `file:///bench/${name}.yaml`, text);
    return { ms: opened.allMs, diagnostics: opened.allDiagnostics };
  } finally {
    await client.shutdown();
  }
}

export default async function run(): Promise<void> {
  const results: Record<Server, Figures[]> = { kdry: [], 'yaml-language-server': [] };
  for (const server of ['kdry', 'yaml-language-server'] as Server[]) {
    console.log(`\n${server}`);
    console.log('   docs  open ms  open CPU  warm open  warm CPU  edit p50  edit p95   RSS MB  reports the error');
    for (const docs of SIZES) {
      const f = await measure(server, docs);
      results[server].push(f);
      console.log(`${String(docs).padStart(7)}  ${fmt(f.openMs)}  ${fmt(f.openCpuMs)}  ${fmt(f.warmOpenMs).padStart(9)}  ${fmt(f.warmOpenCpuMs).padStart(8)}  ${fmt(f.editMedianMs)}  ${fmt(f.editP95Ms)}  ${fmt(f.rssMb)}  ${f.reportsError ? 'yes' : 'NO: timing not comparable'}`);
    }
  }
  // yaml-language-server waits a fixed validationDelayMs (200 ms, yamlSettings.js) after every open
  // and change before it validates; the second table takes that wait out so the work is compared.
  for (const delay of [0, YAML_LS_VALIDATION_DELAY_MS]) {
    console.log(delay === 0
      ? '\nratio yaml-language-server / kdry (same run; > 1 means kdry is faster or leaner)'
      : `\nthe same without yaml-language-server's fixed ${delay} ms validation delay`);
    console.log('   docs     open  open CPU  warm open  edit p50  edit p95      RSS');
    SIZES.forEach((docs, i) => {
      const k = results.kdry[i];
      const y = results['yaml-language-server'][i];
      const r = (a: number, b: number) => `${(a / b).toFixed(1)}x`.padStart(8);
      const w = (ms: number) => Math.max(1, ms - delay);
      const note = y.reportsError ? '' : '  (yaml-language-server missed the error: not comparable)';
      console.log(`${String(docs).padStart(7)} ${r(w(y.openMs), k.openMs)}  ${y.openCpuMs < 10 || k.openCpuMs < 10 ? '    <tick' : r(y.openCpuMs, k.openCpuMs)}  ${r(w(y.warmOpenMs), k.warmOpenMs).padStart(9)}  ${r(w(y.editMedianMs), k.editMedianMs)}  ${r(w(y.editP95Ms), k.editP95Ms)}  ${r(y.rssMb, k.rssMb)}${note}`);
    });
  }
  const withFindings = Array.from({ length: 1000 }, (_, i) => deployment(i + 1).replace('image: nginx:1.27', 'image: nginx')).join('---\n');
  const findings = await freshOpen('findings', withFindings, IDLE_MS);
  if (findings.diagnostics !== 1000) throw new Error(`expected 1000 findings, got ${findings.diagnostics}`);
  console.log(`\nkdry, 1000 documents with a finding in each (an untagged image): open ${fmt(findings.ms)} ms`);
  const cold = await freshOpen('cold', Array.from({ length: 1000 }, (_, i) => deployment(i)).join('---\n'));
  console.log(`kdry, 1000 documents opened right after start (no idle second, JIT cold): open ${fmt(cold.ms)} ms`);
  const big = results.kdry[SIZES.indexOf(1000)];
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  console.log(`\ntargets (kdry, 1000 docs): open < 150 ms ${ok(big.openMs < 150)} (right after start ${ok(cold.ms < 150)}, warm ${ok(big.warmOpenMs < 150)}); edit p95 < 30 ms ${ok(Math.max(...results.kdry.map((f) => f.editP95Ms)) < 30)}; RSS < 150 MB ${ok(Math.max(...results.kdry.map((f) => f.rssMb)) < 150)}`);
}
