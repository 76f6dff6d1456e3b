// Modules that pull in the YAML parser load on first use, so activation stays small and fast
// (esbuild keeps them in the bundle but evaluates them only when imported).
export const loadWorkloadDocuments = () => import('./workloadDocuments');
export const loadChangePicker = () => import('./changePicker');
