// Whether the kubelet restarts a container that exited, as pkg/kubelet/container/helpers.go
// ContainerShouldRestart decides it (ContainerRestartRules, KEP-5307): the container's
// restartPolicyRules first, in order (the first rule whose exit codes match acts; `Restart` is the
// only action), then the container's own restartPolicy, then the pod's. A release whose API server
// dropped the container fields (world/disabled-fields.ts) leaves the pod's restartPolicy alone.
//
// Worked example: a Job pod (restartPolicy Never) whose container says `restartPolicy: Never` and
// `restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]`: exit 42 ->
// restarted in place (the pod stays Running, restartCount goes up, the Job counts no failure);
// exit 1 -> no rule matches, Never: the pod fails.
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ContainerShouldRestart: restart `container` of the pod `spec` after it exited with `exitCode`? */
export function containerShouldRestart(container: Obj | undefined, spec: Obj, exitCode: number): boolean {
  const own = container?.restartPolicy;
  if (own !== undefined) {
    if (findMatchingContainerRestartRule(container!, exitCode)?.action === 'Restart') return true;
    if (own === 'Always') return true;
    if (own === 'OnFailure') return exitCode !== 0;
    if (own === 'Never') return false;
  }
  if (spec.restartPolicy === 'OnFailure') return exitCode !== 0;
  // Never: no restart; Always, or unset (the default is Always): restart.
  return spec.restartPolicy !== 'Never';
}

/** findMatchingContainerRestartRule: the first rule whose exitCodes (In / NotIn the values) match. */
function findMatchingContainerRestartRule(container: Obj, exitCode: number): Obj | undefined {
  const rules = Array.isArray(container.restartPolicyRules) ? container.restartPolicyRules.filter(isObj) : [];
  for (const rule of rules) {
    const codes = isObj(rule.exitCodes) ? rule.exitCodes : undefined;
    if (!codes) continue;
    const matched = Array.isArray(codes.values) && codes.values.includes(exitCode);
    if ((codes.operator === 'In' && matched) || (codes.operator === 'NotIn' && !matched)) return rule;
  }
  return undefined;
}

/** The container whose exit the engine plays: a pod's first app container (kdry models one exit per pod). */
export function exitingContainer(spec: Obj): Obj | undefined {
  return Array.isArray(spec.containers) && isObj(spec.containers[0]) ? spec.containers[0] : undefined;
}
