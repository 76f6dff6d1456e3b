// Edit to refreshed Dry-run view through the language server, as the view does it: the document is
// edited (didChange), kdry/simulate is asked with the buffer, the file's HEAD version (beforeText)
// and the view's pod window, and the view renders the answer (linkedom) and asks for the pod page
// it shows (kdry/simulatePods). A 10,000-replica rollout on the embedded cluster and on a 1,000-node
// cluster file (target: under 300 ms edit to view). Then three edits in a row, each cancelling the
// one before as the view's refresh lane does: the time to the last one's answer. Figures, not
// assertions; the server's CPU (its threads included) beside the wall times.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { compactForView } from '../../client/src/compact-for-view';
import { NO_FAULTS, type FromViewMessage, type PodsRequest } from '../../client/webview/messages';
import type { SimulateParams, SimulatePodsParams, SimulatePodsResponse, SimulateResponse } from '../../server/src/protocol/requests';
import { VIEW_POD_WINDOW } from '../../server/src/protocol/wire';
import { cpuMs, median, startServer } from './harness/lsp-session';
import { clusterYaml, deploymentYaml } from './simulate-cli';
import { installDom } from '../../test/webview/dom-shim';

const EDITS = 5;

interface EditFigures {
  /** didChange sent to kdry/simulate answered. */
  answerMs: number;
  /** compactForView, the postMessage's serialise and parse, and the panel's render. */
  viewMs: number;
  /** The page the panel asked for, answered and rendered. */
  pageMs: number;
  totalMs: number;
  serverCpuMs: number;
  bytes: number;
}

/** The Dry-run panel in a DOM of its own; `asked` collects the pod pages it requests. */
async function viewPanel(): Promise<{ render(response: SimulateResponse, seq: number): PodsRequest[]; page(seq: number, request: PodsRequest, response: SimulatePodsResponse): void }> {
  const { root } = installDom();
  const { createPanel } = await import('../../client/webview/panel');
  let asked: PodsRequest[] = [];
  const panel = createPanel(root, (message: FromViewMessage) => {
    if (message.type === 'pods') asked.push({ step: message.step, node: message.node, offset: message.offset, limit: message.limit });
  });
  return {
    render(response, seq) {
      asked = [];
      panel.receive({ type: 'result', seq, file: 'web.yaml', mode: 'rollout', response, faults: NO_FAULTS, requestMs: 0 });
      return asked;
    },
    page(seq, request, response) {
      panel.receive({ type: 'pods', seq, request, response });
    },
  };
}

async function editsOn(label: string, withCluster: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-bench-simulate-lsp-'));
  const file = join(dir, 'web.yaml');
  const uri = pathToFileURL(file).href;
  const before = deploymentYaml(10_000, 'nginx:1.27');
  writeFileSync(file, before);
  if (withCluster) {
    mkdirSync(join(dir, '.kdry'));
    writeFileSync(join(dir, '.kdry', 'cluster.yaml'), clusterYaml(1000));
  }
  const client = await startServer('kdry', { schema: '', workspaceFolder: dir });
  const panel = await viewPanel();
  try {
    const pid = client.process.pid!;
    await client.open(uri, before);
    const figures: EditFigures[] = [];
    const stopped: string[] = [];
    // the first edit warms the worker thread and the view; the rest are measured
    for (let i = 0; i <= EDITS; i++) {
      const text = deploymentYaml(10_000, `nginx:1.${28 + i}`);
      const cpu0 = cpuMs(pid);
      const t0 = performance.now();
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
      const params: SimulateParams = { uri, text, beforeText: before, podWindow: VIEW_POD_WINDOW };
      const response = await client.request<SimulateResponse>('kdry/simulate', params);
      const answerMs = performance.now() - t0;
      if (response.error || !response.result) {
        // the time budget (simulation-runner.ts) stops a run on an overloaded machine: said, not fatal
        stopped.push(`${answerMs.toFixed(0)} ms: ${response.error ?? 'no result'}`);
        continue;
      }
      const t1 = performance.now();
      const payload = JSON.stringify(compactForView(response));
      const asked = panel.render(JSON.parse(payload) as SimulateResponse, i + 1);
      const viewMs = performance.now() - t1;
      const t2 = performance.now();
      for (const request of asked) {
        const params: SimulatePodsParams = { ...request, id: response.paging?.id ?? '' };
        const answer = await client.request<SimulatePodsResponse>('kdry/simulatePods', params);
        if (answer.error) throw new Error(`kdry/simulatePods: ${answer.error}`);
        panel.page(i + 1, request, answer);
      }
      const pageMs = performance.now() - t2;
      if (i > 0) figures.push({ answerMs, viewMs, pageMs, totalMs: performance.now() - t0, serverCpuMs: cpuMs(pid) - cpu0, bytes: payload.length });
    }
    for (const why of stopped) console.log(`${label}: an edit got no view: ${why}`);
    const m = (key: keyof EditFigures) => median(figures.map((f) => f[key])).toFixed(0);
    if (figures.length > 0) {
      console.log(
        `${label}: edit to refreshed view median ${m('totalMs')} ms (runs ${figures.map((f) => f.totalMs.toFixed(0)).join(', ')}): ` +
          `kdry/simulate answered ${m('answerMs')} ms, view ${m('viewMs')} ms (payload ${(figures[0].bytes / 1e6).toFixed(2)} MB), first pod page ${m('pageMs')} ms; server CPU ${m('serverCpuMs')} ms an edit; load ${loadavg()[0].toFixed(2)}`,
      );
    }

    // Three edits in a row, each cancelling the one before (the view's refresh lane).
    const t0 = performance.now();
    let previous: CancellationTokenSource | undefined;
    const answers: Promise<SimulateResponse>[] = [];
    for (let i = 0; i < 3; i++) {
      previous?.cancel();
      const text = deploymentYaml(10_000, `nginx:2.${i}`);
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 100 + i }, contentChanges: [{ text }] });
      previous = new CancellationTokenSource();
      answers.push(client.request<SimulateResponse>('kdry/simulate', { uri, text, beforeText: before, podWindow: VIEW_POD_WINDOW }, previous.token));
    }
    const settled = await Promise.allSettled(answers);
    const failed = (s: PromiseSettledResult<SimulateResponse>): string | undefined => (s.status === 'rejected' ? String(s.reason) : s.value.error);
    const cancelled = settled.slice(0, 2).filter((s) => failed(s) !== undefined).length;
    const last = failed(settled[2]);
    console.log(
      `${label}: three edits in a row, each cancelling the one before: last ${last === undefined ? 'answered' : `failed (${last})`} ${(performance.now() - t0).toFixed(0)} ms after the first edit (${cancelled} of the first two cancelled)`,
    );
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<void> {
  await editsOn('10,000 replicas, embedded cluster', false);
  await editsOn('10,000 replicas, 1,000-node cluster file', true);
}
