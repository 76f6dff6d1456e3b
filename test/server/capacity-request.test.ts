// kdry/capacity over stdio (the Dry-run view's Capacity part): the workloads sharing the file's
// scope (here its folder) placed together on the cluster in force, in the simulation worker; and
// kdry/simulate's `then` (the view's "Then" picker, `kdry simulate --then`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, LspClient } from './lsp-client';
import { container, deployment } from '../simulation-checks/manifests';
import type { CapacityResponse, SimulateResponse } from '../../server/src/protocol/requests';
import { podsAtStep } from '../../server/src/protocol/wire';

const cpu = (amount: string) => `        resources:\n          requests:\n            cpu: "${amount}"\n`;
const files: Record<string, string> = {
  'apps/api.yaml': deployment('api', container(cpu('2')), '', 3),
  'apps/web.yaml': deployment('web', container(cpu('1500m')), '', 3),
  'apps/worker.yaml': deployment('worker', container(cpu('2')), '', 3),
  'other/huge.yaml': deployment('huge', container(cpu('3')), '', 30),
};

let workspace: string;
let client: LspClient;
const uri = (name: string) => pathToFileURL(join(workspace, name)).href;

before(async () => {
  ensureBuilt();
  workspace = realpathSync(mkdtempSync(join(tmpdir(), 'kdry-capacity-request-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(workspace, name, '..'), { recursive: true });
    writeFileSync(join(workspace, name), text);
  }
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('the folder\'s three Deployments placed together: worker does not fit, other/ is not in scope', async () => {
  await client.open(uri('apps/api.yaml'), files['apps/api.yaml']);
  // The workspace scan reads the other files after initialized: ask until it has.
  let answer: CapacityResponse | undefined;
  for (let tries = 0; tries < 100; tries++) {
    answer = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/api.yaml') });
    if ((answer.report?.workloads.length ?? 0) >= 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(answer?.report, JSON.stringify(answer));
  assert.equal(answer.scope, 'the folder apps/');
  assert.deepEqual(answer.cluster, { source: 'the embedded default cluster', nodes: 4 });
  assert.deepEqual(answer.report.workloads.map((w) => [w.name, w.placed, w.pending]), [['api', 3, 0], ['web', 3, 0], ['worker', 0, 3]]);
  assert.match(answer.report.workloads[2].message!, /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
  assert.deepEqual(Object.values(answer.written).sort(), ['api.yaml', 'web.yaml', 'worker.yaml']);
  // The edited buffer counts, not the file on disk: one api replica fewer leaves room for one worker.
  await client.change(uri('apps/api.yaml'), deployment('api', container(cpu('2')), '', 2));
  const edited = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/api.yaml') });
  assert.deepEqual(edited.report!.workloads.map((w) => [w.name, w.placed, w.pending]), [['api', 2, 0], ['web', 3, 0], ['worker', 1, 2]]);
});

test('an Argo Rollout its bundled schema rejects is not placed: the response lists it with its errors', async () => {
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  replicas: 2
  progressDeadlineAbort: "yes"
  selector:
    matchLabels: { app: canary }
  template:
    metadata:
      labels: { app: canary }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
  await client.open(uri('solo/rollout.yaml'), rollout);
  const answer = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('solo/rollout.yaml') });
  assert.equal(answer.report, undefined, 'nothing else in its folder to place');
  assert.deepEqual(answer.refused, [{ kind: 'Rollout', name: 'canary', file: 'rollout.yaml', errors: ['spec.progressDeadlineAbort: the API server rejects this Rollout: spec.progressDeadlineAbort: Invalid value: "yes": spec.progressDeadlineAbort in body must be of type boolean: "string" (from kdry\'s bundled Argo Rollouts schema)'] }]);
});

test('kdry/capacity with extent workspace: every workload of the workspace placed together, named by their path in it', async () => {
  const answer = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/api.yaml'), extent: 'workspace' });
  assert.ok(answer.report, JSON.stringify(answer));
  assert.equal(answer.scope, 'the whole workspace');
  assert.equal(answer.extent, 'workspace');
  // Path order, as `kdry capacity DIR` reads the files: other/huge.yaml is outside apps/'s scope but in the workspace.
  assert.deepEqual(answer.report.workloads.map((w) => w.name), ['api', 'web', 'worker', 'huge']);
  assert.deepEqual(Object.values(answer.written), ['apps/api.yaml', 'apps/web.yaml', 'apps/worker.yaml', 'other/huge.yaml']);
  assert.ok(answer.report.workloads.find((w) => w.name === 'huge')!.pending > 0);
  // The Rollout opened by the test before is refused by its schema, named by its path too.
  assert.deepEqual(answer.refused?.map((r) => r.file), ['solo/rollout.yaml']);
  const bad = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/api.yaml'), extent: 'cluster' });
  assert.match(bad.error!, /params\.extent must be one of scope, workspace/);
});

test('the whole workspace is placed again only when the workspace changed: an edit is seen at the next request', async () => {
  const ask = () => client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/api.yaml'), extent: 'workspace' });
  const first = await ask();
  assert.deepEqual(await ask(), first, 'the kept answer for the same revision and cluster');
  await client.change(uri('apps/api.yaml'), deployment('api', container(cpu('2')), '', 1));
  const edited = await ask();
  assert.equal(edited.report!.workloads.find((w) => w.name === 'api')!.placed, 1);
  assert.notDeepEqual(edited.report, first.report);
});

test('kdry/capacity refuses malformed params with a message, and says when the file has no workload', async () => {
  const bad = await client.request<CapacityResponse>('kdry/capacity', { uri: 42 });
  assert.match(bad.error!, /^Invalid kdry\/capacity request: params\.uri must be a string\./);
  const none = await client.request<CapacityResponse>('kdry/capacity', { uri: uri('apps/missing.yaml') });
  assert.deepEqual(none, { written: {} });
});

test('kdry/simulate takes `then`: a scale at 30 s reaches the Deployment mid-run', async () => {
  const text = deployment('web', container(), '', 3);
  const answer = await client.request<SimulateResponse>('kdry/simulate', { uri: uri('apps/scaled.yaml'), text, then: [{ at: 30, replicas: 5 }] });
  assert.ok(answer.result, answer.error);
  const result = answer.result;
  const live = podsAtStep(result, result.steps.length - 1).filter((p) => !p.terminating);
  assert.equal(live.length, 5);
  assert.ok(result.steps.some((s) => s.events.some((e) => /Scaled up replica set web-\w+ from 3 to 5/.test(e.message))));
  const refused = await client.request<SimulateResponse>('kdry/simulate', { uri: uri('apps/scaled.yaml'), text, then: [{ replicas: 5 }] });
  assert.match(refused.error!, /params\.then\[0\]\.at is missing/);
});
