// An error whose outcome is already decided, carried as a CEL error value's cause: an expression
// that meets it reports `evaluation` as its own (environment.ts classify), word for word. An
// admission policy's variable that failed is one (lazy-map.ts): its readers say how it failed.

/** An evaluation that yielded no value (environment.ts Evaluation). */
export type FailedEvaluation = { kind: 'error' | 'cost'; message: string } | { kind: 'unsupported'; reason: string };

/**
 * The outcomes of the settled errors made lately, by message. cel-es's celErrorMerge (the macros'
 * loops, `&&`, `||`) builds a new error from the first error's message and drops that error's
 * cause, so a loop that meets one settled error returns an error that carries only its message.
 */
const byMessage = new Map<string, FailedEvaluation>();
const REMEMBERED = 256;

export class SettledError extends Error {
  constructor(readonly evaluation: FailedEvaluation) {
    super(evaluation.kind === 'unsupported' ? evaluation.reason : evaluation.message);
    if (byMessage.size >= REMEMBERED) byMessage.clear();
    byMessage.set(this.message, evaluation);
  }
}

/** The outcome of a settled error whose message a merged error kept, if one was made lately. */
export function settledByMessage(message: string): FailedEvaluation | undefined {
  return byMessage.get(message);
}
