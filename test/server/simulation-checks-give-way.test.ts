// The simulation checks give way to the Dry-run and Capacity views' engine work
// (SimulationChecks.giveWayTo): no checks' job starts while a view's job runs, one in flight is
// stopped (its worker thread terminated), and once the view's work ends the checks run and find
// exactly what a separate run of the same inputs finds. A fresh worker takes the verdicts of the
// last answer (seeds) instead of simulating those workloads again.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_CLUSTER, type WorkloadVerdict } from '../../server/src/engine';
import { FileStore } from '../../server/src/lsp/files';
import { SimulationChecks, type SimulationChecksHost, type SimulationJobsAnswer, type SimulationJobsMessage } from '../../server/src/lsp/simulation-checks-runner';
import { checkSimulations, hashText, SIMULATION_RULES } from '../../server/src/simulation-checks';
import { simulationRuleFixtures } from '../../server/src/simulation-checks/fixture-files';
import { DEFAULT_KUBERNETES_VERSION, DEFAULT_SETTINGS } from '../../server/src/settings';
import { loadCluster } from '../../server/src/workspace/cluster-file';
import { container, deployment } from '../simulation-checks/manifests';
import { ensureBuilt, REPO } from './lsp-client';

const WORKER = join(REPO, 'dist', 'simulation-checks-worker.js');
const URI = 'file:///ws/app/web.yaml';
/** A Deployment no node can hold, and a Job past its deadline: two findings of the checks. */
const TEXT = `${deployment('web', container('        resources:\n          requests:\n            cpu: "8"\n'))}---\n${simulationRuleFixtures('job-deadline-exceeded').bad[0]}`;

before(() => {
  ensureBuilt();
});

/** The checks over one open file on the embedded cluster; `published` resolves at each republish. */
function setUp(workerFile = WORKER): { checks: SimulationChecks; files: FileStore; republished: () => Promise<void>; clusterRead: () => Promise<void> } {
  const files = new FileStore();
  files.update(URI, TEXT);
  let onRepublish: (() => void) | undefined;
  let onCluster: (() => void) | undefined;
  const host: SimulationChecksHost = {
    files,
    openUris: () => [URI],
    settings: () => DEFAULT_SETTINGS,
    clusterFor: async () => {
      const cluster = await loadCluster(undefined);
      onCluster?.();
      return { cluster, shown: 'the embedded default cluster' };
    },
    release: () => DEFAULT_KUBERNETES_VERSION,
    republish: () => onRepublish?.(),
  };
  return {
    checks: new SimulationChecks(host, workerFile, 0),
    files,
    republished: () => new Promise((resolve) => (onRepublish = resolve)),
    // resolves once run() has read the cluster: it then posts its job, or defers, at once
    clusterRead: () => new Promise((resolve) => (onCluster = () => setImmediate(resolve))),
  };
}

/** What `kdry check` finds for the same file, cluster and release. */
function separateRun(files: FileStore): string {
  const cluster = { key: hashText(JSON.stringify(DEFAULT_CLUSTER)), nodes: DEFAULT_CLUSTER, release: DEFAULT_KUBERNETES_VERSION, source: 'the embedded default cluster', nodeCount: DEFAULT_CLUSTER.length };
  const found = checkSimulations(files.workspace, [URI], cluster, SIMULATION_RULES).get(URI) ?? [];
  assert.deepEqual(found.map((f) => f.ruleId).sort(), ['job-deadline-exceeded', 'unschedulable-replicas']);
  return JSON.stringify(found);
}

test('while a view runs the engine no checks job starts; once it ends the checks find what a separate run finds', async () => {
  // no worker file: the job would run on this thread, answered before run() returns
  const { checks, files, republished, clusterRead } = setUp(join(REPO, 'no-such-worker.js'));
  let published = false;
  void republished().then(() => (published = true));
  checks.giveWayTo(true);
  const read = clusterRead();
  checks.schedule();
  await read;
  assert.equal(published, false);
  assert.deepEqual(checks.findingsFor(files.get(URI)!), []);
  const answer = republished();
  checks.giveWayTo(false);
  await answer;
  assert.equal(JSON.stringify(checks.findingsFor(files.get(URI)!)), separateRun(files));
});

test('a checks job in flight when a view starts is stopped and run again once the view is done, with the same findings', { timeout: 60_000 }, async () => {
  const { checks, files, republished, clusterRead } = setUp();
  const read = clusterRead();
  checks.schedule();
  await read;
  // posted: the view's job stops it, its thread ends
  const thread = (checks as unknown as { worker: Worker }).worker;
  const exited = new Promise((resolve) => thread.once('exit', resolve));
  checks.giveWayTo(true);
  await exited;
  assert.deepEqual(checks.findingsFor(files.get(URI)!), []);
  const answer = republished();
  checks.giveWayTo(false);
  await answer;
  assert.equal(JSON.stringify(checks.findingsFor(files.get(URI)!)), separateRun(files));
});

test("a fresh checks worker answers a seeded workload's verdict without simulating it again", async () => {
  const generation = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { workerData: { generation: generation.buffer } });
  try {
    const source = deployment('web', container());
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.4.2' }] } } } };
    // not what the engine would say of this workload: only the seed can give it
    const seeded: WorkloadVerdict = { kind: 'Deployment', name: 'web', rollout: { cause: 'slow', condition: 'seeded, not simulated' } };
    const ask = (n: number, seeds?: Record<string, WorkloadVerdict>) =>
      new Promise<SimulationJobsAnswer>((resolve) => {
        worker.once('message', resolve);
        Atomics.store(generation, 0, n);
        worker.postMessage({ generation: n, clusters: { c: DEFAULT_CLUSTER }, jobs: [{ clusterKey: 'c', release: DEFAULT_KUBERNETES_VERSION, scopes: [], workloads: [{ key: 'k', hash: 'h', source, object }], ...(seeds ? { seeds } : {}) }] } satisfies SimulationJobsMessage);
      });
    assert.deepEqual((await ask(1, { h: seeded })).answers[0].verdicts.k, seeded);
    // the same thread keeps it: asked again without seeds, the verdict is unchanged (no change answered)
    assert.deepEqual((await ask(2)).answers[0].verdicts, {});
  } finally {
    await worker.terminate();
  }
});

test("a worker is sent a cluster's nodes once: the next job on the same thread names the cluster only", { timeout: 60_000 }, async () => {
  const { checks, files, republished } = setUp();
  const posted: SimulationJobsMessage[] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: SimulationJobsMessage, ...rest: unknown[]) {
    posted.push(message);
    return (post as (...args: unknown[]) => void).call(this, message, ...rest);
  } as typeof post;
  try {
    let answer = republished();
    checks.schedule();
    await answer;
    files.update(URI, TEXT.replace('replicas: 3', 'replicas: 2'));
    answer = republished();
    checks.schedule();
    await answer;
  } finally {
    Worker.prototype.postMessage = post;
  }
  assert.equal(posted.length, 2);
  assert.equal(Object.keys(posted[0].clusters).length, 1);
  assert.deepEqual(posted[1].clusters, {});
});
