// Rollout parameters with which a rollout could never replace a pod, in the API server's words
// (pkg/apis/apps/validation/validation.go: ValidateRollingUpdateDeployment,
// ValidateRollingUpdateDaemonSet). `kdry check` reports them on the key; `kdry simulate` refuses
// to run such a manifest with the same text, as the API server would refuse to store it.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 0, "0%" (or "00%"): an int-or-string that scales to 0 whatever the replica count. */
export function isZeroIntOrPercent(v: unknown): boolean {
  return v === 0 || (typeof v === 'string' && /^-?0+%$/.test(v));
}

/** How the API server prints a field's value in "Invalid value: ...". */
export function apiValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Deployment: `maxUnavailable` may not be 0 when `maxSurge` is 0 (absent values default to 25%). */
export function deploymentZeroBudgetError(rollingUpdate: Obj, fieldPath: string): string | undefined {
  if (!isZeroIntOrPercent(rollingUpdate.maxSurge) || !isZeroIntOrPercent(rollingUpdate.maxUnavailable)) return undefined;
  return `${fieldPath}.maxUnavailable: Invalid value: ${apiValue(rollingUpdate.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0`;
}

/** DaemonSet: maxUnavailable (default 1) and maxSurge (default 0) may not both be 0. */
export function daemonSetZeroBudgetError(rollingUpdate: Obj, fieldPath: string): string | undefined {
  const unavailable = rollingUpdate.maxUnavailable ?? 1;
  const surge = rollingUpdate.maxSurge ?? 0;
  if (!isZeroIntOrPercent(unavailable) || !isZeroIntOrPercent(surge)) return undefined;
  return `${fieldPath}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`;
}

/**
 * The zero-budget rejection of a Deployment's or DaemonSet's RollingUpdate strategy; undefined
 * when the object is accepted on this count.
 */
export function zeroRolloutBudgetRejection(object: Obj): { message: string } | undefined {
  const spec = isObj(object.spec) ? object.spec : {};
  const field = object.kind === 'Deployment' ? 'strategy' : object.kind === 'DaemonSet' ? 'updateStrategy' : undefined;
  if (field === undefined) return undefined;
  const strategy = spec[field];
  if (!isObj(strategy) || (strategy.type !== undefined && strategy.type !== 'RollingUpdate') || !isObj(strategy.rollingUpdate)) return undefined;
  const at = `spec.${field}.rollingUpdate`;
  const message = object.kind === 'Deployment' ? deploymentZeroBudgetError(strategy.rollingUpdate, at) : daemonSetZeroBudgetError(strategy.rollingUpdate, at);
  return message === undefined ? undefined : { message };
}
