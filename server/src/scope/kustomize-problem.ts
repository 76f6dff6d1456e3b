// A place where `kustomize build` of a kustomization fails, or where kdry's copy of it is incomplete
// (kustomize-problems.ts finds them; the `kustomize-build` check shows them).
export interface KustomizationProblem {
  /** The entry in the kustomization's document: a patch's (with its file), a generator's. */
  source: { field: string; index: number; path?: string };
  /** Where inside the entry it is shown (a generator's `behavior`, `files[1]`); default the patch's `path`/`patch`. */
  at?: (string | number)[];
  severity: 'error' | 'warning';
  message: string;
  /** The patch's target selects no object. */
  selectsNothing?: boolean;
}
