// The score plugins' arithmetic: LeastAllocated, BalancedAllocation, TaintToleration,
// NodeAffinity and DefaultNormalizeScore, on NodeInfos built by the cache.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  balancedAllocationScore,
  countIntolerableTaintsPreferNoSchedule,
  defaultNormalizeScore,
  isBestEffortForScoring,
  leastAllocatedScore,
  leastRequestedScore,
  podInfo,
  preferredNodeAffinityScore,
  SchedulerCache,
} from '../../server/src/engine/scheduler';
import { node, pod, requesting } from './scheduler.fixtures';

const GI = 2 ** 30;

describe('LeastAllocated', () => {
  test('integer arithmetic per resource, weighted integer mean', () => {
    assert.equal(leastRequestedScore(3000, 4000), 25);
    assert.equal(leastRequestedScore(1, 3), 66);
    assert.equal(leastRequestedScore(5000, 4000), 0);
    const cache = new SchedulerCache([node('n', { cpu: 4000, memory: 8 * GI })], [pod(requesting({ cpu: '1', memory: '2Gi' }), { nodeName: 'n', phase: 'Running' })]);
    const incoming = podInfo(pod(requesting({ cpu: '1', memory: '2Gi' })));
    // cpu (4000-2000)*100/4000 = 50, memory (8-4)*100/8 = 50
    assert.equal(leastAllocatedScore(cache.nodeInfo('n')!, incoming.spec.nonZeroRequests), 50);
    assert.equal(
      leastAllocatedScore(cache.nodeInfo('n')!, incoming.spec.nonZeroRequests, [
        { name: 'cpu', weight: 3 },
        { name: 'memory', weight: 1 },
      ]),
      50,
    );
  });
  test('containers without requests count as 100m / 200Mi for scoring only', () => {
    const cache = new SchedulerCache([node('n', { cpu: 1000, memory: 1000 * 2 ** 20 })], [pod({ containers: [{ name: 'a' }] }, { nodeName: 'n', phase: 'Running' })]);
    const info = cache.nodeInfo('n')!;
    assert.equal(info.requested.cpu ?? 0, 0);
    assert.deepEqual(info.nonZeroRequested, { cpu: 100, memory: 200 * 2 ** 20 });
    const incoming = podInfo(pod({ containers: [{ name: 'b' }] }));
    // cpu (1000-200)*100/1000 = 80; memory (1000-400)*100/1000 = 60; mean 70
    assert.equal(leastAllocatedScore(info, incoming.spec.nonZeroRequests), 70);
  });
  test('an explicit zero request stays zero', () => {
    assert.equal(podInfo(pod(requesting({ cpu: '0', memory: '0' }))).spec.nonZeroRequests.cpu, 0);
  });
});

describe('BalancedAllocation', () => {
  test('1 - |cpu fraction - memory fraction| / 2, truncated', () => {
    const cache = new SchedulerCache([node('n', { cpu: 4000, memory: 4 * GI })]);
    // cpu 1000/4000 = .25, memory 3Gi/4Gi = .75 -> std .25 -> 75
    assert.equal(balancedAllocationScore(cache.nodeInfo('n')!, podInfo(pod(requesting({ cpu: '1', memory: '3Gi' }))).spec.requests), 75);
  });
  test('fractions are capped at 1 and a best-effort pod skips the plugin', () => {
    const cache = new SchedulerCache([node('n', { cpu: 1000, memory: 4 * GI })]);
    assert.equal(balancedAllocationScore(cache.nodeInfo('n')!, podInfo(pod(requesting({ cpu: '4', memory: '2Gi' }))).spec.requests), 75);
    assert.equal(isBestEffortForScoring(podInfo(pod({ containers: [{ name: 'x' }] })).spec.requests), true);
    assert.equal(isBestEffortForScoring(podInfo(pod(requesting({ memory: '1Mi' }))).spec.requests), false);
  });
});

describe('TaintToleration score', () => {
  test('counts untolerated PreferNoSchedule taints; only PreferNoSchedule or empty-effect tolerations count', () => {
    const taints = [
      { key: 'a', effect: 'PreferNoSchedule' as const },
      { key: 'b', effect: 'PreferNoSchedule' as const },
      { key: 'c', effect: 'NoSchedule' as const },
    ];
    assert.equal(countIntolerableTaintsPreferNoSchedule(taints, []), 2);
    assert.equal(countIntolerableTaintsPreferNoSchedule(taints, [{ key: 'a', operator: 'Exists' }]), 1);
    assert.equal(countIntolerableTaintsPreferNoSchedule(taints, [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }]), 2);
  });
});

describe('NodeAffinity score and normalisation', () => {
  test('sums the weights of matching preferred terms', () => {
    const terms = [
      { weight: 2, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
      { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
    ];
    assert.equal(preferredNodeAffinityScore(terms, node('n', { labels: { disk: 'ssd', zone: 'a' } })), 7);
    assert.equal(preferredNodeAffinityScore(terms, node('m')), 0);
  });
  test('DefaultNormalizeScore scales to 100 by the maximum, reversed for taints', () => {
    const scores = [0, 3, 6];
    defaultNormalizeScore(scores, false);
    assert.deepEqual(scores, [0, 50, 100]);
    const reversed = [0, 1, 2];
    defaultNormalizeScore(reversed, true);
    assert.deepEqual(reversed, [100, 50, 0]);
    const zeros = [0, 0];
    defaultNormalizeScore(zeros, true);
    assert.deepEqual(zeros, [100, 100]);
  });
});
