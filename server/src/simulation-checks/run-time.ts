// How a message names the run time the engine assumed (never claimed without one).
import type { RunTimeHint } from '../engine';

/** How a rule's description says where the run time comes from (the engine's run-time hints). */
export const RUN_TIME_HINTS =
  "when the manifest says how long a pod runs: the `kdry.dev/run-seconds` annotation on the pod template, or a `sleep N` in a container's command or args. The message names the run time it assumed; without one of these hints nothing is claimed.";

export function describeRunTime(hint: RunTimeHint): string {
  return hint.from === 'annotation' ? `${hint.seconds} s per pod, from its kdry.dev/run-seconds annotation` : `${hint.seconds} s per pod, from the \`sleep\` in its command`;
}
