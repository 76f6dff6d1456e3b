// V8's optimising compiler tuned for `kdry check` as a short batch process. One check of 10 mixed
// files of 1,000 documents spends about a third of its CPU compiling: V8's helper threads, which
// share the two cores with the check, optimise some 350 functions, and how much each may inline
// sets most of that cost. Capping the bytecode inlined into one function (default 920) at 200
// took the whole run from 5.08 to 4.39 s of CPU (--no-simulation --jobs 1, median of 4, alternating;
// 11.04 to 9.79 s with the simulation checks), and the main thread's own time did not grow. Flags are process-wide: the worker threads
// (check-pool.ts) compile under the same cap. Set before the check's hot code is optimised.
import { setFlagsFromString } from 'node:v8';

export function tuneV8ForCheck(): void {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}
