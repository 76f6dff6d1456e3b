// The protocol's podsAtStep (what the client and the webview use to decode delta steps) must agree
// with the engine's own copy on real runs, full and delta.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from '../../server/src/engine';
import { podsAtStep as enginePodsAtStep } from '../../server/src/engine/timeline';
import { podsAtStep } from '../../server/src/protocol';

function deployment(image: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

test('podsAtStep of the protocol matches the engine on every step of a delta and a full rollout', () => {
  for (const snapshotMode of ['delta', 'full'] as const) {
    const result = simulate({ objects: [deployment('nginx:1.28', 12)], before: deployment('nginx:1.27', 12), snapshotMode });
    assert.deepEqual(result.problems, []);
    assert.ok(result.steps.length > 3, 'a rollout of several steps');
    if (snapshotMode === 'delta') assert.ok(result.steps.some((s) => s.podsDelta && (s.removedPods?.length ?? 0) > 0), 'deltas that remove pods');
    for (let i = -1; i <= result.steps.length; i++) assert.deepEqual(podsAtStep(result, i), enginePodsAtStep(result, i), `${snapshotMode} step ${i}`);
    assert.equal(podsAtStep(result, result.steps.length - 1).filter((p) => !p.terminating).length, 12);
  }
});
