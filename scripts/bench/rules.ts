// The semantic rules alone over generated workspaces: every rule on files of 1, 10, 100 and 1000
// documents (a Deployment + Service pair per two documents, so the cross-document rules compare
// every Service with every pod template), and the seed's misplaced rollout block with its fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../server/src/findings';
import { parseManifest, type ManifestFile } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { ALL_RULES, runRules } from '../../server/src/rules';
import { kubernetesTarget } from '../../server/src/schema';

function pair(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: 3
  strategy:
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}, tier: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports: [{port: 80, targetPort: http}]
`;
}

/** Every rule on every document, through the dispatcher check.ts uses (no YAML or schema findings). */
function rulesOnFile(file: ManifestFile, workspace: WorkspaceIndex): Finding[] {
  const kubernetes = kubernetesTarget()!;
  return file.documents.flatMap((doc) => runRules({ file, doc, workspace, kubernetes }, ALL_RULES));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export default async function run(): Promise<void> {
  for (const docs of [1, 10, 100, 1000]) {
    const text = Array.from({ length: Math.max(1, docs / 2) }, (_, i) => pair(i)).join('---\n');
    const file = parseManifest(text, 'file:///bench.yaml');
    const workspace = new WorkspaceIndex();
    workspace.set(file);
    let findings = 0;
    const ms = time(() => (findings = rulesOnFile(file, workspace).length), docs >= 1000 ? 5 : 20);
    console.log(`${String(file.documents.length).padStart(5)} documents: all ${ALL_RULES.length} rules ${ms.toFixed(1)} ms (median), ${findings} findings`);
  }
  const seed = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'seed', 'deployment-rolling-update.seed.yaml'), 'utf8');
  const file = parseManifest(seed);
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  const ms = time(() => rulesOnFile(file, workspace), 50);
  console.log(`seed rollout block: findings + verified re-indent fix ${ms.toFixed(2)} ms (median)`);
}
