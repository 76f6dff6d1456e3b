// The pod lifecycle timing model (there is no kubelet: these durations stand in for it).
// Pending -> bound -> Running after an image pull and start -> Ready after the readiness probe
// -> Available after the owner's minReadySeconds; deletion takes the modelled shutdown time.
// docs/simulation.md states the same numbers.
import type { Obj } from './objects';

/** Image pull plus container start, from binding to Running. */
export const IMAGE_PULL_AND_START_SECONDS = 2;
/** Without a readinessProbe the kubelet reports Ready once the containers started; the process needs a moment. */
export const DEFAULT_READY_AFTER_START_SECONDS = 1;
/** How long a container takes to stop after SIGTERM when it does not use the full grace period. */
export const DEFAULT_SHUTDOWN_SECONDS = 3;
/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** Run time of a run-to-completion container without a `sleep N` or run-seconds annotation. */
export const DEFAULT_RUN_SECONDS = 5;
/** Annotation that sets how long a Job pod runs, for manifests whose command does not say. */
export const RUN_SECONDS_ANNOTATION = 'kdry.dev/run-seconds';
/** Crash-loop fault: the container exits this long after it starts. */
export const CRASH_AFTER_START_SECONDS = 1;
/** kubelet's container restart back-off: 10 s doubling, capped at 5 minutes. */
export const CRASH_BACKOFF_INITIAL_SECONDS = 10;
export const CRASH_BACKOFF_MAX_SECONDS = 300;
/**
 * PodGC's gcCheckPeriod: how often the pod garbage collector looks for terminating pods on a
 * NotReady node to force-delete (no kubelet there will ever confirm their shutdown).
 */
export const POD_GC_PERIOD_SECONDS = 20;
/** DefaultTolerationSeconds admission: not-ready / unreachable NoExecute taints are tolerated this long. */
export const DEFAULT_TOLERATION_SECONDS = 300;

const PROBE_DEFAULT_PERIOD_SECONDS = 10;


function containers(spec: Obj): Obj[] {
  const list = spec.containers;
  return Array.isArray(list) ? list.filter((c): c is Obj => typeof c === 'object' && c !== null) : [];
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Seconds from Running to Ready: the last container (and sidecar) to turn ready decides, as
 * status/generate.go GenerateContainersReadyCondition counts the restartable init containers too.
 * A probe's first success comes at the first tick after initialDelaySeconds (worst-case alignment:
 * + periodSeconds), with successThreshold successes. No readiness (or liveness) probe runs before
 * the container's startupProbe has succeeded (prober/worker.go doProbe: "Disable other probes until
 * container has started"), and each sidecar (an init container with restartPolicy Always) starts
 * only once the one before it has started (kuberuntime_manager.go computeInitContainerActions), the
 * regular containers after the last. Worked example: a sidecar with a startupProbe of
 * initialDelaySeconds 30 (period 10) starts the app at 40 s; the app's readinessProbe of
 * initialDelaySeconds 5 (period 10) can then first pass at max(40, 40 + 5) + 10 = 55 s.
 */
export function readyDelaySeconds(spec: Obj): number {
  let startAt = 0;
  let ready = DEFAULT_READY_AFTER_START_SECONDS;
  for (const sidecar of sidecars(spec)) {
    const started = startAt + startedAfter(sidecar);
    ready = Math.max(ready, readyAfter(sidecar, startAt, started));
    startAt = started;
  }
  for (const c of containers(spec)) ready = Math.max(ready, readyAfter(c, startAt, startAt + startedAfter(c)));
  return ready;
}

/** Seconds from its start until the container counts as started: its startupProbe's first success, else at once. */
function startedAfter(c: Obj): number {
  const probe = probeOf(c.startupProbe);
  return probe ? probe.initialDelay + probe.period : 0;
}

/** When a container started at `startAt` (started at `started`) turns ready. */
function readyAfter(c: Obj, startAt: number, started: number): number {
  const probe = probeOf(c.readinessProbe);
  if (!probe) return Math.max(started, startAt + DEFAULT_READY_AFTER_START_SECONDS);
  return Math.max(started, startAt + probe.initialDelay) + probe.period * probe.successes;
}

function probeOf(value: unknown): { initialDelay: number; period: number; successes: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Obj;
  return { initialDelay: nonNegative(p.initialDelaySeconds, 0), period: Math.max(1, nonNegative(p.periodSeconds, PROBE_DEFAULT_PERIOD_SECONDS)), successes: Math.max(1, nonNegative(p.successThreshold, 1)) };
}

/** The init containers with restartPolicy Always (podutil.IsRestartableInitContainer), in order. */
function sidecars(spec: Obj): Obj[] {
  const list = spec.initContainers;
  return Array.isArray(list) ? list.filter((c): c is Obj => typeof c === 'object' && c !== null && (c as Obj).restartPolicy === 'Always') : [];
}

/** Graceful termination: min(terminationGracePeriodSeconds, the default shutdown time). */
export function terminationSeconds(spec: Obj): number {
  const grace = nonNegative(spec.terminationGracePeriodSeconds, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  return Math.min(grace, DEFAULT_SHUTDOWN_SECONDS);
}

/** Pods whose containers exit by design (Job pods): restartPolicy Never or OnFailure. */
export function runsToCompletion(spec: Obj): boolean {
  return spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure';
}

/**
 * How long a run-to-completion pod runs: the run-seconds annotation, else the `sleep N` in its
 * command or args (the longest container), else DEFAULT_RUN_SECONDS.
 */
export function runSeconds(spec: Obj, annotations: Record<string, string>): number {
  const annotated = Number(annotations[RUN_SECONDS_ANNOTATION]);
  if (annotations[RUN_SECONDS_ANNOTATION] !== undefined && Number.isFinite(annotated) && annotated >= 0) return annotated;
  let longest: number | undefined;
  for (const c of containers(spec)) {
    const words = [c.command, c.args].flatMap((v) => (Array.isArray(v) ? v.map(String) : [])).join(' ');
    let total = 0;
    let found = false;
    for (const m of words.matchAll(/\bsleep\s+(\d+(?:\.\d+)?)\b/g)) {
      total += Number(m[1]);
      found = true;
    }
    if (found) longest = Math.max(longest ?? 0, total);
  }
  return longest ?? DEFAULT_RUN_SECONDS;
}

/** Back-off before restart number `restartCount` (1-based) of a crash-looping container. */
export function crashBackoffSeconds(restartCount: number): number {
  const exponent = Math.min(Math.max(restartCount - 1, 0), 16);
  return Math.min(CRASH_BACKOFF_INITIAL_SECONDS * 2 ** exponent, CRASH_BACKOFF_MAX_SECONDS);
}

/**
 * Seconds a pod stays on a node with the given NoExecute taint before the taint manager evicts it:
 * undefined = tolerated forever, 0 = evicted now. A matching toleration without tolerationSeconds
 * tolerates forever; the pod gets the admission default (300 s) for not-ready/unreachable when it
 * has no toleration for them.
 */
export function noExecuteTolerationSeconds(spec: Obj, taintKey: string): number | undefined {
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : [];
  let matched = false;
  let seconds: number | undefined;
  for (const t of tolerations) {
    if (typeof t !== 'object' || t === null) continue;
    if (t.effect !== undefined && t.effect !== '' && t.effect !== 'NoExecute') continue;
    const keyMatches = t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taintKey;
    if (!keyMatches) continue;
    matched = true;
    if (typeof t.tolerationSeconds !== 'number') return undefined;
    seconds = Math.min(seconds ?? Infinity, Math.max(0, t.tolerationSeconds));
  }
  if (matched) return seconds;
  const defaulted = taintKey === 'node.kubernetes.io/not-ready' || taintKey === 'node.kubernetes.io/unreachable';
  return defaulted ? DEFAULT_TOLERATION_SECONDS : 0;
}
