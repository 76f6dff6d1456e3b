import { test, beforeEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installDom } from './dom-shim';
import { createPanel, PLAY_INTERVAL_MS, type Panel } from '../../client/webview/panel';
import { POD_PAGE_SIZE } from '../../client/webview/pods-table';
import { CHIPS_PER_NODE } from '../../client/webview/node-placement';
import { NO_FAULTS, type FromViewMessage, type ResultMessage } from '../../client/webview/messages';
import type { SimulateResponse } from '../../server/src/protocol/requests';
import { podsAtStep, type PodSnapshot } from '../../server/src/protocol/wire';

const fixture = (name: string): SimulateResponse => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

let root: HTMLElement;
const domEvent = function (this: unknown, type: string) {
  return new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event(type);
} as unknown as typeof Event;
let posted: FromViewMessage[];
let panel: Panel;

beforeEach(() => {
  root = installDom().root;
  posted = [];
  panel = createPanel(root, (m) => posted.push(m));
});

function resultMessage(response: SimulateResponse, seq = 1, extra: Partial<ResultMessage> = {}): ResultMessage {
  return { type: 'result', seq, file: 'web.yaml', mode: 'dry-run', response, faults: NO_FAULTS, requestMs: 12, ...extra };
}

const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;
const $$ = (selector: string) => Array.from(root.querySelectorAll(selector)) as HTMLElement[];

test('renders the settled step of a 3-replica RollingUpdate: pods, nodes, chart with bounds, steps, traffic, status', () => {
  const response = fixture('rolling-3.response.json');
  panel.receive(resultMessage(response, 1, { bounds: { desired: 3, maxSurge: 1, maxUnavailable: 0 } }));
  const last = response.result!.steps.length - 1;
  assert.equal(panel.step, last);
  assert.equal($$('table.pods tbody tr').length, 3);
  assert.ok($$('table.pods tbody td').some((td) => td.textContent === 'web-7c9d8b6f5d-q8r5n'));
  assert.deepEqual($$('.node .node-name').map((n) => n.textContent), ['kind-control-plane', 'kind-worker', 'kind-worker2']);
  assert.equal($$('.node .chip.pod').length, 3);
  assert.equal($$('.node .bar').length, 6, 'cpu and memory bars per node from cluster.nodeDetails');
  assert.equal($$('svg.timeline-chart polyline').length, 5);
  assert.equal($$('svg.timeline-chart line.bound').length, 2);
  assert.ok($$('svg.timeline-chart text').some((t) => t.textContent === 'max 4 (surge 1)'));
  assert.ok($$('.steps .events').some((e) => e.textContent?.includes('Scaled up replica set web-7c9d8b6f5d from 0 to 1')));
  assert.ok($('table.status')?.textContent?.includes('deployment.apps/web'));
  assert.ok($('.traffic')?.textContent?.includes('100%'));
  assert.match($('#summary')!.textContent!, /Peak pods5/);
  assert.deepEqual($$('#workload option').map((o) => o.textContent), ['Deployment/web', 'StatefulSet/db']);
  const ack = posted.at(-1) as Extract<FromViewMessage, { type: 'rendered' }>;
  assert.equal(ack.type, 'rendered');
  assert.equal(ack.seq, 1);
  assert.ok(ack.renderMs >= 0 && Math.abs(ack.renderedAt - Date.now()) < 60_000);
});

test('the panel says `painted` once the frame with a result was painted, for that result only', () => {
  const frames: (() => void)[] = [];
  const painted: FromViewMessage[] = [];
  const framed = createPanel(root, (m) => painted.push(m), (done) => frames.push(done));
  const response = fixture('rolling-3.response.json');
  framed.receive(resultMessage(response, 4));
  assert.deepEqual(painted.map((m) => m.type), ['rendered'], 'drawn, not yet painted');
  framed.receive({ type: 'busy' });
  assert.equal(frames.length, 1, 'a busy mark draws no result');
  frames[0]();
  const mark = painted.at(-1) as Extract<FromViewMessage, { type: 'painted' }>;
  assert.equal(mark.type, 'painted');
  assert.equal(mark.seq, 4);
  assert.ok(mark.paintedAt >= (painted[0] as Extract<FromViewMessage, { type: 'rendered' }>).renderedAt);
});

test('the slider goes back in time: a Pending pod shows in the Pending lane with its reason', () => {
  panel.receive(resultMessage(fixture('rolling-3.response.json')));
  const slider = $('#step-slider') as HTMLInputElement;
  slider.value = '1';
  slider.dispatchEvent(new domEvent('input'));
  assert.equal(panel.step, 1);
  assert.equal($$('table.pods tbody tr').length, 4);
  assert.match($('.pending-lane')!.textContent!, /Pending \(1\)waiting for the scheduler/);
  assert.match($('.step-label')!.textContent!, /Step 2 of 7/);
});

test('a step button selects that step', () => {
  panel.receive(resultMessage(fixture('rolling-3.response.json')));
  ($$('button.step').find((b) => b.dataset.step === '3') as HTMLButtonElement).click();
  assert.equal(panel.step, 3);
  assert.equal($('button.step[aria-current]')?.dataset.step, '3');
  assert.equal($$('table.pods tr.terminating').length, 1);
});

test('an answer to an older edit is dropped', () => {
  const response = fixture('rolling-3.response.json');
  panel.receive(resultMessage(response, 5));
  const other = structuredClone(response);
  other.result!.steps = other.result!.steps.slice(0, 2);
  panel.receive(resultMessage(other, 3));
  assert.match($('.step-label')!.textContent!, /of 7/);
  assert.equal(posted.filter((m) => m.type === 'rendered').length, 1);
});

test('manifest strings with HTML and script payloads render as inert text', () => {
  panel.receive(resultMessage(fixture('xss.response.json')));
  assert.equal(root.querySelectorAll('img, script, iframe').length, 0);
  assert.equal(Array.from(root.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length, 0);
  const text = root.textContent ?? '';
  assert.ok(text.includes('<img src=x onerror=alert(1)>'));
  assert.ok(text.includes('</script><script>alert(2)</script>'));
});

test('10,000 pods: a per-revision summary and one page of rows, chips capped per node', () => {
  const response = fixture('rolling-3.response.json');
  const template = podsAtStep(response.result!, response.result!.steps.length - 1)[0];
  const pods: PodSnapshot[] = Array.from({ length: 10_000 }, (_, i) => ({ ...template, name: `web-${i}`, node: `kind-worker${i % 2 ? '2' : ''}` }));
  response.result!.steps.splice(-1, 1, { ...response.result!.steps.at(-1)!, pods, podsDelta: undefined, removedPods: undefined });
  panel.receive(resultMessage(response));
  assert.equal($$('table.pods tbody tr').length, POD_PAGE_SIZE);
  assert.equal($('table.pod-summary tbody td.num')?.textContent, '10000');
  assert.equal($$('.node .chip.pod').length, 2 * CHIPS_PER_NODE);
  ($('.pager button[aria-label="Next pods"]') as HTMLButtonElement).click();
  assert.equal($$('table.pods tbody td.mono')[0].textContent, `web-${POD_PAGE_SIZE}`);
});

test('controls post validated intents: workload choice, faults, rollout', () => {
  panel.receive(resultMessage(fixture('rolling-3.response.json')));
  const select = $('#workload') as HTMLSelectElement;
  for (const option of $$('#workload option')) option.toggleAttribute('selected', option.getAttribute('value') === 'StatefulSet/db');
  select.dispatchEvent(new domEvent('change'));
  const never = $('#fault-never-ready') as HTMLInputElement;
  never.checked = true;
  never.dispatchEvent(new domEvent('change'));
  ($('#simulate-rollout') as HTMLButtonElement).click();
  assert.deepEqual(posted.filter((m) => m.type !== 'rendered'), [
    { type: 'selectWorkload', kind: 'StatefulSet', name: 'db' },
    { type: 'setFaults', faults: { ...NO_FAULTS, neverReady: true } },
    { type: 'simulateRollout' },
  ]);
});

test('play advances one step per interval and pauses at the end', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    panel.receive(resultMessage(fixture('rolling-3.response.json')));
    const play = $('#play') as HTMLButtonElement;
    play.click(); // at the last step: restarts from the first
    assert.equal(panel.step, 0);
    assert.equal(play.getAttribute('aria-pressed'), 'true');
    mock.timers.tick(PLAY_INTERVAL_MS * 2);
    assert.equal(panel.step, 2);
    mock.timers.tick(PLAY_INTERVAL_MS * 10);
    assert.equal(panel.step, 6);
    assert.equal(play.getAttribute('aria-pressed'), 'false');
  } finally {
    mock.timers.reset();
  }
});

test('an error response renders its message and no step view', () => {
  panel.receive(resultMessage({ workloads: [], error: 'Could not parse the file' }));
  assert.equal($('#messages .error')?.textContent, 'Could not parse the file');
  assert.equal(($('.step-controls') as HTMLElement).hidden, true);
});

/** The same timeline as the engine writes it for large runs: full first step, then only changes. */
function toDeltaSteps(response: SimulateResponse): SimulateResponse {
  const copy = structuredClone(response);
  const steps = copy.result!.steps;
  for (let i = steps.length - 1; i > 0; i--) {
    const before = new Map(response.result!.steps[i - 1].pods.map((p) => [p.name, JSON.stringify(p)]));
    const now = response.result!.steps[i].pods;
    steps[i].pods = now.filter((p) => before.get(p.name) !== JSON.stringify(p));
    steps[i].podsDelta = true;
    steps[i].removedPods = [...before.keys()].filter((name) => !now.some((p) => p.name === name));
  }
  return copy;
}

test('delta steps (large runs) render the same pods and chart as full steps', () => {
  const full = fixture('rolling-3.response.json');
  const snapshot = () => ({
    rows: $$('table.pods tbody tr').map((r) => r.textContent),
    chart: $$('svg.timeline-chart polyline').map((p) => p.getAttribute('points')),
    pending: $('.pending-lane')?.textContent ?? '',
  });
  const seen: ReturnType<typeof snapshot>[][] = [];
  for (const response of [full, toDeltaSteps(full)]) {
    panel.receive(resultMessage(response, seen.length + 1));
    const perStep: ReturnType<typeof snapshot>[] = [];
    for (let i = 0; i < response.result!.steps.length; i++) {
      ($$('button.step').find((b) => b.dataset.step === String(i)) as HTMLButtonElement).click();
      perStep.push(snapshot());
    }
    seen.push(perStep);
  }
  assert.ok(toDeltaSteps(full).result!.steps.slice(1).some((s) => (s.removedPods ?? []).length > 0), 'the delta version removes pods');
  assert.deepEqual(seen[1], seen[0]);
});

test('a node is marked NotReady from its status event onwards; a DaemonSet says why a node has no pod', () => {
  const response = fixture('rolling-3.response.json');
  response.result!.steps[3].events.push({ time: 6, object: 'node/kind-worker', message: 'Node kind-worker status is now: NodeNotReady', type: 'Normal' });
  panel.receive(resultMessage(response));
  const downAt = (step: number) => {
    ($$('button.step').find((b) => b.dataset.step === String(step)) as HTMLButtonElement).click();
    return $$('.node.node-down .node-name').map((n) => n.firstChild?.textContent);
  };
  assert.deepEqual(downAt(2), []);
  assert.deepEqual(downAt(3), ['kind-worker']);
  assert.deepEqual(downAt(6), ['kind-worker']);
  response.result!.steps[0].events.push({ time: 0, object: 'daemonset.apps/agent', message: "No daemon pod on node kind-control-plane: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", type: 'Normal' });
  panel.receive(resultMessage(response, 2));
  assert.equal($('.node .skipped')?.textContent, "No daemon pod: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
});

test('status prints the kubectl columns and leaves raw status fields out', () => {
  const response = fixture('rolling-3.response.json');
  response.result!.steps.at(-1)!.status = [{ object: 'daemonset.apps/agent', columns: { DESIRED: 3, 'NODE SELECTOR': 'gpu=cuda', numberMisscheduled: 0 } }];
  panel.receive(resultMessage(response));
  assert.deepEqual($$('table.status th').map((th) => th.textContent), ['NAME', 'DESIRED', 'NODE SELECTOR']);
  assert.deepEqual($$('table.status td').map((td) => td.textContent), ['daemonset.apps/agent', '3', 'gpu=cuda']);
});

test('a CronJob result lists its upcoming runs and the Jobs they create, from the engine', () => {
  const { simulate } = require('../../server/src/engine') as typeof import('../../server/src/engine');
  const cronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report' },
    spec: {
      schedule: '30 2 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'r', image: 'busybox:1.36' }] } } } },
    },
  };
  const result = simulate({ objects: [cronJob], windowSeconds: 3 * 86400 });
  panel.receive(resultMessage({ result, workloads: [{ kind: 'CronJob', name: 'report', offset: 0 }] }));
  const rows = $$('.cron-runs tbody tr').map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent));
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[0], ['2025-01-01T02:30:00Z', '9000s', 'report-28928310']);
  assert.deepEqual(rows[1], ['2025-01-02T02:30:00Z', '95400s', `report-${28928310 + 1440}`]);
  // The controller creates the Job the list names (later days are folded into daily steps).
  const created = result.steps.flatMap((s) => s.events).find((e) => e.message.startsWith('Created job'));
  assert.equal(created?.message, 'Created job report-28928310');
});

test("an HPA's row from the engine: kubectl get hpa's columns beside the Deployment's, at the count the HPA bounds", () => {
  const { simulate } = require('../../server/src/engine') as typeof import('../../server/src/engine');
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } } },
  };
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 } };
  const result = simulate({ objects: [deployment, hpa] });
  panel.receive(resultMessage({ result, workloads: [{ kind: 'Deployment', name: 'web', offset: 0 }] }));
  const tables = $$('table.status').map((t) => ({
    head: Array.from(t.querySelectorAll('th')).map((th) => th.textContent),
    rows: Array.from(t.querySelectorAll('tbody tr')).map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)),
  }));
  const autoscaler = tables.find((t) => t.rows[0]?.[0] === 'horizontalpodautoscaler.autoscaling/web');
  assert.deepEqual(autoscaler, { head: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS'], rows: [['horizontalpodautoscaler.autoscaling/web', 'Deployment/web', 'cpu: <unknown>/80%', '2', '5', '2']] });
  const workload = tables.find((t) => t.rows[0]?.[0] === 'deployment.apps/web');
  assert.equal(workload?.rows[0][workload.head.indexOf('READY')], '2/2', 'the Deployment raised to minReplicas');
});

test('the status line names the release simulated, and why it is in force', () => {
  const response = fixture('rolling-3.response.json');
  response.result!.kubernetes = { version: '1.31', reason: 'from .kdry/cluster.yaml: nodes run kubelet v1.31.4' };
  panel.receive(resultMessage(response));
  const status = $('.status-line')!;
  assert.equal(status.textContent, 'Dry-run of web.yaml on embedded default cluster · Kubernetes 1.31 · 12 ms');
  assert.equal(status.getAttribute('title'), 'Simulated as Kubernetes 1.31: from .kdry/cluster.yaml: nodes run kubelet v1.31.4');
  delete response.result!.kubernetes;
  panel.receive(resultMessage(response, 2));
  assert.doesNotMatch(status.textContent!, /Kubernetes/);
  assert.equal(status.getAttribute('title'), null);
});
