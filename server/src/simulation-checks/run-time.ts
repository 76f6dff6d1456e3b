// How a message names the run time the engine assumed (never claimed without one).
import type { RunTimeHint } from '../engine';

export function describeRunTime(hint: RunTimeHint): string {
  return hint.from === 'annotation' ? `${hint.seconds} s per pod, from its kdry.dev/run-seconds annotation` : `${hint.seconds} s per pod, from the \`sleep\` in its command`;
}
