// A Job that piles up finished pods: completions 50,000 at parallelism 500, NonIndexed and
// Indexed. The controller counts pods as they finish, so a sync costs the active pods, not the
// finished ones (upstream: status counts plus uncountedTerminatedPods).
import { performance } from 'node:perf_hooks';
import { simulate } from '../../server/src/engine/simulate';

function bigJob(completionMode: 'NonIndexed' | 'Indexed') {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: completionMode === 'Indexed' ? 'indexed' : 'batch' },
    spec: {
      completions: 50_000,
      parallelism: 500,
      completionMode,
      template: { metadata: { annotations: { 'kdry.dev/run-seconds': '30' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] } },
    },
  };
}

export default async function run(): Promise<void> {
  for (const mode of ['NonIndexed', 'Indexed'] as const) {
    const t0 = performance.now();
    const result = simulate({ objects: [bigJob(mode)], windowSeconds: 7 * 86400, maxSteps: 10_000_000 });
    const ms = performance.now() - t0;
    const { conditions, durationSeconds } = result.summary;
    console.log(`Job ${mode}, completions 50,000, parallelism 500: ${result.steps.length} steps, ${durationSeconds} s simulated, in ${ms.toFixed(0)} ms; conditions: ${JSON.stringify(conditions)}; problems: ${result.problems.map((p) => p.message).join('; ') || 'none'}`);
  }
}
