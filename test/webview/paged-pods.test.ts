// A paged run in the Dry-run view (SimulateResponse.paging): the steps list only the first pods
// created, so the pods table counts and summarises from the server's counts and asks for the page
// it shows, a node column counts every pod bound to it and asks for its pods when opened, and a
// page for an older run is ignored. A page builds again only the part that shows it.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom-shim';
import { createPanel, type Panel } from '../../client/webview/panel';
import { NO_FAULTS, type FromViewMessage } from '../../client/webview/messages';
import { simulate, podsAtStep, type SimNode, type SimulationResult } from '../../server/src/engine';
import { pagedResult, podsPage } from '../../server/src/lsp/pod-paging';
import type { PodPaging } from '../../server/src/protocol/requests';
import { VIEW_POD_WINDOW } from '../../server/src/protocol/wire';

let root: HTMLElement;
let panel: Panel;
let posted: FromViewMessage[];

beforeEach(() => {
  root = installDom().root;
  posted = [];
  panel = createPanel(root, (m) => posted.push(m));
});

const NODES: SimNode[] = Array.from({ length: 40 }, (_, i) => ({ name: `node-${i}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 10 } }));

function deployment(image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 300, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m' } } }] } } },
  };
}

function showPaged(): { whole: SimulationResult; paging: PodPaging } {
  const whole = simulate({ objects: [deployment('web:2')], before: deployment('web:1'), nodes: NODES });
  const paged = pagedResult(whole, 100)!;
  const paging = { id: 'run-1', ...paged.paging };
  panel.receive({ type: 'result', seq: 7, file: 'web.yaml', mode: 'rollout', response: JSON.parse(JSON.stringify({ result: paged.result, workloads: [], paging })), faults: NO_FAULTS, requestMs: 1 });
  return { whole, paging };
}

const heading = (name: string) => (Array.from(root.querySelectorAll('h2')) as HTMLElement[]).map((h) => h.textContent!).find((t) => t.startsWith(name));
const rows = () => (Array.from(root.querySelectorAll('table.pods tbody tr')) as HTMLElement[]).map((r) => r.firstElementChild!.textContent);

test('the pods table counts every pod from the counts, asks for its page and shows it when it comes', () => {
  const { whole, paging } = showPaged();
  const last = whole.steps.length - 1;
  const all = podsAtStep(whole, last);
  assert.equal(heading('Pods ('), `Pods (${all.length})`);
  assert.deepEqual(posted.filter((m) => m.type === 'pods'), [{ type: 'pods', seq: 7, step: last, offset: 0, limit: 100 }]);
  assert.match(root.textContent!, /Loading pods…/);
  // The per-pod timeline draws the first rows and counts the run's every pod.
  assert.match(root.querySelector('svg.pod-timeline')!.getAttribute('aria-label')!, new RegExp(`^Pods over time: ${paging.pods} pods`));
  // The summary counts every pod, not only the first 100 the steps list.
  const summaryTotal = (Array.from(root.querySelectorAll('table.pod-summary tbody tr')) as HTMLElement[]).reduce((n, r) => n + Number(r.children[1].textContent), 0);
  assert.equal(summaryTotal, all.length);
  const request = { step: last, offset: 0, limit: 100 };
  // A page for an older run is ignored; this run's page fills the table.
  panel.receive({ type: 'pods', seq: 6, request, response: { pods: [], total: 0 } });
  assert.match(root.textContent!, /Loading pods…/);
  const timeline = root.querySelector('svg.pod-timeline');
  const nodes = root.querySelector('.node');
  panel.receive({ type: 'pods', seq: 7, request, response: podsPage(whole, request) });
  assert.deepEqual(rows(), all.slice(0, 100).map((p) => p.name));
  // Only the table is built again: the rest of the step view is the very same elements.
  // (compared by identity: a failing assert.equal would print two whole DOM trees)
  assert.ok(root.querySelector('svg.pod-timeline') === timeline, 'the per-pod timeline is not built again');
  assert.ok(root.querySelector('.node') === nodes, 'the node columns are not built again');
  assert.equal(root.querySelectorAll('table.pods').length, 1);
  // The next page is asked for when the user pages.
  (root.querySelector('button[aria-label="Next pods"]') as HTMLButtonElement).click();
  assert.deepEqual(posted.filter((m) => m.type === 'pods').at(-1), { type: 'pods', seq: 7, step: last, offset: 100, limit: 100 });
});

test('a node column counts every pod bound to it, and opening it asks for its pods', () => {
  const { whole } = showPaged();
  const last = whole.steps.length - 1;
  const all = podsAtStep(whole, last);
  const column = (node: string) => root.querySelector(`.node[aria-label="node ${node}"]`) as HTMLElement;
  for (const node of NODES) assert.equal(column(node.name).lastElementChild!.textContent, `${all.filter((p) => p.node === node.name).length} pods`, node.name);
  // A node whose pods are not all among the first created offers to show them.
  const node = NODES.find((n) => column(n.name).querySelector('button.more'))!.name;
  (column(node).querySelector('button.more') as HTMLButtonElement).click();
  const request = { step: last, node, offset: 0, limit: 48 };
  assert.deepEqual(posted.at(-1), { type: 'pods', seq: 7, ...request });
  const timeline = root.querySelector('svg.pod-timeline');
  panel.receive({ type: 'pods', seq: 7, request, response: podsPage(whole, request) });
  assert.equal(column(node).querySelectorAll('.chip.pod').length, all.filter((p) => p.node === node).length);
  assert.ok(root.querySelector('svg.pod-timeline') === timeline, 'only the node columns are built again');
  assert.equal(column(node).querySelector('button.more'), null);
});

test("a paged run's first answer holds only the pods the view draws: each is a row of the per-pod timeline", () => {
  const whole = simulate({ objects: [{ ...deployment('web:2'), spec: { ...(deployment('web:2').spec as object), replicas: 1000 } }], nodes: NODES.map((n) => ({ ...n, allocatable: { ...n.allocatable, pods: 110 } })) });
  const paged = pagedResult(whole, VIEW_POD_WINDOW)!;
  const sent = new Set(paged.result.steps.flatMap((s) => s.pods.map((p) => p.name)));
  panel.receive({ type: 'result', seq: 1, file: 'web.yaml', mode: 'dry-run', response: { result: paged.result, workloads: [], paging: { id: 'run', ...paged.paging } }, faults: NO_FAULTS, requestMs: 1 });
  const drawn = new Set(Array.from(root.querySelectorAll('g.pod-row')).map((row) => row.getAttribute('aria-label')!.split(' ')[0]));
  assert.equal(sent.size, VIEW_POD_WINDOW);
  assert.deepEqual([...sent].filter((name) => !drawn.has(name)), []);
});

test('a run whose pods all fit the window draws its pods table and node columns from its steps, as a run sent whole, and asks for no page', () => {
  const small = (image: string) => ({ ...deployment(image), spec: { ...(deployment(image).spec as object), replicas: 30 } });
  const whole = simulate({ objects: [small('web:2')], before: small('web:1'), nodes: NODES, snapshotMode: 'delta' });
  const paged = pagedResult(whole, VIEW_POD_WINDOW);
  assert.ok(paged.paging.pods <= VIEW_POD_WINDOW && paged.paging.pods > 30);
  panel.receive({ type: 'result', seq: 3, file: 'web.yaml', mode: 'rollout', response: JSON.parse(JSON.stringify({ result: paged.result, workloads: [], paging: { id: 'run-3', ...paged.paging } })), faults: NO_FAULTS, requestMs: 1 });
  assert.deepEqual(posted.filter((m) => m.type === 'pods'), [], 'no page asked for');
  const drawn = { rows: rows(), nodes: root.querySelector('.nodes')?.textContent, chart: root.querySelector('svg.timeline-chart')?.outerHTML };
  // the same run sent whole (full steps, no counts), as before every run was paged
  const plain = createPanel((root = installDom().root), () => undefined);
  plain.receive({ type: 'result', seq: 3, file: 'web.yaml', mode: 'rollout', response: JSON.parse(JSON.stringify({ result: simulate({ objects: [small('web:2')], before: small('web:1'), nodes: NODES }), workloads: [] })), faults: NO_FAULTS, requestMs: 1 });
  assert.ok(drawn.rows.length > 0);
  assert.deepEqual({ rows: rows(), nodes: root.querySelector('.nodes')?.textContent, chart: root.querySelector('svg.timeline-chart')?.outerHTML }, drawn);
});
