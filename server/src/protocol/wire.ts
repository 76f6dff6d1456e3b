// The result contract as it travels to the client and the Dry-run view: the engine's result types
// (engine/result.ts, types only) and the pure decoders of its compact steps. The webview imports
// this module, so it must never pull in the JSON-RPC library, the YAML parser or the engine's code.
export type * from '../engine/result';
export type { CapacityReport, CapacityWorkload, NodeCapacity, NodeFailure, ZoneCapacity } from '../engine/capacity';
export { applyStep, podsAtStep, nodesAtStep } from '../engine/steps';
