// The client's view of a file comes from the server: CodeLenses, kdry/workloads (bounds, change
// candidates), kdry/applyChange and the bounds in kdry/simulate, over stdio against the bundled server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CodeLens } from 'vscode-languageserver-protocol';
import {
  ApplyChangeRequest,
  SimulateRequest,
  WorkloadsRequest,
  type ApplyChangeResponse,
  type SimulateResponse,
  type WorkloadsResponse,
} from '../../server/src/protocol/requests';
import { podsAtStep, type SimulationResult } from '../../server/src/protocol/wire';
import { ensureBuilt, LspClient, REPO } from './lsp-client';
import { rolloutCrdWithRule } from '../fixtures/rollout-crd';

const MANIFEST = `# web tier
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
---
# the Deployment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 10
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          env:
            - name: MODE
              value: blue
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: run
              image: busybox
`;

let client: LspClient;
let n = 0;
const uri = (name: string) => `untitled:${n++}-${name}`;
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;

before(async () => {
  ensureBuilt();
  client = new LspClient();
  const init = await client.initialize();
  assert.ok(init.capabilities.codeLensProvider, 'the server offers CodeLenses');
});
after(async () => {
  await client.shutdown();
});

async function lenses(name: string, text: string): Promise<CodeLens[]> {
  const u = uri(name);
  await client.open(u, text);
  return client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
}

test('CodeLenses sit on the first key line of each workload, with the workload as the command argument', async () => {
  const u = `untitled:${n}-multi.yaml`;
  const found = await lenses('multi.yaml', MANIFEST);
  const deploymentLine = lineOf(MANIFEST, 'apiVersion: apps/v1');
  const cronJobLine = lineOf(MANIFEST, 'apiVersion: batch/v1');
  assert.deepEqual(found.map((l) => `${l.command?.title}@${l.range.start.line}:${l.range.start.character}`), [
    `Dry-run@${deploymentLine}:0`, `Simulate rollout@${deploymentLine}:0`, `selected by Service web@${deploymentLine}:0`, `Dry-run@${cronJobLine}:0`, `Simulate rollout@${cronJobLine}:0`,
  ]);
  assert.deepEqual(found.map((l) => l.command?.command), ['kdry.dryRun', 'kdry.simulateRollout', 'kdry.openObject', 'kdry.dryRun', 'kdry.simulateRollout']);
  assert.deepEqual(found[1].command?.arguments, [{ uri: u, workload: { kind: 'Deployment', name: 'web' }, offset: MANIFEST.indexOf('apiVersion: apps/v1') }]);
  assert.deepEqual(found[3].command?.arguments?.[0].workload, { kind: 'CronJob', name: 'report' });
});

test('no CodeLens for a Service, a workload without a name or YAML that is not Kubernetes', async () => {
  for (const text of [MANIFEST.split('---')[0], 'apiVersion: apps/v1\nkind: Deployment\nspec: {}\n', 'name: my-app\nversion: 1.2.3\n', 'not: [valid', '']) {
    assert.deepEqual(await lenses('other.yaml', text), [], JSON.stringify(text));
  }
});

test('kdry/workloads describes each workload: offsets, replicas, strategy, resolved bounds, containers and changes', async () => {
  const answer = await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, { uri: uri('w.yaml'), text: MANIFEST });
  const [deployment, cronJob] = answer.workloads;
  assert.equal(answer.workloads.length, 2);
  assert.equal(MANIFEST.slice(deployment.offset).split('\n')[0], 'apiVersion: apps/v1');
  assert.ok(deployment.range[0] <= deployment.offset && deployment.range[1] < MANIFEST.indexOf('kind: CronJob'));
  assert.equal(deployment.replicas, 10);
  assert.equal(deployment.strategy, 'RollingUpdate');
  // 25% of 10: surge rounds up to 3, unavailable down to 2 (ResolveFenceposts)
  assert.deepEqual(deployment.bounds, { desired: 10, maxSurge: 3, maxUnavailable: 2 });
  assert.deepEqual(deployment.containers, [{ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'blue' }] }]);
  assert.deepEqual(deployment.changes.map((c) => `${c.label}=${c.current}`), ['Replicas=10', 'Image tag of nginx=nginx:1.27', 'Env nginx/MODE=blue']);
  assert.equal(cronJob.kind, 'CronJob');
  assert.equal(cronJob.replicas, undefined);
  assert.equal(cronJob.bounds, undefined);
  assert.deepEqual(cronJob.changes.map((c) => c.label), ['Image tag of run']);
  assert.deepEqual((await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, { uri: uri('none.yaml'), text: 'a: [' })).workloads, []);
  assert.deepEqual((await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, null)).workloads, [], 'bad params answer with nothing');
});

test('resolved bounds follow the Deployment controller: unset is 25%, never both 0, none for Recreate or a bad value', async () => {
  const deployment = (strategy: string, replicas = 3) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${replicas}\n  strategy:\n${strategy}\n`;
  const bounds = async (text: string) => (await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, { uri: uri('b.yaml'), text })).workloads[0]?.bounds;
  assert.deepEqual(await bounds(deployment('    type: RollingUpdate')), { desired: 3, maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(await bounds(deployment('    rollingUpdate: { maxSurge: 0, maxUnavailable: 10% }')), { desired: 3, maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(await bounds(deployment('    rollingUpdate: { maxSurge: 2, maxUnavailable: 5 }')), { desired: 3, maxSurge: 2, maxUnavailable: 3 });
  assert.equal(await bounds(deployment('    rollingUpdate: { maxSurge: lots }')), undefined);
  assert.equal(await bounds(deployment('    type: Recreate')), undefined);
});

test('kdry/applyChange edits only the picked field of the picked workload', async () => {
  const u = uri('c.yaml');
  const { workloads } = await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, { uri: u, text: MANIFEST });
  const image = workloads[0].changes[1];
  const answer = await client.connection.sendRequest<ApplyChangeResponse>(ApplyChangeRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'web' }, path: image.path, value: 'nginx:1.28' });
  assert.ok(answer.text, answer.error);
  const docs = answer.text.split(/^---$/m).map((d) => parse(d));
  const before = MANIFEST.split(/^---$/m).map((d) => parse(d));
  assert.equal(docs[1].spec.template.spec.containers[0].image, 'nginx:1.28');
  assert.deepEqual({ ...docs[1], spec: { ...docs[1].spec, template: undefined } }, { ...before[1], spec: { ...before[1].spec, template: undefined } });
  assert.deepEqual([docs[0], docs[2]], [before[0], before[2]]);
  assert.ok(answer.text.includes('# the Deployment'), 'comments stay');
  const replicas = await client.connection.sendRequest<ApplyChangeResponse>(ApplyChangeRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'web' }, path: ['spec', 'replicas'], value: 4 });
  assert.equal(parse(replicas.text!.split(/^---$/m)[1]).spec.replicas, 4);
  const missing = await client.connection.sendRequest<ApplyChangeResponse>(ApplyChangeRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'api' }, path: ['spec', 'replicas'], value: 4 });
  assert.match(missing.error ?? '', /No Deployment named api/);
  const bad = await client.connection.sendRequest<ApplyChangeResponse>(ApplyChangeRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'web' }, path: [{}], value: 4 });
  assert.ok(bad.error && !bad.text);
});

test('kdry/simulate returns the bounds for the manifest strategy, none for a traffic pattern', async () => {
  const u = uri('s.yaml');
  const rolling = await client.connection.sendRequest<SimulateResponse>(SimulateRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'web' } });
  assert.deepEqual(rolling.bounds, { desired: 10, maxSurge: 3, maxUnavailable: 2 });
  const canary = await client.connection.sendRequest<SimulateResponse>(SimulateRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'Deployment', name: 'web' }, strategy: 'canary', strategyParams: { canaryWeights: [50, 100] } });
  assert.equal(canary.bounds, undefined);
  const cronJob = await client.connection.sendRequest<SimulateResponse>(SimulateRequest.method, { uri: u, text: MANIFEST, workload: { kind: 'CronJob', name: 'report' } });
  assert.equal(cronJob.bounds, undefined);
});

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 4
  strategy:
    canary:
      steps:
        - setWeight: 50
        - pause: { duration: 10 }
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n';

test('a file whose only workload is an Argo Rollout or a bare Pod is dry-run in the editor as by `kdry simulate`', async () => {
  for (const [text, kind, name, pods] of [[ROLLOUT, 'Rollout', 'web', 4], [POD, 'Pod', 'debug', 1]] as const) {
    const u = uri(`${kind}.yaml`);
    const answer = await client.connection.sendRequest<SimulateResponse>(SimulateRequest.method, { uri: u, text });
    assert.equal(answer.error, undefined, kind);
    assert.deepEqual(answer.workloads.map((w) => `${w.kind}/${w.name}`), [`${kind}/${name}`]);
    assert.deepEqual(answer.result?.workload, { kind, name });
    assert.deepEqual(answer.result?.problems, []);
    const file = join(mkdtempSync(join(tmpdir(), 'kdry-workload-')), `${kind}.yaml`);
    writeFileSync(file, text);
    const cli = JSON.parse(execFileSync(process.execPath, ['dist/cli.js', 'simulate', file, '--format', 'json'], { cwd: REPO, encoding: 'utf8' }));
    // The CLI writes pods as changes per step (docs/cli.md): compare what each step decodes to.
    const withoutPods = (r: SimulationResult) => ({ ...r, steps: r.steps.map(({ pods: _p, podsDelta: _d, removedPods: _r, ...rest }) => rest) });
    assert.deepEqual(withoutPods(answer.result!), withoutPods(cli), `${kind}: the editor and the CLI simulate the same workload alike`);
    for (let i = 0; i < cli.steps.length; i++) assert.deepEqual(podsAtStep(answer.result!, i), podsAtStep(cli, i), `${kind}: pods at step ${i}`);
    assert.equal(podsAtStep(answer.result!, answer.result!.steps.length - 1).filter((p) => !p.terminating).length, pods);
    const found = await lenses(`${kind}-lens.yaml`, text);
    const runs = found.filter((l) => l.command?.title === 'Dry-run' || l.command?.title === 'Simulate rollout');
    assert.deepEqual(runs.map((l) => l.command?.arguments?.[0].workload), [{ kind, name }, { kind, name }], 'its CodeLenses');
    // what acts on it follows (a Service of another file of this workspace selects a Rollout's pods by app=web)
    for (const l of found.filter((x) => !runs.includes(x))) assert.match(l.command?.title ?? '', /^(selected|scaled|protected) by /, l.command?.title);
  }
  const described = await client.connection.sendRequest<WorkloadsResponse>(WorkloadsRequest.method, { uri: uri('pod-w.yaml'), text: POD });
  assert.deepEqual(described.workloads[0].changes.map((c) => `${c.label}@${c.path.join('.')}`), ['Image tag of shell@spec.containers.0.image']);
});

test('an Argo Rollout its schema rejects is refused by the Dry-run and `kdry simulate`, as a rejected Deployment is, with the errors', async () => {
  // Fields the engine does not read itself: only the schema knows they are wrong.
  const bad = ROLLOUT.replace('replicas: 4', 'replicas: 4\n  progressDeadlineAbort: "yes"').replace('- setWeight: 50', '- setWeigth: 50');
  const expected = [
    { path: 'spec.progressDeadlineAbort', message: 'the API server rejects this Rollout: spec.progressDeadlineAbort: Invalid value: "yes": spec.progressDeadlineAbort in body must be of type boolean: "string" (from kdry\'s bundled Argo Rollouts schema)' },
    { path: 'spec.strategy.canary.steps[0].setWeigth', message: 'the API server rejects this Rollout: strict decoding error: unknown field "spec.strategy.canary.steps[0].setWeigth" (from kdry\'s bundled Argo Rollouts schema)' },
  ];
  const answer = await client.connection.sendRequest<SimulateResponse>(SimulateRequest.method, { uri: uri('bad-rollout.yaml'), text: bad });
  assert.deepEqual(answer.result?.problems, expected, JSON.stringify(answer.result?.problems));
  assert.equal(answer.result?.steps.length, 0, 'nothing is simulated');
  const dir = mkdtempSync(join(tmpdir(), 'kdry-rollout-'));
  writeFileSync(join(dir, 'rollout.yaml'), bad);
  const cli = spawnSync(process.execPath, ['dist/cli.js', 'simulate', join(dir, 'rollout.yaml'), '--format', 'json'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout).problems, expected);
  const text = spawnSync(process.execPath, ['dist/cli.js', 'simulate', join(dir, 'rollout.yaml')], { cwd: REPO, encoding: 'utf8' });
  assert.match(text.stdout, /spec\.progressDeadlineAbort: the API server rejects this Rollout: spec\.progressDeadlineAbort: Invalid value: "yes"/);
});

test('the Rollout CRD beside the file, or from --crds, judges the Rollout before `kdry simulate` runs it (a workspace CRD wins)', async () => {
  // The bundled schema accepts 4 replicas; this CRD caps them with a CEL rule.
  const crd = rolloutCrdWithRule('self.?replicas.orValue(1) <= 3', 'at most 3 replicas in this cluster');
  const dir = mkdtempSync(join(tmpdir(), 'kdry-rollout-crd-'));
  writeFileSync(join(dir, 'rollout.yaml'), ROLLOUT);
  const elsewhere = mkdtempSync(join(tmpdir(), 'kdry-crds-'));
  writeFileSync(join(elsewhere, 'rollouts.yaml'), crd);
  const run = (...extra: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'simulate', join(dir, 'rollout.yaml'), '--format', 'json', ...extra], { cwd: REPO, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(run().stdout).problems, [], 'the bundled schema accepts it');
  const viaOption = run('--crds', elsewhere);
  assert.equal(viaOption.status, 1, viaOption.stderr);
  const refusal = /the API server rejects this Rollout: spec\.replicas: Invalid value: "object": at most 3 replicas in this cluster \(schema from the CRD in `[^`]+\/rollouts\.yaml`\)/;
  assert.match(JSON.parse(viaOption.stdout).problems[0].message, refusal);
  // `crds:` in .kdry/config.yaml, relative to the folder holding .kdry/, as kdry check reads it (the config found from the working directory).
  const project = mkdtempSync(join(tmpdir(), 'kdry-rollout-config-'));
  mkdirSync(join(project, '.kdry'));
  mkdirSync(join(project, 'vendor'));
  writeFileSync(join(project, 'vendor', 'rollouts.yaml'), crd);
  writeFileSync(join(project, '.kdry', 'config.yaml'), 'crds:\n  - vendor\n');
  const viaConfig = spawnSync(process.execPath, [join(REPO, 'dist/cli.js'), 'simulate', join(dir, 'rollout.yaml'), '--format', 'json'], { cwd: project, encoding: 'utf8' });
  assert.equal(viaConfig.status, 1, viaConfig.stderr);
  assert.match(JSON.parse(viaConfig.stdout).problems[0].message, /at most 3 replicas in this cluster \(schema from the CRD in `vendor\/rollouts\.yaml`\)/);
  writeFileSync(join(dir, 'rollouts-crd.yaml'), crd);
  assert.match(JSON.parse(run().stdout).problems[0].message, /at most 3 replicas in this cluster \(schema from the CRD in `[^`]+\/rollouts-crd\.yaml`\)/);
});

test('`kdry simulate` judges the Rollout with the CEL settings of the release simulated (optionalOldSelf needs CRDValidationRatcheting, 1.30+)', async () => {
  // On a create oldSelf is absent: with ratcheting the rule runs and refuses 4 replicas; before 1.30
  // the API server drops optionalOldSelf, so the rule is a transition rule, not run on a create.
  const crd = rolloutCrdWithRule('oldSelf.hasValue() || self.?replicas.orValue(1) <= 3', 'at most 3 replicas for a new Rollout', true);
  const dir = mkdtempSync(join(tmpdir(), 'kdry-rollout-ratcheting-'));
  writeFileSync(join(dir, 'rollout.yaml'), ROLLOUT);
  writeFileSync(join(dir, 'rollouts-crd.yaml'), crd);
  const run = (version: string) => spawnSync(process.execPath, ['dist/cli.js', 'simulate', join(dir, 'rollout.yaml'), '--format', 'json', '--kubernetes-version', version], { cwd: REPO, encoding: 'utf8' });
  const newer = run('1.35');
  assert.equal(newer.status, 1, newer.stderr);
  assert.match(JSON.parse(newer.stdout).problems[0].message, /at most 3 replicas for a new Rollout \(schema from the CRD in `[^`]+\/rollouts-crd\.yaml`\)/);
  const older = run('1.29');
  assert.deepEqual(JSON.parse(older.stdout).problems, [], older.stderr);
});
