// The Job controller counts pods as they finish: status counts and completed indexes kept
// between syncs (as upstream keeps them in status), the pod list read only when it must be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletedIndexes, createJobController } from '../../server/src/engine/controllers/job';
import { simulate } from '../../server/src/engine/simulate';
import type { CreatePodOptions, SimPod, World } from '../../server/src/engine/types';

// The former way: sort every index, collapse runs of three or more.
function referenceCompressed(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('CompletedIndexes agrees with sorting every index: compressed text, membership, size, missing indexes', () => {
  for (const seed of [1, 7, 42, 1234]) {
    const random = lcg(seed);
    const set = new CompletedIndexes();
    const added: number[] = [];
    const range = 10 + Math.floor(random() * 60);
    for (let n = 0; n < 80; n++) {
      const i = Math.floor(random() * range);
      set.add(i);
      added.push(i);
      const unique = new Set(added);
      assert.equal(set.compressed(), referenceCompressed(added), `seed ${seed} after ${added.join(',')}`);
      assert.equal(set.size, unique.size);
      for (let k = -1; k <= range; k++) assert.equal(set.has(k), unique.has(k));
      const skip = new Set([Math.floor(random() * range), Math.floor(random() * range)]);
      const limit = 1 + Math.floor(random() * 5);
      const expected: number[] = [];
      for (let k = 0; k < range && expected.length < limit; k++) if (!unique.has(k) && !skip.has(k)) expected.push(k);
      assert.deepEqual(set.missing(range, limit, skip), expected);
    }
    const copy = set.clone();
    copy.add(range + 5);
    assert.equal(set.has(range + 5), false, 'a clone is independent');
  }
  const ignored = CompletedIndexes.of([-1, 1.5, NaN, 3]);
  assert.equal(ignored.compressed(), '3');
});

// A World that only does what a Job needs, counting how often the whole pod list is read.
class CountingWorld implements World {
  now = 0;
  readonly nodes = [];
  readonly faults = {};
  listings = 0;
  private owned: SimPod[] = [];
  pods(): readonly SimPod[] {
    return this.owned;
  }
  podsOwnedBy(uid: string): SimPod[] {
    this.listings++;
    return this.owned.filter((p) => p.owner?.uid === uid);
  }
  releaseOwnedPod(pod: SimPod): void {
    (pod as { owner?: SimPod['owner'] }).owner = undefined;
  }
  createPod(o: CreatePodOptions): SimPod {
    const pod: SimPod = {
      uid: `${o.name}-${this.owned.length}`,
      name: o.name,
      namespace: 'default',
      labels: { ...o.template.labels, ...(o.extraLabels ?? {}) },
      annotations: { ...(o.template.annotations ?? {}) },
      owner: o.owner,
      revision: o.revision,
      spec: o.template.spec,
      nodeName: 'n1',
      phase: 'Running',
      ready: true,
      createdAt: this.now,
      restartCount: 0,
      completionIndex: o.completionIndex,
    };
    this.owned.push(pod);
    return pod;
  }
  deletePod(pod: SimPod): void {
    pod.deletionTimestamp = this.now;
    pod.ready = false;
  }
  /** Terminating pods leave once their grace period is over (30 s by default). */
  removeTerminated(): void {
    this.owned = this.owned.filter((p) => p.deletionTimestamp === undefined || this.now < p.deletionTimestamp + 30);
  }
  running(): SimPod[] {
    return this.owned.filter((p) => p.phase === 'Running' && p.deletionTimestamp === undefined);
  }
  event(): void {}
  requeueAt(): void {}
  nameSuffix(seed: string): string {
    let h = 0;
    for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h.toString(36).slice(0, 5);
  }
  services() {
    return [];
  }
  setServiceSelector(): void {}
  setTrafficRule(): void {}
}

const job = (spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
});

// Every sync: the running pods end (every `failEvery`-th one fails), then the Job syncs again.
function drive(world: CountingWorld, controller: ReturnType<typeof createJobController>, failEvery = 0): number {
  let syncs = 0;
  let finished = 0;
  while (controller.finishedAs === undefined && syncs < 10_000) {
    controller.sync(world);
    syncs++;
    world.now += 10;
    for (const pod of world.running()) pod.phase = failEvery > 0 && ++finished % failEvery === 0 ? 'Failed' : 'Succeeded';
  }
  return syncs;
}

test('a Job of 3,000 completions counts every pod once and reads the pod list only at its first sync', () => {
  const world = new CountingWorld();
  const controller = createJobController(job({ completions: 3000, parallelism: 100 }));
  const syncs = drive(world, controller);
  assert.equal(controller.finishedAs, 'Complete');
  assert.ok(syncs >= 30, `${syncs} syncs`);
  assert.equal(world.listings, 1);
  const row = controller.status(world)[0].columns;
  assert.equal(row.SUCCEEDED, 3000);
  assert.equal(row.COMPLETIONS, '3000/3000');
  assert.equal(row.ACTIVE, 0);
});

test('an Indexed Job reports its completed indexes from the kept intervals, and failures toward backoffLimit', () => {
  const world = new CountingWorld();
  const controller = createJobController(job({ completions: 500, parallelism: 40, completionMode: 'Indexed', backoffLimit: 1000 }));
  drive(world, controller, 7);
  assert.equal(controller.finishedAs, 'Complete');
  const row = controller.status(world)[0].columns;
  assert.equal(row.COMPLETED_INDEXES, '0-499');
  assert.equal(row.SUCCEEDED, 500);
  // Every failed pod was replaced under its index: as many failures as pods beyond the 500.
  const failed = world.pods().filter((p) => p.phase === 'Failed').length;
  assert.ok(failed > 0);
  assert.equal(row.FAILED, failed);

  const strict = new CountingWorld();
  const limited = createJobController(job({ completions: 500, parallelism: 40, backoffLimit: 3 }));
  drive(strict, limited, 2);
  assert.equal(limited.finishedAs, 'Failed');
  // FailureTarget while the killed pods terminate, then Failed (delayTerminalCondition).
  assert.deepEqual(limited.conditions(), ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
});

test('pods deleted on suspend count as failed (isPodFailed), are dropped once gone, and the Job resumes after the back-off', () => {
  const world = new CountingWorld();
  const controller = createJobController(job({ completions: 10, parallelism: 4 }));
  controller.sync(world);
  assert.equal(world.running().length, 4);
  controller.update(job({ completions: 10, parallelism: 4, suspend: true }));
  controller.sync(world);
  assert.equal(world.running().length, 0);
  assert.equal(controller.status(world)[0].columns.ACTIVE, 0);
  world.now += 40;
  world.removeTerminated();
  const listingsBefore = world.listings;
  controller.update(job({ completions: 10, parallelism: 4 }));
  controller.sync(world);
  assert.equal(world.listings, listingsBefore + 1, 'the list is read again once the deleted pods should have left');
  assert.equal(controller.status(world)[0].columns.FAILED, 4);
  // Four failures: 80 s of back-off counted from the deletion at t=0.
  assert.equal(world.running().length, 0);
  world.now = 80;
  controller.sync(world);
  assert.equal(world.running().length, 4);
  for (const pod of world.running()) pod.phase = 'Succeeded';
  world.now += 10;
  controller.sync(world);
  assert.equal(controller.status(world)[0].columns.SUCCEEDED, 4);
  assert.equal(world.listings, listingsBefore + 1);
});

test('lowering parallelism deletes the surplus; the deleted pods count as failed and toward backoffLimit', () => {
  const world = new CountingWorld();
  const controller = createJobController(job({ completions: 20, parallelism: 5, backoffLimit: 2 }));
  controller.sync(world);
  controller.update(job({ completions: 20, parallelism: 2, backoffLimit: 2 }));
  controller.sync(world);
  assert.equal(world.running().length, 2);
  world.now += 1;
  controller.sync(world);
  // The two survivors are killed; the Job shows FailureTarget until they have terminated.
  assert.equal(controller.finishedAs, undefined);
  assert.deepEqual(controller.conditions(), ['FailureTarget=True/BackoffLimitExceeded']);
  assert.equal(controller.status(world)[0].columns.STATUS, 'FailureTarget');
  world.now += 30;
  world.removeTerminated();
  controller.sync(world);
  assert.equal(controller.finishedAs, 'Failed');
  assert.deepEqual(controller.conditions(), ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
  assert.equal(controller.status(world)[0].columns.FAILED, 5);
});

test('backoffRecord: a success in the same sync clears the failures beside it; a failure alone delays the replacement', () => {
  const world = new CountingWorld();
  const controller = createJobController(job({ completions: 10, parallelism: 2 }));
  controller.sync(world);
  const [first, second] = world.running();
  first.phase = 'Succeeded';
  second.phase = 'Failed';
  world.now += 10;
  controller.sync(world);
  assert.equal(world.running().length, 2, 'no back-off: the failure did not finish after the success');

  const [third] = world.running();
  third.phase = 'Failed';
  world.now += 10;
  controller.sync(world);
  assert.equal(world.running().length, 1, 'the replacement waits for the 10 s pod-failure back-off');
  world.now += 10;
  controller.sync(world);
  assert.equal(world.running().length, 2);
  assert.equal(controller.status(world)[0].columns.FAILED, 2);
});

test('simulated: pods evicted from a NotReady node count as failed, are replaced, and the Job still completes', () => {
  const long = job({ completions: 6, parallelism: 3 });
  (long.spec.template as { metadata?: unknown }).metadata = { annotations: { 'kdry.dev/run-seconds': '600' } };
  const healthy = simulate({ objects: [long] });
  const evicting = simulate({ objects: [long], faults: { nodeNotReady: [{ node: 'worker-1', at: 30 }] } });
  const row = (r: typeof healthy) => r.steps[r.steps.length - 1].status.find((s) => s.object === 'job.batch/work')?.columns;
  assert.equal(row(healthy)?.FAILED, 0);
  const evicted = evicting.steps.flatMap((s) => s.events).filter((e) => e.message.startsWith('Marking for deletion Pod')).length;
  assert.ok(evicted > 0, 'the fault evicts a pod of the Job');
  assert.equal(row(evicting)?.FAILED, evicted);
  assert.equal(row(evicting)?.SUCCEEDED, 6);
  assert.deepEqual(evicting.summary.conditions, ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
});

test('backoffLimitPerIndex: an index fails after its own retries, the others complete, the Job ends with FailedIndexes', () => {
  const world = new CountingWorld();
  const spec = { completions: 4, parallelism: 4, completionMode: 'Indexed', backoffLimitPerIndex: 1 };
  const controller = createJobController(job(spec));
  const indexOf = (p: SimPod) => p.annotations['batch.kubernetes.io/job-completion-index'];
  for (let round = 0; round < 20 && controller.finishedAs === undefined; round++) {
    controller.sync(world);
    for (const pod of world.running()) pod.phase = indexOf(pod) === '2' ? 'Failed' : 'Succeeded';
    world.now += 15;
  }
  const retried = world.pods().filter((p) => indexOf(p) === '2');
  assert.deepEqual(retried.map((p) => p.annotations['batch.kubernetes.io/job-index-failure-count']), ['0', '1']);
  assert.deepEqual(controller.conditions(), ['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
  const row = controller.status(world)[0].columns;
  assert.equal(row.COMPLETED_INDEXES, '0,1,3');
  assert.equal(row.FAILED_INDEXES, '2');
  assert.equal(row.FAILED, 2);
});

test('simulated: crashing pods with backoffLimitPerIndex fail every index; maxFailedIndexes stops the Job at the first one over', () => {
  const spec = { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 };
  const all = simulate({ objects: [job(spec)], faults: { crashLoopRevision: 'new' } });
  assert.deepEqual(all.summary.conditions, ['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
  const row = all.steps[all.steps.length - 1].status.find((s) => s.object === 'job.batch/work')?.columns;
  assert.equal(row?.FAILED_INDEXES, '0-2');
  assert.equal(row?.FAILED, 6);
  const capped = simulate({ objects: [job({ ...spec, maxFailedIndexes: 0 })], faults: { crashLoopRevision: 'new' } });
  assert.deepEqual(capped.summary.conditions, ['FailureTarget=True/MaxFailedIndexesExceeded', 'Failed=True/MaxFailedIndexesExceeded']);
});
