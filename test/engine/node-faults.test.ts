// A node failed from the start of a run, as upstream would have it before any pod is created.
// pkg/controller/nodelifecycle/node_lifecycle_controller.go: doNoScheduleTaintingPass maps the
// Ready condition False to the taint node.kubernetes.io/not-ready:NoSchedule (Unknown to
// unreachable), and the scheduler's TaintToleration filter (pkg/scheduler/framework/plugins/
// tainttoleration) then rejects the node for every pod that does not tolerate it. So no pod of a
// workload created after the failure is ever bound there, not even in the first scheduling pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../server/src/engine/simulate';
import { podsAtStep } from '../../server/src/engine/timeline';
import { deployment } from './world.fixtures';

describe('a node NotReady from the start', () => {
  const result = simulate({ objects: [deployment('web', 6, 'x')], faults: { nodeNotReady: [{ node: 'worker-1', at: 0 }] } });

  it('carries the not-ready taints before the first scheduling pass', () => {
    const first = result.steps[0];
    assert.equal(first.time, 0);
    assert.ok(first.events.some((e) => e.message === 'Node worker-1 status is now: NodeNotReady'));
    const node = result.cluster.nodeDetails?.find((n) => n.name === 'worker-1');
    assert.equal(node?.ready, false);
    assert.deepEqual(node?.taints.filter((t) => t.key === 'node.kubernetes.io/not-ready').map((t) => t.effect).sort(), ['NoExecute', 'NoSchedule']);
  });

  it('is never chosen by the scheduler: no pod on it, no eviction, nothing to replace', () => {
    for (let i = 0; i < result.steps.length; i++) assert.ok(podsAtStep(result, i).every((p) => p.node !== 'worker-1'), `step ${i}`);
    assert.ok(!result.steps.some((s) => s.events.some((e) => /Marking for deletion|PodGC/.test(e.message))));
    assert.equal(result.summary.completed, true);
  });

  it('a node failing later still takes its pods down (the fault is applied when due)', () => {
    const later = simulate({ objects: [deployment('web', 6, 'x')], faults: { nodeNotReady: [{ node: 'worker-1', at: 30 }] } });
    assert.ok(podsAtStep(later, 0).some((p) => p.node === 'worker-1'));
    assert.equal(later.steps.find((s) => s.events.some((e) => e.message === 'Node worker-1 status is now: NodeNotReady'))?.time, 30);
  });
});
