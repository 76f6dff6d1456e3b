// slowStartBatch of pkg/controller/replicaset/replica_set.go: pod creations are issued in batches
// of 1, 2, 4, ... so that a failing create (quota, admission) costs one call, not hundreds.

export interface SlowStartResult {
  successes: number;
  /** Create calls issued in total. */
  calls: number;
  /** A batch had a failure; later batches were skipped. */
  error: boolean;
}

/**
 * Calls `fn` `count` times in doubling batches starting at `initialBatchSize`; a batch always runs
 * completely, and the first batch with a failure stops the rest.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => boolean): SlowStartResult {
  let remaining = count;
  let successes = 0;
  let calls = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    let failures = 0;
    for (let i = 0; i < batchSize; i++) {
      calls++;
      if (!fn()) failures++;
    }
    successes += batchSize - failures;
    if (failures > 0) return { successes, calls, error: true };
    remaining -= batchSize;
  }
  return { successes, calls, error: false };
}
