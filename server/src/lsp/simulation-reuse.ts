// Most edits of a file leave what the engine simulates as it was (a comment, spacing, a key's
// quoting, an edit undone): the Dry-run answers them from its last run instead of running the engine
// again, and the simulation checks keep a workload's verdict. A run is keyed on everything the engine
// reads (SimulateOptions: the file's objects as built, the objects acting on the workload, the
// cluster, the release, faults, strategy, window) and the view's pod window; simulate() is
// deterministic (engine/simulate.ts: same input, same output).
import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { SimulateOptions } from '../engine';
import { ownBuffer } from './simulation-worker';

/**
 * A simulate job as the simulation thread receives it (structured clone's bytes, written once here
 * rather than again by postMessage) and the key of its inputs: a hash of those bytes, so inputs that
 * differ in anything the engine could read (`.inf` and null, 1 and "1", a Date) never share a key.
 * Keys in another order give another key: a re-run, never a wrong answer. Throws, as postMessage
 * would, for a value structured clone cannot write (none comes from a parsed manifest).
 */
export function packedSimulation(job: { simulate: SimulateOptions; podWindow?: number }): { bytes: ArrayBuffer; key: string } {
  const bytes = serialize(job);
  return { bytes: ownBuffer(bytes), key: keyOf(bytes) };
}

/**
 * The key of a parsed value as a worker thread receives it (its structured clone's bytes), with
 * packedSimulation's guarantees: equal for two texts the engine reads alike (one has a comment more,
 * other spacing or quoting), different for any difference it could read. Key order counts: the
 * engine reads some maps by their first key (engine/patterns/argo-rollouts.ts parseCanarySteps
 * names an unknown canary step after it), so moving a key is a re-run. A string V8 holds in two
 * bytes per character (its file has a character beyond Latin-1) writes other bytes: a re-run too.
 */
export function inputKey(value: unknown): string {
  return keyOf(serialize(value));
}

function keyOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}
