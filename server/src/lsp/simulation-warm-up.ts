// The Dry-run's simulation thread starts with V8 running the engine in its interpreter: the first
// refresh of a 10,000-replica Deployment cost about 1.3-1.5x the next ones (in-process, CPU). So once
// the server is idle after start-up (lsp/warm-up.ts has warmed the main thread), the runner starts
// the thread and rolls out this Deployment in it, paged for the view as a refresh is; a refresh asked
// for meanwhile waits for it (about 200 ms of CPU on the thread's own core).
import type { SimulateOptions } from '../engine';
import { VIEW_POD_WINDOW } from '../protocol/wire';

/** Replicas of the sample: enough pods that the engine's per-pod loops and the view's paging are compiled by the optimising tier. */
export const WARM_UP_REPLICAS = 2000;

function sampleDeployment(image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kdry-warm-up' },
    spec: {
      replicas: WARM_UP_REPLICAS,
      selector: { matchLabels: { app: 'kdry-warm-up' } },
      template: { metadata: { labels: { app: 'kdry-warm-up' } }, spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

/** A RollingUpdate of the sample on the embedded cluster, as the view asks for it (delta steps, its pod window). */
export function warmUpJob(): { simulate: SimulateOptions; podWindow: number } {
  return {
    simulate: { objects: [sampleDeployment('app:2')], before: sampleDeployment('app:1'), workload: { kind: 'Deployment', name: 'kdry-warm-up' }, snapshotMode: 'delta' },
    podWindow: VIEW_POD_WINDOW,
  };
}
