import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseViewMessage } from '../../client/webview/messages';
import { rolloutBounds } from '../../client/src/rolloutBounds';
import { parseWeights } from '../../client/src/canaryWeights';
import { applyChange, changeCandidates, nextImageTag } from '../../client/src/rolloutChanges';
import { workloadAt, workloadDocuments } from '../../client/src/workloadDocuments';
import { compactForView, EVENTS_PER_STEP } from '../../client/src/compactForView';

const MANIFEST = `# web tier
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
---
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

test('messages from the webview are accepted only in their exact shapes', () => {
  assert.deepEqual(parseViewMessage({ type: 'selectWorkload', kind: 'Deployment', name: 'web', extra: 1 }), { type: 'selectWorkload', kind: 'Deployment', name: 'web' });
  assert.deepEqual(parseViewMessage({ type: 'setFaults', faults: { neverReady: true, nodeNotReady: 'kind-worker' } }), { type: 'setFaults', faults: { neverReady: true, nodeNotReady: 'kind-worker' } });
  for (const bad of [null, 'ready', 42, { type: 'runCommand', command: 'rm' }, { type: 'selectWorkload', kind: 1, name: 'web' },
    { type: 'selectWorkload', kind: 'Deployment', name: 'x'.repeat(300) }, { type: 'setFaults', faults: { neverReady: 'yes', nodeNotReady: '' } },
    { type: 'rendered', seq: 1.5, renderMs: 3, renderedAt: 1 }, { type: 'rendered', seq: 1, renderMs: Infinity, renderedAt: 1 }, { type: 'rendered', seq: 1, renderMs: 3 }]) {
    assert.equal(parseViewMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('rollout bounds follow the Deployment controller rounding: surge up, unavailable down, never both 0', () => {
  const deployment = (rolling: unknown, replicas = 10) => ({ kind: 'Deployment', spec: { replicas, strategy: { rollingUpdate: rolling } } });
  assert.deepEqual(rolloutBounds(deployment({ maxSurge: '25%', maxUnavailable: '25%' }), 'manifest'), { desired: 10, maxSurge: 3, maxUnavailable: 2 });
  assert.deepEqual(rolloutBounds(deployment({}, 3), undefined), { desired: 3, maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(rolloutBounds(deployment({ maxSurge: 0, maxUnavailable: '10%' }, 3), 'manifest'), { desired: 3, maxSurge: 0, maxUnavailable: 1 });
  assert.equal(rolloutBounds(deployment({ maxSurge: 'lots' }), 'manifest'), undefined);
  assert.equal(rolloutBounds({ kind: 'Deployment', spec: { strategy: { type: 'Recreate' } } }, 'manifest'), undefined);
  assert.equal(rolloutBounds(deployment({}), 'canary'), undefined);
  assert.equal(rolloutBounds({ kind: 'StatefulSet', spec: {} }, 'manifest'), undefined);
});

test('canary weight plans must ascend to 100', () => {
  assert.deepEqual(parseWeights('10, 25,50%,100'), [10, 25, 50, 100]);
  for (const bad of ['', '10,5,100', '10,50', '0,100', '10,abc,100', '50,150']) assert.equal(parseWeights(bad), undefined, bad);
});

test('next image tag bumps the last number of the tag', () => {
  assert.equal(nextImageTag('nginx:1.27'), 'nginx:1.28');
  assert.equal(nextImageTag('registry:5000/app'), 'registry:5000/app:next');
  assert.equal(nextImageTag('busybox:latest'), 'busybox:next');
});

test('workload documents skip Services and locate the document under an offset', () => {
  const workloads = workloadDocuments(MANIFEST);
  assert.deepEqual(workloads.map((w) => `${w.kind}/${w.name}`), ['Deployment/web', 'CronJob/report']);
  assert.equal(MANIFEST.slice(workloads[0].start).split('\n')[0], 'apiVersion: apps/v1');
  assert.equal(workloadAt(workloads, MANIFEST.indexOf('busybox'))?.name, 'report');
  assert.equal(workloadAt(workloads, 0)?.name, 'web', 'outside any workload: the first');
  assert.deepEqual(workloadDocuments('not: [valid'), []);
});

test('a picked change edits only its own document', () => {
  const [deployment, cronJob] = workloadDocuments(MANIFEST);
  const items = changeCandidates(deployment);
  assert.deepEqual(items.map((i) => i.label), ['Replicas', 'Image tag of nginx', 'Env nginx/MODE']);
  const image = items[1];
  const after = applyChange(MANIFEST, deployment, image.path, 'nginx:1.28');
  const docs = after.split(/^---$/m).map((d) => parse(d));
  assert.equal(docs[1].spec.template.spec.containers[0].image, 'nginx:1.28');
  assert.equal(docs[1].spec.template.spec.containers[0].env[0].value, 'blue');
  assert.deepEqual(docs[0], parse(MANIFEST.split(/^---$/m)[0]));
  assert.deepEqual(docs[2], parse(MANIFEST.split(/^---$/m)[2]));
  assert.deepEqual(changeCandidates(cronJob).map((i) => i.label), ['Image tag of run']);
});

test('results for the view keep at most EVENTS_PER_STEP events a step and count the rest', () => {
  const events = Array.from({ length: 10_000 }, (_, i) => ({ time: 0, object: 'replicaset.apps/web-1', message: `Created pod: web-1-${i}`, type: 'Normal' as const }));
  const step = { index: 0, time: 0, events, pods: [], status: [], traffic: [] };
  const response = { workloads: [], result: { cluster: { source: 'x', nodes: [] }, steps: [step, { ...step, index: 1, events: events.slice(0, 3) }], summary: { durationSeconds: 0, peakPods: 0, minAvailable: 0, downtimeSeconds: 0, completed: true, conditions: [] }, problems: [], notes: [] } };
  const compact = compactForView(response);
  assert.equal(compact.result!.steps[0].events.length, EVENTS_PER_STEP);
  assert.match(compact.result!.steps[0].events.at(-1)!.message, new RegExp(`and ${10_000 - EVENTS_PER_STEP + 1} more events, last: replicaset.apps/web-1 Created pod: web-1-9999`));
  assert.equal(compact.result!.steps[1].events.length, 3);
  assert.equal(response.result.steps[0].events.length, 10_000, 'the original is untouched');
});
