// The result contract as it travels to the client and the Dry-run view: the engine's result types
// (engine/result.ts, types only) and the pure decoders of its compact steps. The webview imports
// this module, so it must never pull in the JSON-RPC library, the YAML parser or the engine's code.
export type * from '../engine/result';
export type { CapacityReport, CapacityWorkload, NodeCapacity, NodeFailure, ZoneCapacity, ZoneFailure } from '../engine/capacity';
export { applyStep, podsAtStep, nodesAtStep } from '../engine/steps';

/**
 * Pods the Dry-run view asks for whole (SimulateParams.podWindow: the first created); more are
 * counted and paged. As many as the per-pod timeline draws rows (client/webview/pod-timeline.ts),
 * so a refresh sends only what is drawn: the pods table and the node columns of a larger run take
 * pages. At 500, a 10,000-replica Dry-run sent 350 pods more than drawn (216 KB a refresh, 208 KB
 * of them pods: a Pending pod carries the scheduler's message).
 */
export const VIEW_POD_WINDOW = 150;
/** Pods a page of kdry/simulatePods holds at most, and the largest podWindow. */
export const MAX_POD_PAGE = 500;
/** The largest canary step `faults.analysis.step` may name (kdry/simulate's bound, the view's picker). */
export const MAX_ANALYSIS_STEP = 10_000;
