// The step decoders the client and the webview use (through the protocol): a run recorded in
// delta steps decodes, at every step, to exactly the pods the same run lists in full steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from '../../server/src/engine';
import { podsAtStep } from '../../server/src/protocol/wire';

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

test('delta steps decode to the full pod list of every step', () => {
  const run = (snapshotMode: 'delta' | 'full') => simulate({ objects: [deployment('nginx:1.28', 12)], before: deployment('nginx:1.27', 12), snapshotMode });
  const delta = run('delta');
  const full = run('full');
  assert.deepEqual(delta.problems, []);
  assert.equal(delta.steps.length, full.steps.length);
  assert.ok(delta.steps.some((s) => s.podsDelta && (s.removedPods?.length ?? 0) > 0), 'deltas that remove pods');
  const byName = (pods: { name: string }[]) => [...pods].sort((a, b) => a.name.localeCompare(b.name));
  for (let i = 0; i < full.steps.length; i++) assert.deepEqual(byName(podsAtStep(delta, i)), byName(full.steps[i].pods), `step ${i}`);
  assert.deepEqual(podsAtStep(delta, -1), []);
  assert.deepEqual(podsAtStep(delta, delta.steps.length), []);
  assert.equal(podsAtStep(delta, delta.steps.length - 1).filter((p) => !p.terminating).length, 12);
});
