// The Capacity part of the Dry-run view: the engine's capacity report rendered as text and SVG,
// node rows keyboard reachable and said in words, the scheduler's message where pods do not fit.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { installDom } from './dom-shim';
import { renderCapacity } from '../../client/webview/capacity-view';
import { createPanel } from '../../client/webview/panel';
import { capacityOf, DEFAULT_CLUSTER } from '../../server/src/engine';
import { container, deployment } from '../simulation-checks/manifests';
import type { CapacityResponse } from '../../server/src/protocol/requests';
import type { FromViewMessage } from '../../client/webview/messages';

const cpu = (amount: string) => `        resources:\n          requests:\n            cpu: "${amount}"\n            memory: 1Gi\n`;

function response(): CapacityResponse {
  const workloads = [
    { key: 'a#0', object: parse(deployment('api', container(cpu('2')), '', 3)) },
    { key: 'b#0', object: parse(deployment('worker', container(cpu('3')), '', 2)) },
  ];
  return { report: capacityOf(workloads, DEFAULT_CLUSTER)!, cluster: { source: 'the embedded default cluster', nodes: 4 }, written: { 'a#0': 'api.yaml', 'b#0': 'worker.yaml' }, scope: 'the folder apps/' };
}

let root: HTMLElement;
beforeEach(() => {
  root = installDom().root;
});

test('what does not fit, in the scheduler\'s words; nodes fullest first with cpu and memory bars; zones; node failures', () => {
  root.appendChild(renderCapacity(response()));
  const text = root.textContent!;
  assert.match(text, /2 workloads \(5 pods\) of the folder apps\/ placed together on the embedded default cluster \(4 nodes\)\./);
  // api takes 2 CPU on each worker; worker's 3-CPU replicas find 2 CPU left: none fits.
  assert.match(text, /Does not fit: 2 pods stay Pending/);
  assert.match(text, /Deployment\/worker \(worker\.yaml\): 2 of 2 Pending\. 0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
  const rows = Array.from(root.querySelectorAll('g.capacity-node'));
  assert.equal(rows.length, 4);
  assert.equal(rows.at(-1)!.getAttribute('class'), 'capacity-node closed', 'the tainted control plane last');
  assert.match(rows[0].getAttribute('aria-label')!, /^worker-\d in zone-[abc]: cpu 2 of 4 requested, 2 free; memory 1Gi of 16Gi requested, 15Gi free; pods 1 of 110 requested, 109 free$/);
  assert.equal(rows[0].getAttribute('tabindex'), '0');
  assert.equal(root.querySelectorAll('rect.bar-used.cpu').length, 4);
  assert.deepEqual(Array.from(root.querySelectorAll('.capacity-zones tbody th')).map((t) => t.textContent), ['zone-a', 'zone-b', 'zone-c']);
  assert.match(root.querySelector('.capacity-zones tbody tr')!.textContent!, /^zone-a1 of 22/);
  assert.match(text, /No single node's failure leaves a pod Pending \(3 nodes tried\)\./, 'a lost api pod (2 CPU) fits beside another (4 - 2 = 2 CPU free)');
});

test('an error or an empty scope is said, not drawn', () => {
  root.appendChild(renderCapacity({ written: {}, error: 'Cluster file nodes.yaml: cpu: "four" is not a quantity' }));
  root.appendChild(renderCapacity({ written: {} }));
  assert.match(root.textContent!, /"four" is not a quantity/);
  assert.match(root.textContent!, /No long-running workload in this scope to place\./);
});

test('the panel asks for capacity when its Capacity part is opened, and draws the answer there', () => {
  const posted: FromViewMessage[] = [];
  const panel = createPanel(root, (m) => posted.push(m));
  const details = root.querySelector('details#capacity') as HTMLDetailsElement;
  details.open = true;
  details.dispatchEvent(new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event('toggle'));
  assert.deepEqual(posted.at(-1), { type: 'showCapacity', show: true, extent: 'scope' });
  panel.receive({ type: 'capacity', response: response() });
  assert.equal(details.querySelectorAll('g.capacity-node').length, 4);
  assert.equal(details.querySelector('summary')!.textContent, 'Capacity: the scope placed together');
});

test('a custom workload its schema rejects is listed as not placed, with its first error', () => {
  const refused = [{ kind: 'Rollout', name: 'canary', file: 'rollout.yaml', errors: ['spec.replicas: the API server rejects this Rollout: spec.replicas: Invalid value: "object": at most 2 replicas here', 'spec.x: another'] }];
  root.appendChild(renderCapacity({ ...response(), refused }));
  assert.match(root.textContent!, /Rollout\/canary \(rollout\.yaml\) is not placed: spec\.replicas: the API server rejects this Rollout: spec\.replicas: Invalid value: "object": at most 2 replicas here \(and 1 more\)/);
  root.replaceChildren(renderCapacity({ written: {}, refused }));
  assert.match(root.textContent!, /No long-running workload in this scope to place\.Rollout\/canary/, 'alone in its scope, it is still said');
});

test('nodes that filled come first, counted as `kdry capacity` counts them; a zone\'s failure says what it leaves Pending', () => {
  // Six 2-CPU replicas fill the three 4-CPU workers (one per zone of the default cluster): each node
  // ran out of room for any pod of the scope (`filled` 3), and a zone's failure leaves its two pods
  // with nowhere to go (engine/capacity.ts zoneFailures).
  const report = capacityOf([{ key: 'a#0', object: parse(deployment('api', container(cpu('2')), '', 6)) }], DEFAULT_CLUSTER)!;
  assert.equal(report.filled, 3);
  root.appendChild(renderCapacity({ report, cluster: { source: 'the embedded default cluster', nodes: 4 }, written: { 'a#0': 'apps/api.yaml' }, scope: 'the whole workspace', extent: 'workspace' }));
  const text = root.textContent!;
  assert.match(text, /1 workload \(6 pods\) of the whole workspace placed together/);
  assert.match(text, new RegExp(`Fills first: ${report.fillOrder[0]} \\(cpu 100% requested; the first of 3 nodes with no room left for any pod of these workloads, in the order the pods filled them\\)\\.`));
  assert.match(text, /Nodes in fill order: 3 full, then the others fullest first/);
  const rows = Array.from(root.querySelectorAll('g.capacity-node'));
  assert.deepEqual(rows.map((r) => r.getAttribute('class')), ['capacity-node filled', 'capacity-node filled', 'capacity-node filled', 'capacity-node closed']);
  assert.match(rows[1].getAttribute('aria-label')!, /; filled 2nd: no room left for any pod of these workloads$/);
  const zones = root.querySelector('.capacity-zone-failures')!;
  assert.equal(zones.querySelector('h3')!.textContent, 'If a zone fails');
  assert.deepEqual(Array.from(zones.querySelectorAll(':scope > ul > li > strong')).map((s) => s.textContent), report.zoneFailures.map((f) => f.zone));
  assert.match(zones.textContent!, /zone-b \(1 node\): 2 of 2 replacements Pending/, 'zone-a also holds the control plane: 2 nodes');
  assert.match(zones.textContent!, /Deployment\/api \(apps\/api\.yaml\): 2 Pending\. 0\/4 nodes are available: /);
});

test('the Capacity part offers the whole workspace: the choice is posted with the request and follows the answer shown', () => {
  const posted: FromViewMessage[] = [];
  const panel = createPanel(root, (m) => posted.push(m));
  const details = root.querySelector('details#capacity') as HTMLDetailsElement;
  const { Event } = (globalThis as unknown as { window: { Event: typeof globalThis.Event } }).window;
  details.open = true;
  details.dispatchEvent(new Event('toggle'));
  assert.deepEqual(posted.at(-1), { type: 'showCapacity', show: true, extent: 'scope' });
  const whole = root.querySelector('#capacity-extent-workspace') as HTMLInputElement;
  whole.checked = true;
  whole.dispatchEvent(new Event('change'));
  assert.deepEqual(posted.at(-1), { type: 'showCapacity', show: true, extent: 'workspace' });
  // The report replaces the previous one below the choice, which stays.
  panel.receive({ type: 'capacity', response: { ...response(), scope: 'the whole workspace', extent: 'workspace' } });
  panel.receive({ type: 'capacity', response: { ...response(), scope: 'the whole workspace', extent: 'workspace' } });
  assert.equal(details.querySelectorAll('section.panel-section').length, 1);
  assert.equal(details.querySelectorAll('input[name="capacity-extent"]').length, 2);
  // An answer for the scope (a webview opened later gets the host's last one) moves the choice back.
  panel.receive({ type: 'capacity', response: { ...response(), extent: undefined } });
  assert.equal(whole.checked, true, 'an answer without extent leaves the choice');
  panel.receive({ type: 'capacity', response: { ...response(), extent: 'scope' } });
  assert.equal((root.querySelector('#capacity-extent-scope') as HTMLInputElement).checked, true);
  assert.match(renderCapacity({ written: {}, extent: 'workspace' }).textContent!, /No long-running workload in the workspace to place\./);
});
