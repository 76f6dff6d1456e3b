// Apart from check.ts so that `kdry simulate`'s bundle, which reads files under the same bound
// (cli/simulate-scope.ts), does not take in the check pipeline.

/** Files larger than this get one informative finding instead of a full check. */
export const MAX_CHECKED_FILE_BYTES = 2 * 1024 * 1024;
