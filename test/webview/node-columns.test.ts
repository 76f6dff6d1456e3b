// The Nodes part on a large cluster: only the node columns in view are built (node-placement.ts
// virtualColumns), the rest stands as padding, scrolling builds the next ones, and the position
// holds while the step view is rebuilt for another step. A small cluster is drawn whole.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom-shim';
import { createPanel, type Panel } from '../../client/webview/panel';
import { NODE_CELL, VIRTUAL_NODES_FROM, virtualColumns } from '../../client/webview/node-placement';
import { el } from '../../client/webview/dom';
import { NO_FAULTS } from '../../client/webview/messages';
import { simulate } from '../../server/src/engine/simulate';
import type { SimNode } from '../../server/src/engine/types';

let root: HTMLElement;
let panel: Panel;

beforeEach(() => {
  root = installDom().root;
  panel = createPanel(root, () => {});
});

function cluster(count: number): SimNode[] {
  return Array.from({ length: count }, (_, i) => ({ name: `node-${String(i).padStart(5, '0')}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 4000, memory: 8 * 2 ** 30, pods: 110 } }));
}

function deployment(replicas: number, image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
    },
  };
}

const columns = () => (Array.from(root.querySelectorAll('.node')) as HTMLElement[]).map((c) => c.getAttribute('aria-label')!.replace(/^node /, ''));
const viewport = () => root.querySelector('.nodes-viewport') as HTMLElement;

function scrollTo(top: number): void {
  viewport().scrollTop = top;
  viewport().dispatchEvent(new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event('scroll'));
}

test('20,000 nodes: one screen of columns is built, padding stands for the rest, and scrolling builds the rows in view', () => {
  const names = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
  const built: string[] = [];
  const scroll = { top: 0 };
  const box = virtualColumns(names, (name) => (built.push(name), el('div', { class: 'node' }, name)), scroll);
  root.append(box);
  const grid = box.firstElementChild as HTMLElement;
  // Without layout the box counts as 6 columns by 480 px: rows 0-3 in view, 2 more below.
  assert.equal(grid.children.length, 6 * 6);
  assert.equal(built.length, 36, 'no column built beyond those shown');
  const rows = Math.ceil(20_000 / 6);
  assert.equal(grid.style.paddingTop, '0px');
  assert.equal(grid.style.paddingBottom, `${(rows - 6) * NODE_CELL.height}px`);
  // Scrolled to row 100: rows 98 to 105 are built (two above, the four in view, two below).
  box.scrollTop = 100 * NODE_CELL.height;
  box.dispatchEvent(new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event('scroll'));
  assert.equal(grid.children.length, 8 * 6);
  assert.equal(grid.firstElementChild!.textContent, 'n588');
  assert.equal(grid.lastElementChild!.textContent, `n${106 * 6 - 1}`);
  assert.equal(grid.style.paddingTop, `${98 * NODE_CELL.height}px`);
  assert.equal(grid.style.paddingBottom, `${(rows - 106) * NODE_CELL.height}px`);
  assert.equal(scroll.top, 100 * NODE_CELL.height, 'the position is kept for the next render');
  // The last row holds the two left over (20,000 = 3,333 x 6 + 2).
  box.scrollTop = rows * NODE_CELL.height;
  box.dispatchEvent(new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event('scroll'));
  assert.equal(grid.lastElementChild!.textContent, 'n19999');
  assert.equal(grid.style.paddingBottom, '0px');
  assert.match(box.getAttribute('aria-label')!, /^20000 nodes/);
});

test('the panel on 2,000 nodes builds a screen of node columns, keeps the scroll across steps, and shows each column\'s pods', () => {
  const nodes = cluster(2_000);
  const result = simulate({ objects: [deployment(40, 'web:2')], before: deployment(40, 'web:1'), nodes });
  panel.receive({ type: 'result', seq: 1, file: 'web.yaml', mode: 'rollout', response: { result: JSON.parse(JSON.stringify(result)), workloads: [] }, faults: NO_FAULTS, requestMs: 1 });
  assert.ok(viewport(), 'a scrolled box of node columns');
  assert.equal(columns().length, 36);
  assert.deepEqual(columns(), nodes.slice(0, 36).map((n) => n.name));
  scrollTo(50 * NODE_CELL.height);
  assert.equal(columns()[0], nodes[48 * 6].name);
  // Another step rebuilds the step view: the same columns are drawn.
  (root.querySelector('button.step[data-step="0"]') as HTMLButtonElement).click();
  assert.equal(panel.step, 0);
  assert.equal(columns()[0], nodes[48 * 6].name);
  assert.equal(viewport().scrollTop, 50 * NODE_CELL.height);
  // A drawn column counts the pods bound to it at the step, as the whole-cluster view did.
  const perColumn = (Array.from(root.querySelectorAll('.node')) as HTMLElement[]).map((c) => Number(/(\d+) pods?$/.exec(c.lastElementChild!.textContent!)![1]));
  assert.equal(perColumn.length, columns().length);
});

test(`fewer than ${VIRTUAL_NODES_FROM} nodes are drawn whole, without the scrolled box`, () => {
  const nodes = cluster(VIRTUAL_NODES_FROM - 1);
  const result = simulate({ objects: [deployment(5, 'web:1')], nodes });
  panel.receive({ type: 'result', seq: 1, file: 'web.yaml', mode: 'dry-run', response: { result: JSON.parse(JSON.stringify(result)), workloads: [] }, faults: NO_FAULTS, requestMs: 1 });
  assert.equal(viewport(), null);
  assert.equal(columns().length, VIRTUAL_NODES_FROM - 1);
});
