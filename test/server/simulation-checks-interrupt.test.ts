// An edit stops the simulation checks' running job (it is for older text, and it would hold the
// second core while the user types; simulation-checks-runner.ts cancelRunning); the job runs again
// once typing pauses, even when the text it reads is the same as the stopped job's (an edit in a
// comment), so its findings still come.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileStore } from '../../server/src/lsp/files';
import { SimulationChecks, type SimulationJobsAnswer } from '../../server/src/lsp/simulation-checks-runner';
import { DEFAULT_KUBERNETES_VERSION, DEFAULT_SETTINGS } from '../../server/src/settings';
import { loadCluster } from '../../server/src/workspace/cluster-file';
import { container, deployment } from '../simulation-checks/manifests';
import { ensureBuilt, REPO } from './lsp-client';

const URI = 'file:///virtual/many.yaml';
const requests = (cpu: string) => container(`        resources:\n          requests:\n            cpu: ${cpu}\n            memory: 64Mi\n`);

test('an interrupted job runs again after the pause, and its findings come', { timeout: 60_000 }, async () => {
  ensureBuilt();
  const files = new FileStore();
  // The worker reads the generation before each workload; the last one fits on no node.
  const docs = Array.from({ length: 40 }, (_, i) => deployment(`app-${i}`, requests('10m')));
  docs.push(deployment('too-big', requests('"64"')));
  files.update(URI, docs.join('---\n'));
  const cluster = await loadCluster(undefined);
  let republished = 0;
  const checks = new SimulationChecks(
    {
      files,
      openUris: () => [URI],
      settings: () => DEFAULT_SETTINGS,
      clusterFor: async () => ({ cluster, shown: 'the embedded default cluster' }),
      release: () => DEFAULT_KUBERNETES_VERSION,
      republish: () => republished++,
    },
    join(REPO, 'dist', 'simulation-checks-worker.js'),
    0,
  );
  const answers: SimulationJobsAnswer[] = [];
  const internals = checks as unknown as { pending?: unknown; receive(message: SimulationJobsAnswer): void };
  const receive = internals.receive.bind(checks);
  internals.receive = (message) => (answers.push(message), receive(message));
  try {
    checks.schedule();
    while (!internals.pending) await sleep(1);
    // The edit (its check schedules the checks again): the job just posted is for the text before
    // it. The text read is the same.
    checks.schedule();
    while (republished === 0) await sleep(5);
    assert.equal(answers[0].cancelled, true, 'the first job stopped');
    const findings = checks.findingsFor(files.get(URI)!);
    assert.ok(findings.some((f) => f.ruleId === 'unschedulable-replicas'), findings.map((f) => f.ruleId).join(', '));
  } finally {
    (checks as unknown as { stopWorker(): void }).stopWorker();
  }
});
