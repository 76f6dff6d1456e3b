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

/**
 * Every app container of the pod exited with `exitCode` (kdry plays one exit for all of them):
 * which the kubelet restarts. Each is judged on its own (ContainerShouldRestart per container), and
 * the phase follows pkg/kubelet/kubelet_pods.go getPhase with ContainerRestartRules: all stopped
 * and none restartable -> Succeeded (all exited 0) or Failed; at least one restarting -> Running,
 * while the others stay terminated, so the pod is never Ready again.
 *
 * Worked example: restartPolicy Never, container `main` with a Restart rule on exit 42 and
 * container `log` without rules, both exit 42 -> `main` restarts, `log` stays terminated: the pod
 * stays Running (not Ready), where judging `log` alone would have failed it.
 */
export function restartAfterExit(spec: Obj, exitCode: number): { restart: boolean; stopped: string[] } {
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
  if (containers.length === 0) return { restart: containerShouldRestart(undefined, spec, exitCode), stopped: [] };
  const stopped = containers.filter((c) => !containerShouldRestart(c, spec, exitCode)).map((c, i) => (typeof c.name === 'string' ? c.name : `#${i}`));
  return { restart: stopped.length < containers.length, stopped };
}
