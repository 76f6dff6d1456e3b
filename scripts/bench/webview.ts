// The Dry-run panel's share of edit-to-refreshed-view: simulate a 100- and a 10,000-replica rollout
// with the engine and page it (as the server does for the view: delta steps, the pod window, counts),
// trim it for the view, serialise it (the postMessage payload) and render it in a DOM (linkedom). The end-to-end figure inside VS Code comes from test/e2e
// (`figures:` line of .ci/e2e-run.sh); this one isolates the panel. Then the view's paged runs
// (server/src/lsp/pod-paging.ts) on a 1,000-node cluster: bytes sent whole and paged, per run and
// per step, and the time to page, serialise, parse and render, with the node columns built.
import { parseAllDocuments } from 'yaml';
import { simulate } from '../../server/src/engine';
import { compactForView } from '../../client/src/compact-for-view';
import type { SimulateResponse } from '../../server/src/protocol/requests';
import { NO_FAULTS } from '../../client/webview/messages';
import { pagedResult } from '../../server/src/lsp/pod-paging';
import { VIEW_POD_WINDOW } from '../../server/src/protocol/wire';
import type { SimNode } from '../../server/src/engine';
import { installDom } from '../../test/webview/dom-shim';

function deployment(replicas: number, image: string): unknown {
  return parseAllDocuments(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 } }
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: ${image}, resources: { requests: { cpu: 10m, memory: 16Mi } } }] }
`)[0].toJS();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function run(): Promise<void> {
  const { root } = installDom();
  const { createPanel } = await import('../../client/webview/panel');
  for (const [replicas, runs] of [[100, 7], [10_000, 3]] as const) {
    const simulateMs: number[] = [];
    const transferMs: number[] = [];
    const renderMs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      const whole = simulate({ objects: [deployment(replicas, `nginx:1.${i + 1}`)], before: deployment(replicas, 'nginx:1.0'), snapshotMode: 'delta' });
      simulateMs.push(performance.now() - started);
      started = performance.now();
      const { result, paging } = pagedResult(whole, VIEW_POD_WINDOW);
      const payload = JSON.stringify(compactForView({ result, workloads: [{ kind: 'Deployment', name: 'web', offset: 0 }], paging: { id: 'bench', ...paging } }));
      const response: SimulateResponse = JSON.parse(payload);
      transferMs.push(performance.now() - started);
      bytes = payload.length;
      const panel = createPanel(root, () => undefined);
      started = performance.now();
      panel.receive({ type: 'result', seq: i + 1, file: 'web.yaml', mode: 'rollout', response, faults: NO_FAULTS, requestMs: 0 });
      renderMs.push(performance.now() - started);
    }
    console.log(`${replicas} replicas: engine ${median(simulateMs).toFixed(0)} ms, view payload ${(bytes / 1e6).toFixed(3)} MB (page, serialise and parse ${median(transferMs).toFixed(0)} ms), panel render ${median(renderMs).toFixed(0)} ms (median of ${runs})`);
  }
  const nodes: SimNode[] = Array.from({ length: 1000 }, (_, i) => ({ name: `node-${String(i).padStart(4, '0')}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 110 } }));
  for (const replicas of [10_000, 100_000]) {
    let started = performance.now();
    const result = simulate({ objects: [deployment(replicas, 'nginx:1.1')], before: deployment(replicas, 'nginx:1.0'), nodes });
    const engineMs = performance.now() - started;
    const wholeBytes = JSON.stringify(compactForView({ result, workloads: [] })).length;
    started = performance.now();
    const paged = pagedResult(result, VIEW_POD_WINDOW);
    const response: SimulateResponse = { result: paged.result, workloads: [], paging: { id: 'bench', ...paged.paging } };
    const pageMs = performance.now() - started;
    started = performance.now();
    const payload = JSON.stringify(compactForView(response));
    const parsed: SimulateResponse = JSON.parse(payload);
    const transferMs = performance.now() - started;
    const panel = createPanel(root, () => undefined);
    started = performance.now();
    panel.receive({ type: 'result', seq: 1, file: 'web.yaml', mode: 'rollout', response: parsed, faults: NO_FAULTS, requestMs: 0 });
    const renderMs = performance.now() - started;
    const steps = result.steps.length;
    console.log(`${replicas} replicas on 1,000 nodes, ${steps} steps: engine ${engineMs.toFixed(0)} ms; sent whole ${(wholeBytes / 1e6).toFixed(2)} MB (${(wholeBytes / steps / 1e3).toFixed(0)} KB a step), paged ${(payload.length / 1e6).toFixed(2)} MB (${(payload.length / steps / 1e3).toFixed(0)} KB a step); page ${pageMs.toFixed(0)} ms, serialise+parse ${transferMs.toFixed(0)} ms, render ${renderMs.toFixed(0)} ms with ${root.querySelectorAll('.node').length} node columns built`);
  }
}
