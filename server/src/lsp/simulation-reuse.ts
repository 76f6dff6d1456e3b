// Most edits of a file leave what the engine simulates as it was (a comment, spacing, a key's
// quoting, an edit undone): the Dry-run answers them from its last run instead of running the engine
// again. A run is keyed on everything the engine reads (SimulateOptions: the file's objects as
// built, the objects acting on the workload, the cluster, the release, faults, strategy, window) and
// the view's pod window; simulate() is deterministic (engine/simulate.ts: same input, same output).
import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { SimulateOptions } from '../engine';

/**
 * The key of a run: a hash of the engine's inputs as structured clone writes them (the bytes the
 * worker receives), so inputs that differ in anything the engine could read (`.inf` and null, 1 and
 * "1", a Date) never share a key. Keys in another order give another key: a re-run,
 * never a wrong answer. Undefined when the inputs cannot be written (never reused then).
 */
export function simulationKey(options: SimulateOptions, podWindow: number | undefined): string | undefined {
  try {
    return createHash('sha256').update(serialize([options, podWindow ?? null])).digest('base64');
  } catch {
    return undefined;
  }
}
