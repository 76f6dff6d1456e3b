import type { SimulateOptions, SimulationResult } from './types';

/** Placeholder until the simulation core lands: reports that nothing could be simulated. */
export function simulate(options: SimulateOptions): SimulationResult {
  return {
    workload: options.workload,
    cluster: { source: options.clusterSource ?? 'embedded default cluster', nodes: [] },
    steps: [],
    summary: { durationSeconds: 0, peakPods: 0, minAvailable: 0, downtimeSeconds: 0, completed: false, conditions: [] },
    problems: [{ path: '', message: 'simulation not implemented yet' }],
    notes: [],
  };
}
