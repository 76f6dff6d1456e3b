// An error whose outcome is already decided, carried as a CEL error value's cause: an expression
// that meets it reports `evaluation` as its own (environment.ts classify), word for word. An
// admission policy's variable that failed is one (lazy-map.ts): its readers say how it failed.

/** An evaluation that yielded no value (environment.ts Evaluation). */
export type FailedEvaluation = { kind: 'error' | 'cost'; message: string } | { kind: 'unsupported'; reason: string };

export class SettledError extends Error {
  constructor(readonly evaluation: FailedEvaluation) {
    super(evaluation.kind === 'unsupported' ? evaluation.reason : evaluation.message);
  }
}
