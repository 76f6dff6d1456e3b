import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FAULTS, parseViewMessage } from '../../client/webview/messages';
import { parseWeights } from '../../client/src/canary-weights';
import { nextImageTag } from '../../client/src/image-tag';
import { workloadAt } from '../../client/src/server-requests';
import { compactForView, EVENTS_PER_STEP } from '../../client/src/compact-for-view';

test('messages from the webview are accepted only in their exact shapes', () => {
  assert.deepEqual(parseViewMessage({ type: 'selectWorkload', kind: 'Deployment', name: 'web', extra: 1 }), { type: 'selectWorkload', kind: 'Deployment', name: 'web' });
  assert.deepEqual(parseViewMessage({ type: 'setFaults', faults: { ...NO_FAULTS, neverReady: true, nodeNotReady: 'kind-worker' } }), { type: 'setFaults', faults: { ...NO_FAULTS, neverReady: true, nodeNotReady: 'kind-worker' } });
  assert.deepEqual(parseViewMessage({ type: 'painted', seq: 3, paintedAt: 1700000000000, extra: 1 }), { type: 'painted', seq: 3, paintedAt: 1700000000000 });
  for (const bad of [null, 'ready', 42, { type: 'runCommand', command: 'rm' }, { type: 'selectWorkload', kind: 1, name: 'web' },
    { type: 'selectWorkload', kind: 'Deployment', name: 'x'.repeat(300) }, { type: 'setFaults', faults: { ...NO_FAULTS, neverReady: 'yes' } },
    { type: 'rendered', seq: 1.5, renderMs: 3, renderedAt: 1 }, { type: 'rendered', seq: 1, renderMs: Infinity, renderedAt: 1 }, { type: 'rendered', seq: 1, renderMs: 3 },
    { type: 'painted', seq: 1 }, { type: 'painted', seq: -0.5, paintedAt: 1 }, { type: 'painted', seq: 1, paintedAt: NaN }]) {
    assert.equal(parseViewMessage(bad), undefined, JSON.stringify(bad));
  }
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

test('the workload under an offset is the one whose document contains it, else the first', () => {
  const workloads = [{ name: 'web', range: [10, 50] as [number, number] }, { name: 'report', range: [51, 90] as [number, number] }];
  assert.equal(workloadAt(workloads, 60)?.name, 'report');
  assert.equal(workloadAt(workloads, 50)?.name, 'web');
  assert.equal(workloadAt(workloads, 0)?.name, 'web', 'outside any workload: the first');
  assert.equal(workloadAt([], 5), undefined);
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
