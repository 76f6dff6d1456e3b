// How an AnalysisRun ends by its template's count, interval and failureLimit (engine/patterns/argo-analysis.ts):
// Metric.EffectiveCount (pkg/apis/rollouts/v1alpha1/analysis_types.go) and IntOrString fields as intstr reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisOutcome, analysisTemplatesFrom } from '../../server/src/engine/patterns/argo-analysis';

function outcome(metric: Record<string, unknown>, fails: boolean) {
  const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 't' }, spec: { metrics: [{ name: 'm', provider: { prometheus: { query: 'x' } }, ...metric }] } };
  return analysisOutcome({ templates: [{ name: 't', clusterScope: false }] }, analysisTemplatesFrom([template]), fails);
}

test('count: 0 without an interval is one measurement: the fault fails it at the first', () => {
  const failing = outcome({ count: 0, initialDelay: '30s' }, true);
  assert.deepEqual(failing, { phase: 'Failed', after: 30, message: 'Metric "m" assessed Failed due to failed (1) > failureLimit (0)' });
  assert.deepEqual(outcome({ count: 0, initialDelay: '30s' }, false), { phase: 'Successful', after: 30, message: '' });
});

test('count: 0 with an interval measures until the run is terminated', () => {
  assert.equal(outcome({ count: 0, interval: '1m' }, false).phase, 'Running');
  // failing, it still fails at failureLimit + 1 measurements: 0, 1, 2 min
  const failing = outcome({ count: 0, interval: '1m', failureLimit: 2 }, true);
  assert.equal(failing.phase, 'Failed');
  assert.equal(failing.after, 120);
});

test('count and failureLimit given as strings read as their integers', () => {
  // measurements at 0, 1, 2 min
  assert.deepEqual(outcome({ count: '3', interval: '1m', failureLimit: '1' }, false), { phase: 'Successful', after: 120, message: '' });
  // the second failed measurement (at 1 min) is one more than the limit
  assert.deepEqual(outcome({ count: '3', interval: '1m', failureLimit: '1' }, true), { phase: 'Failed', after: 60, message: 'Metric "m" assessed Failed due to failed (2) > failureLimit (1)' });
});
