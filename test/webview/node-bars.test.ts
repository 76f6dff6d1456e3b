import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom-shim';
import { createPanel, type Panel } from '../../client/webview/panel';
import { NO_FAULTS, type ResultMessage } from '../../client/webview/messages';
import { simulate } from '../../server/src/engine/simulate';
import type { SimulationResult } from '../../server/src/engine/types';

let root: HTMLElement;
let panel: Panel;

beforeEach(() => {
  root = installDom().root;
  panel = createPanel(root, () => {});
});

function deployment(image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '250m', memory: '128Mi' } } }] } },
    },
  };
}

function show(result: SimulationResult): void {
  const message: ResultMessage = { type: 'result', seq: 1, file: 'web.yaml', mode: 'rollout', response: { result: JSON.parse(JSON.stringify(result)), workloads: [] }, faults: NO_FAULTS, requestMs: 1 };
  panel.receive(message);
}

function selectStep(step: number): void {
  (Array.from(root.querySelectorAll('button.step')).find((b) => (b as HTMLElement).dataset.step === String(step)) as HTMLButtonElement).click();
  assert.equal(panel.step, step);
}

/** The cpu bar of each node column: requested millicores as the meter's value, and its label. */
function cpuBars(): Map<string, { now: number; text: string }> {
  const bars = new Map<string, { now: number; text: string }>();
  for (const column of Array.from(root.querySelectorAll('.node')) as HTMLElement[]) {
    const meter = column.querySelector('.bar[aria-label="cpu requested"]');
    if (!meter) continue;
    bars.set(column.getAttribute('aria-label')!.replace(/^node /, ''), { now: Number(meter.getAttribute('aria-valuenow')), text: meter.parentElement!.textContent ?? '' });
  }
  return bars;
}

test('the node bars follow the selected step of a rolling update (surge pods add to a node, then leave)', () => {
  const result = simulate({ objects: [deployment('web:2')], before: deployment('web:1') });
  show(result);
  selectStep(0);
  const atStart = cpuBars();
  assert.equal([...atStart.values()].reduce((sum, b) => sum + b.now, 0), 3 * 250, 'three pods at the start');
  // The first step that binds a surge pod: some node then holds one more pod than at the start.
  const surge = result.steps.findIndex((s, i) => i > 0 && (s.nodes ?? []).some((n) => (n.requested.pods ?? 0) > 1));
  assert.ok(surge > 0, 'a step with a surge pod on a node');
  selectStep(surge);
  const atSurge = cpuBars();
  const grown = [...atSurge].filter(([name, bar]) => bar.now > atStart.get(name)!.now);
  assert.equal(grown.length, 1, 'one node gained the surge pod');
  assert.equal(grown[0][1].now, atStart.get(grown[0][0])!.now + 250);
  assert.match(grown[0][1].text, /^cpu 500m \//);
  selectStep(result.steps.length - 1);
  const atEnd = cpuBars();
  assert.deepEqual([...atEnd].map(([name, bar]) => [name, bar.now]), result.cluster.nodeDetails!.filter((d) => d.allocatable.cpu).map((d) => [d.name, d.requested.cpu ?? 0]));
});

test('a node going NotReady is badged from the step its usage says so', () => {
  const result = simulate({ objects: [deployment('web:1')], faults: { nodeNotReady: [{ node: 'worker-2', at: 30 }] } });
  show(result);
  const down = () => (Array.from(root.querySelectorAll('.node.node-down')) as HTMLElement[]).map((n) => n.getAttribute('aria-label'));
  selectStep(0);
  assert.deepEqual(down(), []);
  const change = result.steps.findIndex((s) => (s.nodes ?? []).some((n) => n.name === 'worker-2' && !n.ready));
  assert.ok(change > 0);
  selectStep(change - 1);
  assert.deepEqual(down(), []);
  selectStep(change);
  assert.deepEqual(down(), ['node worker-2']);
});
