// The simulation checks know a workload by what the engine reads of it (its parsed object), not
// by its text (simulation-checks-runner.ts, simulation-reuse.ts inputKey): an edit the engine does
// not read (a comment, spacing, quoting) posts no job to the worker thread, and the rules read the
// last answer again against the edited text, so the findings (and their fixes) are those a fresh
// open of the new text gets, each on the line that moved. An edit the engine reads is simulated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fixesOf, type Finding } from '../../server/src/findings';
import { FileStore } from '../../server/src/lsp/files';
import { SimulationChecks, type SimulationJobsMessage } from '../../server/src/lsp/simulation-checks-runner';
import { simulationRuleFixtures } from '../../server/src/simulation-checks/fixture-files';
import { DEFAULT_KUBERNETES_VERSION, DEFAULT_SETTINGS } from '../../server/src/settings';
import { loadCluster } from '../../server/src/workspace/cluster-file';
import { container, deployment } from '../simulation-checks/manifests';
import { ensureBuilt, REPO } from './lsp-client';

const WORKER = join(REPO, 'dist', 'simulation-checks-worker.js');
const URI = 'file:///ws/app/web.yaml';
/** A Deployment no node can hold (a finding on `cpu`, with a fix that lowers it) and a Job past its deadline. */
const TEXT = `${deployment('web', container('        resources:\n          requests:\n            cpu: "8"\n'))}---\n${simulationRuleFixtures('job-deadline-exceeded').bad[0]}`;

const posted: SimulationJobsMessage[] = [];
const post = Worker.prototype.postMessage;
const running: SimulationChecks[] = [];

before(() => {
  ensureBuilt();
  Worker.prototype.postMessage = function (this: Worker, message: SimulationJobsMessage, ...rest: unknown[]) {
    posted.push(message);
    return (post as (...args: unknown[]) => void).call(this, message, ...rest);
  } as typeof post;
});

after(() => {
  Worker.prototype.postMessage = post;
  for (const checks of running) (checks as unknown as { stopWorker(): void }).stopWorker();
});

/** The checks over one open file on the embedded cluster, with the worker thread; `run` edits (or opens) and resolves at the republish. */
function checksOver(text: string): { files: FileStore; run(next?: string): Promise<Finding[]> } {
  const files = new FileStore();
  files.update(URI, text);
  let onRepublish: (() => void) | undefined;
  const checks = new SimulationChecks(
    {
      files,
      openUris: () => [URI],
      settings: () => DEFAULT_SETTINGS,
      clusterFor: async () => ({ cluster: await loadCluster(undefined), shown: 'the embedded default cluster' }),
      release: () => DEFAULT_KUBERNETES_VERSION,
      republish: () => onRepublish?.(),
    },
    WORKER,
    0,
  );
  running.push(checks);
  return {
    files,
    async run(next) {
      if (next !== undefined) files.update(URI, next);
      const republished = new Promise<void>((resolve) => (onRepublish = resolve));
      checks.schedule();
      await republished;
      return checks.findingsFor(files.get(URI)!);
    },
  };
}

/** Findings as published, with their fixes built: what a code action would offer. */
function shown(findings: Finding[]): string {
  return JSON.stringify(findings.map((f) => ({ ...f, fixes: fixesOf(f) })));
}

async function freshOpen(text: string): Promise<string> {
  return shown(await checksOver(text).run());
}

test('an edit the engine does not read posts no job, and the findings are those of a fresh open, on the lines that moved', { timeout: 120_000 }, async () => {
  const editor = checksOver(TEXT);
  const first = await editor.run();
  assert.deepEqual(first.map((f) => f.ruleId).sort(), ['job-deadline-exceeded', 'unschedulable-replicas']);
  const postedAtOpen = posted.length;
  const cpuFinding = (findings: Finding[], text: string) => {
    const f = findings.find((x) => x.ruleId === 'unschedulable-replicas')!;
    return { at: text.slice(f.range[0], f.range[1]), start: f.range[0] };
  };

  // A comment line above the request: the finding moves down by the comment's length, within its document.
  const comment = '        # sized for the batch tier\n';
  const commented = TEXT.replace('        resources:\n', `${comment}        resources:\n`);
  const afterComment = await editor.run(commented);
  assert.equal(posted.length, postedAtOpen, 'no job posted for a comment');
  assert.deepEqual(cpuFinding(afterComment, commented), { at: 'cpu', start: cpuFinding(first, TEXT).start + comment.length });
  assert.equal(shown(afterComment), await freshOpen(commented));

  // Spacing and quoting: the same value.
  const respaced = commented.replace('cpu: "8"', "cpu:    '8'");
  const afterSpacing = await editor.run(respaced);
  assert.equal(posted.length, postedAtOpen + 1, 'no job posted for spacing (the fresh open above posted one)');
  assert.equal(shown(afterSpacing), await freshOpen(respaced));
  // The fix lowers the value where it now is.
  const fix = fixesOf(afterSpacing.find((f) => f.ruleId === 'unschedulable-replicas')!)[0];
  assert.equal(respaced.slice(fix.edits[0].range[0], fix.edits[0].range[1]), "'8'");

  // A request the engine reads: simulated again, the Deployment's object sent.
  const before = posted.length;
  const raised = respaced.replace("cpu:    '8'", 'cpu: "9"');
  const afterRaise = await editor.run(raised);
  const jobs = posted.slice(before);
  assert.equal(jobs.length, 1, 'one job posted for the changed request');
  const sent = jobs[0].jobs[0].workloads.filter((w) => w.object !== undefined);
  assert.deepEqual(sent.map((w) => w.key), [`${URI}#0`], 'only the Deployment is sent again');
  assert.match(afterRaise.find((f) => f.ruleId === 'unschedulable-replicas')!.message, /Insufficient cpu/);
  assert.equal(shown(afterRaise), await freshOpen(raised));
});

test('a comment in one workload while another changes: only the changed one is simulated', { timeout: 120_000 }, async () => {
  const two = `${TEXT}---\n${deployment('api', container('        resources:\n          requests:\n            cpu: 100m\n'))}`;
  const editor = checksOver(two);
  await editor.run();
  const before = posted.length;
  const next = two.replace('kind: Deployment\nmetadata:\n  name: web', 'kind: Deployment\n# the front end\nmetadata:\n  name: web').replace('cpu: 100m', 'cpu: "12"');
  const found = await editor.run(next);
  const sent = posted.slice(before).flatMap((m) => m.jobs[0].workloads.filter((w) => w.object !== undefined).map((w) => w.key));
  assert.deepEqual(sent, [`${URI}#2`]);
  assert.equal(found.filter((f) => f.ruleId === 'unschedulable-replicas').length, 2);
  assert.equal(shown(found), await freshOpen(next));
});
