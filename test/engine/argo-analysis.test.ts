// How an AnalysisRun ends by its template's count, interval, failureLimit and inconclusiveLimit
// (engine/patterns/argo-analysis.ts): Metric.EffectiveCount (pkg/apis/rollouts/v1alpha1/analysis_types.go),
// assessMetricFailureInconclusiveOrError (analysis/analysis.go) and IntOrString fields as intstr reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisOutcome, analysisTemplatesFrom } from '../../server/src/engine/patterns/argo-analysis';

function outcome(metric: Record<string, unknown>, fails: boolean | 'Inconclusive') {
  const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 't' }, spec: { metrics: [{ name: 'm', provider: { prometheus: { query: 'x' } }, ...metric }] } };
  return analysisOutcome({ templates: [{ name: 't', clusterScope: false }] }, analysisTemplatesFrom([template]), fails === true ? 'Failed' : fails || undefined);
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

test('inconclusive: a metric is Inconclusive at measurement inconclusiveLimit + 1, in analysis.go\'s words', () => {
  // inconclusiveLimit defaults to 0: the first measurement (after initialDelay) is one over it
  assert.deepEqual(outcome({ interval: '1m', count: 5, initialDelay: '10s' }, 'Inconclusive'), { phase: 'Inconclusive', after: 10, message: 'Metric "m" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)' });
  // inconclusiveLimit 2: measurements at 0, 1, 2 min, the third is one over
  assert.deepEqual(outcome({ interval: '1m', count: 5, inconclusiveLimit: '2' }, 'Inconclusive'), { phase: 'Inconclusive', after: 120, message: 'Metric "m" assessed Inconclusive due to inconclusive (3) > inconclusiveLimit (2)' });
  // a negative limit is passed at the first measurement (result.Inconclusive > inconclusiveLimit), unlike a negative failureLimit
  assert.equal(outcome({ interval: '1m', count: 5, inconclusiveLimit: -1 }, 'Inconclusive').after, 0);
  assert.deepEqual(outcome({ interval: '1m', count: 5, failureLimit: -1 }, true), { phase: 'Successful', after: 240, message: '' });
  // the count is reached before the limit is passed: the metric is Successful (assessMetricStatus: Count Reached)
  assert.deepEqual(outcome({ interval: '1m', count: 2, inconclusiveLimit: 2 }, 'Inconclusive'), { phase: 'Successful', after: 60, message: '' });
});
