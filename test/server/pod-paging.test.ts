// kdry/simulate for the Dry-run view, paged (server/src/lsp/pod-paging.ts): a run with more pods than
// the view's window sends the first pods created, exactly as the whole run has them at every step,
// counts of every pod per step equal to the whole run's, and pages of any step's pods on request
// (kdry/simulatePods, from the worker that keeps the run). Parameters are validated.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { join } from 'node:path';
import { podsAtStep, simulate, type PodSnapshot, type SimNode, type SimulateOptions } from '../../server/src/engine';
import { pagedResult, podCounts, podsPage } from '../../server/src/lsp/pod-paging';
import { CANCELLED, SimulationRunner } from '../../server/src/lsp/simulation-runner';
import { CancellationTokenSource } from 'vscode-languageserver';
import { handleSimulatePods } from '../../server/src/lsp/simulate';
import { validateSimulateParams, validateSimulatePodsParams } from '../../server/src/lsp/validate-requests';
import { ensureBuilt, REPO } from './lsp-client';

const WORKER = join(REPO, 'dist', 'simulation-worker.js');

/** 40 nodes of 10 pods: 1,200 replicas leave some Pending, so the Pending lanes are counted too. */
const NODES: SimNode[] = Array.from({ length: 40 }, (_, i) => ({ name: `node-${i}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 10 } }));

function rollout(replicas: number): SimulateOptions {
  const deployment = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m' } } }] } } },
  });
  return { objects: [deployment('nginx:1.28')], before: deployment('nginx:1.27'), nodes: NODES };
}

before(() => {
  ensureBuilt();
});

test('the paged steps hold the first pods created exactly as the whole run has them, and the counts are the whole run\'s', () => {
  const whole = simulate(rollout(300));
  const paged = pagedResult(whole, 100);
  assert.ok(paged.result !== whole, 'more pods than the window');
  assert.ok(paged.paging.pods > 300, `pods created over the rollout (${paged.paging.pods})`);
  const firstCreated = new Set<string>();
  for (const step of whole.steps) for (const pod of step.pods) if (firstCreated.size < 100) firstCreated.add(pod.name);
  let pendingSeen = 0;
  whole.steps.forEach((_, i) => {
    const all = podsAtStep(whole, i);
    assert.deepEqual(podsAtStep(paged.result, i), all.filter((p) => firstCreated.has(p.name)), `step ${i}`);
    const counts = paged.paging.counts[i];
    assert.equal(counts.total, all.length);
    // Per node: the changes folded up to the step equal the pods bound there.
    const folded = new Map<string, number>();
    for (const at of paged.paging.counts.slice(0, i + 1)) for (const [node, n] of Object.entries(at.nodes)) folded.set(node, n);
    for (const node of NODES) assert.equal(folded.get(node.name) ?? 0, all.filter((p) => p.node === node.name).length, `step ${i} ${node.name}`);
    const pending = all.filter((p) => !p.node && !p.terminating);
    assert.equal(counts.pending.reduce((n, l) => n + l.count, 0), pending.length);
    for (const lane of counts.pending) {
      const mine = pending.filter((p) => (p.reason ?? 'waiting for the scheduler') === lane.reason);
      assert.deepEqual([lane.count, lane.names], [mine.length, mine.slice(0, 5).map((p) => p.name)], `step ${i} ${lane.reason}`);
    }
    pendingSeen += pending.length;
    for (const [revision, c] of Object.entries(counts.byRevision)) {
      const mine = all.filter((p) => p.revision === revision);
      assert.deepEqual([c.total, c.terminating, c.live, c.liveReady], [mine.length, mine.filter((p) => p.terminating).length, mine.filter((p) => !p.terminating).length, mine.filter((p) => !p.terminating && p.ready).length]);
    }
  });
  assert.ok(pendingSeen > 0, 'some steps have Pending pods');
  assert.deepEqual(paged.paging.revisions.length, 2);
  // A run within the window is sent with all its pods, and counted the same way.
  const within = pagedResult(whole, 100_000);
  assert.equal(within.result, whole);
  assert.deepEqual(within.paging, { ...paged.paging, window: 100_000 });
  // At the edge: a window of exactly the pods created keeps every pod, one fewer leaves the last out.
  assert.equal(pagedResult(whole, paged.paging.pods).result, whole);
  const cut = pagedResult(whole, paged.paging.pods - 1);
  assert.equal(cut.paging.pods, paged.paging.pods);
  assert.notDeepEqual(podsAtStep(cut.result, whole.steps.length - 1), podsAtStep(whole, whole.steps.length - 1));
});

test('a page is the pods at the step in creation order, on one node when asked', () => {
  const whole = simulate(rollout(300));
  const last = whole.steps.length - 1;
  const all = podsAtStep(whole, last);
  assert.deepEqual(podsPage(whole, { step: last, offset: 100, limit: 50 }), { pods: all.slice(100, 150), total: all.length });
  const onNode = all.filter((p: PodSnapshot) => p.node === 'node-3');
  assert.deepEqual(podsPage(whole, { step: last, node: 'node-3', offset: 0, limit: 48 }), { pods: onNode.slice(0, 48), total: onNode.length });
  assert.match(podsPage(whole, { step: last + 1, offset: 0, limit: 10 }).error!, /no step/);
  assert.deepEqual(podCounts(whole).counts.length, whole.steps.length);
});

test('pages asked step after step (forward, then back) are the pods each step has, folded on from the step asked before', () => {
  const whole = simulate({ ...rollout(300), snapshotMode: 'delta' });
  const order = [...whole.steps.keys(), ...[...whole.steps.keys()].reverse(), 3, 3];
  for (const step of order) {
    const all = podsAtStep(whole, step);
    assert.deepEqual(podsPage(whole, { step, offset: 40, limit: 25 }), { pods: all.slice(40, 65), total: all.length }, `step ${step}`);
  }
});

test('through the worker: a paged run, then pages of it by its id; a run no longer kept says so', async () => {
  const runner = new SimulationRunner(WORKER);
  const answer = await runner.run(rollout(300), undefined, 100);
  assert.ok('result' in answer && answer.paging, 'paged');
  const whole = simulate(rollout(300));
  assert.deepEqual(answer.result, JSON.parse(JSON.stringify(pagedResult(whole, 100).result)));
  const page = await handleSimulatePods({ id: answer.paging.id, step: 3, offset: 120, limit: 30 }, runner);
  assert.deepEqual(page, JSON.parse(JSON.stringify(podsPage(whole, { step: 3, offset: 120, limit: 30 }))));
  // Two newer paged runs (other inputs: the same ones are answered from the last run): the first is no longer kept.
  await runner.run(rollout(301), undefined, 100);
  await runner.run(rollout(302), undefined, 100);
  assert.match((await handleSimulatePods({ id: answer.paging.id, step: 0, offset: 0, limit: 10 }, runner)).error!, /no longer kept/);
  // A small run is sent the same way: all of its pods, and its counts.
  const small = await runner.run(rollout(3), undefined, 100);
  assert.ok('result' in small && small.paging, 'a small run is paged too');
  assert.deepEqual(small.result, JSON.parse(JSON.stringify(simulate(rollout(3)))));
  assert.deepEqual(small.paging.counts, JSON.parse(JSON.stringify(podCounts(simulate(rollout(3))).counts)));
  assert.ok(small.paging.pods <= small.paging.window);
  runner.dispose();
});

test('pages come from their own thread: answered while a simulation runs, and kept when a capacity or simulate request is cancelled', async () => {
  const runner = new SimulationRunner(WORKER);
  const shown = await runner.run(rollout(300), undefined, 100);
  assert.ok('result' in shown && shown.paging, 'paged');
  const expected = JSON.parse(JSON.stringify(podsPage(simulate(rollout(300)), { step: 2, offset: 0, limit: 20 })));
  // A cancelled capacity request stops the simulation thread; the shown run's pages live on.
  const capacityToken = new CancellationTokenSource();
  const placing = runner.capacity({ workloads: [{ key: 'web', object: rollout(3000).objects[0] as Record<string, unknown> }], nodes: rollout(3000).nodes ?? [] }, capacityToken.token);
  capacityToken.cancel();
  assert.deepEqual(await placing, { error: CANCELLED });
  assert.deepEqual(await handleSimulatePods({ id: shown.paging.id, step: 2, offset: 0, limit: 20 }, runner), expected);
  // A page asked for while a long simulation runs does not wait for it; cancelling that run keeps the pages too.
  const longToken = new CancellationTokenSource();
  let longDone = false;
  const long = runner.run(rollout(50_000), longToken.token).then((answer) => ((longDone = true), answer));
  assert.deepEqual(await handleSimulatePods({ id: shown.paging.id, step: 2, offset: 0, limit: 20 }, runner), expected);
  assert.equal(longDone, false, 'the page came before the running simulation ended');
  longToken.cancel();
  assert.deepEqual(await long, { error: CANCELLED });
  assert.deepEqual(await handleSimulatePods({ id: shown.paging.id, step: 2, offset: 0, limit: 20 }, runner), expected);
  runner.dispose();
});

test('podWindow and kdry/simulatePods parameters are validated', () => {
  assert.equal(validateSimulateParams({ uri: 'file:///a.yaml', podWindow: 0 }).ok, false);
  assert.equal(validateSimulateParams({ uri: 'file:///a.yaml', podWindow: 1e6 }).ok, false);
  assert.deepEqual(validateSimulateParams({ uri: 'file:///a.yaml', podWindow: 500 }), { ok: true, value: { uri: 'file:///a.yaml', podWindow: 500 } });
  assert.deepEqual(validateSimulatePodsParams({ id: 'x', step: 1, offset: 0, limit: 100, extra: 1 }), { ok: true, value: { id: 'x', step: 1, offset: 0, limit: 100 } });
  for (const bad of [{ id: 'x', step: -1, offset: 0, limit: 1 }, { id: 'x', step: 0, offset: 0, limit: 501 }, { id: 'x', step: 0, offset: 0.5, limit: 1 }, { step: 0, offset: 0, limit: 1 }, { id: 'x'.repeat(65), step: 0, offset: 0, limit: 1 }]) {
    const r = validateSimulatePodsParams(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    assert.match((r as { error: string }).error, /^Invalid kdry\/simulatePods request/);
  }
});
