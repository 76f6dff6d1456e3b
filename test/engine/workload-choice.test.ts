// One picker for the editor, the CLI and the engine (engine/workload.ts): which objects can be
// simulated, which one runs when none is named, and the "before" object of a rollout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseWorkload, findBeforeWorkload, simulatableWorkloads } from '../../server/src/engine';

const obj = (kind: string, name?: string, extra: Record<string, unknown> = {}) => ({ kind, ...(name === undefined ? {} : { metadata: { name } }), ...extra });

test('every simulated kind with a name is a candidate, in file order, with its index', () => {
  const objects = [obj('Service', 'web'), obj('Pod', 'debug'), null, obj('Rollout', 'web'), obj('Deployment'), 'text', obj('ConfigMap', 'c'), obj('CronJob', 'report')];
  assert.deepEqual(simulatableWorkloads(objects), [
    { kind: 'Pod', name: 'debug', index: 1 },
    { kind: 'Rollout', name: 'web', index: 3 },
    { kind: 'CronJob', name: 'report', index: 7 },
  ]);
});

test('default choice: the first workload that is not a bare Pod, else the first Pod', () => {
  const withHelper = simulatableWorkloads([obj('Pod', 'debug'), obj('Rollout', 'web'), obj('Job', 'migrate')]);
  assert.equal(chooseWorkload(withHelper)?.name, 'web');
  const onlyPods = simulatableWorkloads([obj('Pod', 'a'), obj('Pod', 'b')]);
  assert.equal(chooseWorkload(onlyPods)?.name, 'a');
  assert.equal(chooseWorkload([]), undefined);
});

test('a wanted workload: by name, or Kind/name with the kind in any case (kubectl style); absent means undefined', () => {
  const candidates = simulatableWorkloads([obj('Deployment', 'web'), obj('StatefulSet', 'web'), obj('Job', 'once')]);
  assert.deepEqual(chooseWorkload(candidates, { kind: 'statefulset', name: 'web' }), { kind: 'StatefulSet', name: 'web', index: 1 });
  assert.equal(chooseWorkload(candidates, { name: 'web' })?.kind, 'Deployment', 'a bare name takes the first with it');
  assert.equal(chooseWorkload(candidates, { kind: 'Job', name: 'web' }), undefined);
  assert.equal(chooseWorkload(candidates, { name: 'none' }, () => true), undefined, 'a wanted workload is never replaced by a preferred one');
});

test('a preferred workload (the editor: the one under the cursor) wins over the default', () => {
  const candidates = simulatableWorkloads([obj('Deployment', 'web'), obj('Pod', 'debug')]);
  assert.equal(chooseWorkload(candidates, undefined, (c) => c.index === 1)?.name, 'debug');
  assert.equal(chooseWorkload(candidates, undefined, () => false)?.name, 'web');
});

test('the before object: same kind and name, else the first of that kind (a rename), else none', () => {
  const earlier = [obj('Deployment', 'api', { v: 1 }), obj('Deployment', 'web', { v: 2 }), obj('Service', 'web')];
  assert.equal(findBeforeWorkload(earlier, { kind: 'Deployment', name: 'web' })?.v, 2);
  assert.equal(findBeforeWorkload(earlier, { kind: 'Deployment', name: 'renamed' })?.v, 1);
  assert.equal(findBeforeWorkload(earlier, { kind: 'StatefulSet', name: 'web' }), undefined);
});
