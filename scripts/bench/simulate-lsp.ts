// Edit to refreshed Dry-run view through the language server, as the view does it: the document is
// edited (didChange), kdry/simulate is asked with the buffer, the file's HEAD version (beforeText)
// and the view's pod window, and the view renders the answer (linkedom) and asks for the pod page
// it shows (kdry/simulatePods). A 10,000-replica rollout on the embedded cluster and on a 1,000-node
// cluster file (target: under 300 ms edit to view). The simulation checks are on, as by default:
// they simulate the same workload after typing pauses, so on the 1,000-node cluster the bench also
// times an edit made while their run is under way, gives the server's CPU per edit until it is
// idle again (the checks' run included), and the same edits with the checks off. Then three edits
// in a row, each cancelling the one before as the view's refresh lane does: the time to the last
// one's answer, and edits a little apart while the runs take longer (each run cancelled mid-way).
// Edits of a comment only (the engine's inputs unchanged) are answered from the last
// run. Figures, not assertions; the server's CPU (its threads included) beside the wall times.
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
/** The server is idle once its CPU grew less than SETTLE_CPU_MS over SETTLE_MS (longer than the checks' 300 ms debounce). */
const SETTLE_MS = 800;
const SETTLE_CPU_MS = 30;

interface EditFigures {
  /** didChange sent to kdry/simulate answered. */
  answerMs: number;
  /** compactForView, the postMessage's serialise and parse, and the panel's render. */
  viewMs: number;
  /** The page the panel asked for, answered and rendered. */
  pageMs: number;
  totalMs: number;
  /** Server CPU from the edit to the first page drawn. */
  serverCpuMs: number;
  bytes: number;
}

type Panel = Awaited<ReturnType<typeof viewPanel>>;

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the server's threads are idle (the checks' run done); false after 60 s. */
async function settled(pid: number): Promise<boolean> {
  let last = cpuMs(pid);
  for (const t0 = performance.now(); performance.now() - t0 < 60_000; ) {
    await sleep(SETTLE_MS);
    const now = cpuMs(pid);
    if (now - last < SETTLE_CPU_MS) return true;
    last = now;
  }
  return false;
}

/** Waits until the server has used `ms` of CPU (a run under way), at most `within` ms. */
async function busyFor(pid: number, ms: number, within: number): Promise<boolean> {
  const cpu0 = cpuMs(pid);
  for (const t0 = performance.now(); performance.now() - t0 < within; await sleep(20)) if (cpuMs(pid) - cpu0 >= ms) return true;
  return false;
}

class DryRunSession {
  private version = 1;
  private seq = 0;
  readonly pid: number;

  constructor(
    readonly client: Awaited<ReturnType<typeof startServer>>,
    private readonly panel: Panel,
    readonly uri: string,
    readonly before: string,
  ) {
    this.pid = client.process.pid!;
  }

  /** One edit as the view sees it (`comment`: a comment line above the Deployment): didChange, kdry/simulate, the view drawn, its first pod page; or why it got no view. */
  async edit(image: string, comment?: string): Promise<EditFigures | string> {
    const { client, uri, before } = this;
    const text = `${comment === undefined ? '' : `# ${comment}\n`}${deploymentYaml(10_000, image)}`;
    const seq = ++this.seq;
    const cpu0 = cpuMs(this.pid);
    const t0 = performance.now();
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++this.version }, contentChanges: [{ text }] });
    const params: SimulateParams = { uri, text, beforeText: before, podWindow: VIEW_POD_WINDOW };
    const response = await client.request<SimulateResponse>('kdry/simulate', params);
    const answerMs = performance.now() - t0;
    // the time budget (simulation-runner.ts) stops a run on an overloaded machine: said, not fatal
    if (response.error || !response.result) return `${answerMs.toFixed(0)} ms: ${response.error ?? 'no result'}`;
    const t1 = performance.now();
    const payload = JSON.stringify(compactForView(response));
    const asked = this.panel.render(JSON.parse(payload) as SimulateResponse, seq);
    const viewMs = performance.now() - t1;
    const t2 = performance.now();
    for (const request of asked) {
      const pageParams: SimulatePodsParams = { ...request, id: response.paging?.id ?? '' };
      const answer = await client.request<SimulatePodsResponse>('kdry/simulatePods', pageParams);
      if (answer.error) throw new Error(`kdry/simulatePods: ${answer.error}`);
      this.panel.page(seq, request, answer);
    }
    const pageMs = performance.now() - t2;
    return { answerMs, viewMs, pageMs, totalMs: performance.now() - t0, serverCpuMs: cpuMs(this.pid) - cpu0, bytes: payload.length };
  }
}

async function withSession(withCluster: boolean, simulationChecks: boolean, body: (session: DryRunSession) => Promise<void>, warmFirst = true): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-bench-simulate-lsp-'));
  const file = join(dir, 'web.yaml');
  const before = deploymentYaml(10_000, 'nginx:1.27');
  writeFileSync(file, before);
  if (withCluster) {
    mkdirSync(join(dir, '.kdry'));
    writeFileSync(join(dir, '.kdry', 'cluster.yaml'), clusterYaml(1000));
  }
  const client = await startServer('kdry', { schema: '', workspaceFolder: dir, kdry: simulationChecks ? {} : { simulationChecks: false } });
  try {
    const session = new DryRunSession(client, await viewPanel(), pathToFileURL(file).href, before);
    await client.open(session.uri, before);
    // the first edit warms the worker threads and the view
    if (warmFirst) await session.edit('nginx:1.28');
    await settled(session.pid);
    await body(session);
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(label: string, results: (EditFigures | string)[], extra = ''): void {
  const figures = results.filter((r): r is EditFigures => typeof r !== 'string');
  for (const why of results.filter((r): r is string => typeof r === 'string')) console.log(`${label}: an edit got no view: ${why}`);
  if (figures.length === 0) return;
  const m = (key: keyof EditFigures) => median(figures.map((f) => f[key])).toFixed(0);
  // the first frame with the edit's effect (summary, chart, steps, node columns); the pods table fills in with the page
  const firstFrame = median(figures.map((f) => f.answerMs + f.viewMs)).toFixed(0);
  console.log(
    `${label}: edit to refreshed view median ${m('totalMs')} ms, first frame ${firstFrame} ms (runs ${figures.map((f) => f.totalMs.toFixed(0)).join(', ')}): ` +
      `kdry/simulate answered ${m('answerMs')} ms, view ${m('viewMs')} ms (payload ${(figures[0].bytes / 1e6).toFixed(2)} MB), first pod page ${m('pageMs')} ms; ` +
      `server CPU edit to page ${m('serverCpuMs')} ms${extra}; load ${loadavg()[0].toFixed(2)}`,
  );
}

/** EDITS edits back to back, as while typing with the view open; CPU per edit counted until the server is idle after the last. */
async function typing(label: string, session: DryRunSession, image: (i: number) => string): Promise<void> {
  const cpu0 = cpuMs(session.pid);
  const results: (EditFigures | string)[] = [];
  for (let i = 0; i < EDITS; i++) results.push(await session.edit(image(i)));
  const idle = await settled(session.pid);
  report(label, results, `, until idle ${((cpuMs(session.pid) - cpu0) / EDITS).toFixed(0)} ms an edit${idle ? '' : ' (not idle after 60 s)'}`);
}

/** EDITS edits of a comment only, after an edit of the image: what the engine reads is unchanged, the last run answers. */
async function commenting(label: string, session: DryRunSession): Promise<void> {
  await session.edit('nginx:4.0');
  await settled(session.pid);
  const results: (EditFigures | string)[] = [];
  for (let i = 0; i < EDITS; i++) results.push(await session.edit('nginx:4.0', `note ${i}`));
  report(label, results);
}

/**
 * Each edit made once the checks' run for the edit before is under way (the server busy 100 ms
 * past the page); the server's CPU per edit counted until it is idle after the last.
 */
async function duringChecks(label: string, session: DryRunSession): Promise<void> {
  const results: (EditFigures | string)[] = [];
  let underWay = 0;
  await session.edit('nginx:3.0');
  const cpu0 = cpuMs(session.pid);
  for (let i = 1; i <= EDITS; i++) {
    if (await busyFor(session.pid, 100, 3000)) underWay++;
    results.push(await session.edit(`nginx:3.${i}`));
  }
  const idle = await settled(session.pid);
  report(`${label} (${underWay} of ${EDITS} edits with a run under way)`, results, `, until idle ${((cpuMs(session.pid) - cpu0) / EDITS).toFixed(0)} ms an edit${idle ? '' : ' (not idle after 60 s)'}`);
}

/** Three edits in a row, each cancelling the one before (the view's refresh lane). */
async function cancelling(label: string, session: DryRunSession): Promise<void> {
  const { client, uri, before } = session;
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
  const settledAnswers = await Promise.allSettled(answers);
  const failed = (s: PromiseSettledResult<SimulateResponse>): string | undefined => (s.status === 'rejected' ? String(s.reason) : s.value.error);
  const cancelled = settledAnswers.slice(0, 2).filter((s) => failed(s) !== undefined).length;
  const last = failed(settledAnswers[2]);
  console.log(`${label}: three edits in a row, each cancelling the one before: last ${last === undefined ? 'answered' : `failed (${last})`} ${(performance.now() - t0).toFixed(0)} ms after the first edit (${cancelled} of the first two cancelled)`);
}

/**
 * Edits GAP_MS apart while the runs take longer, each cancelling the one before (typing with the
 * view open): the last edit to its answer, and the server's CPU from the first edit until idle.
 * A cancelled run stops itself, so the runs after it are not cold (simulation-runner.ts).
 */
async function typingOverRuns(label: string, session: DryRunSession, gapMs: number): Promise<void> {
  const { client, uri, before } = session;
  const cpu0 = cpuMs(session.pid);
  let previous: CancellationTokenSource | undefined;
  let last: Promise<SimulateResponse> | undefined;
  let lastAt = 0;
  for (let i = 0; i < EDITS; i++) {
    if (i > 0) await sleep(gapMs);
    previous?.cancel();
    const text = deploymentYaml(10_000, `nginx:5.${i}.${gapMs}`);
    lastAt = performance.now();
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 200 + i + gapMs }, contentChanges: [{ text }] });
    previous = new CancellationTokenSource();
    last = client.request<SimulateResponse>('kdry/simulate', { uri, text, beforeText: before, podWindow: VIEW_POD_WINDOW }, previous.token);
    last.catch(() => undefined);
  }
  const answer = await last!;
  const answerMs = performance.now() - lastAt;
  const idle = await settled(session.pid);
  console.log(
    `${label}: ${EDITS} edits ${gapMs} ms apart, each cancelling the one before: the last ${answer.error ? `failed (${answer.error})` : 'answered'} ${answerMs.toFixed(0)} ms after it; ` +
      `server CPU until idle ${(cpuMs(session.pid) - cpu0).toFixed(0)} ms${idle ? '' : ' (not idle after 60 s)'}; load ${loadavg()[0].toFixed(2)}`,
  );
}

/** The first edit after start, the server idle since the open (its start-up warm-up done): the simulation thread's first run. */
async function firstAfterStart(label: string): Promise<void> {
  const results: (EditFigures | string)[] = [];
  for (let i = 0; i < 3; i++) await withSession(false, true, async (session) => void results.push(await session.edit('nginx:1.28')), false);
  report(label, results);
}

export default async function run(): Promise<void> {
  await firstAfterStart('10,000 replicas, embedded cluster, the first edit after start (3 servers, each idle after the open)');
  const embedded = '10,000 replicas, embedded cluster';
  await withSession(false, true, async (session) => {
    await typing(embedded, session, (i) => `nginx:1.${29 + i}`);
    await commenting(`${embedded}, an edit of a comment`, session);
    await cancelling(embedded, session);
    await typingOverRuns(embedded, session, 150);
  });
  const nodes = '10,000 replicas, 1,000-node cluster file';
  await withSession(true, true, async (session) => {
    await typing(`${nodes}, typing`, session, (i) => `nginx:1.${29 + i}`);
    await commenting(`${nodes}, an edit of a comment`, session);
    await duringChecks(`${nodes}, edit while the simulation checks run`, session);
    await cancelling(nodes, session);
    await typingOverRuns(nodes, session, 300);
  });
  await withSession(true, false, (session) => typing(`${nodes}, simulation checks off`, session, (i) => `nginx:1.${29 + i}`));
}
