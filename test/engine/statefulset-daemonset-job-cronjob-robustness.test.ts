// Bad input never throws out of the controllers: garbage specs sync on a real World without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCronJobController } from '../../server/src/engine/controllers/cronjob';
import { createDaemonSetController } from '../../server/src/engine/controllers/daemonset';
import { createJobController } from '../../server/src/engine/controllers/job';
import { createStatefulSetController } from '../../server/src/engine/controllers/statefulset';
import { DEFAULT_CLUSTER } from '../../server/src/engine/cluster';
import { SimWorld } from '../../server/src/engine/world';

const garbage: unknown[] = [
  null,
  42,
  'StatefulSet',
  [],
  { spec: null },
  { metadata: { name: 7 }, spec: { replicas: '3', template: 'nginx', ordinals: { start: -4 }, updateStrategy: { rollingUpdate: { partition: 'x', maxUnavailable: {} } } } },
  { metadata: { name: 'x' }, spec: { replicas: -2, parallelism: 'many', completions: null, schedule: 12, timeZone: 3, jobTemplate: [], template: { spec: { containers: 'c', tolerations: 'all', affinity: { nodeAffinity: 5 } } } } },
];

test('every controller factory survives garbage objects', () => {
  for (const object of garbage) {
    const world = new SimWorld({ nodes: DEFAULT_CLUSTER });
    const controllers = [
      createStatefulSetController(object),
      createDaemonSetController(object),
      createJobController(object),
      createCronJobController(object, { startTime: 'not a time' }),
    ];
    for (const c of controllers) {
      assert.doesNotThrow(() => {
        c.sync(world);
        c.status(world);
        c.settled(world);
        c.update(object as Record<string, unknown>);
        c.sync(world);
      }, `${c.kind} with ${JSON.stringify(object)}`);
    }
  }
});
