// Which workload a simulation runs, and whether its object holds what the simulator needs.
// Every problem names the field path, so the editor and the CLI can point at it.
import { isKnownTimeZone, parseControllerSchedule } from '../k8s/cron';
import type { SimulationProblem } from './types';
import { type Obj, isObj } from './objects';

/** Kinds the engine can simulate, in the order a file's "first workload" is looked for. */
export const SIMULATED_KINDS = ['Deployment', 'Rollout', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'] as const;
export type SimulatedKind = (typeof SIMULATED_KINDS)[number];

/** Kinds whose selector is required and must match the template (apps/v1, and Argo's Rollout). */
const APPS_KINDS = new Set(['Deployment', 'Rollout', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

export function isSimulatedKind(kind: unknown): kind is SimulatedKind {
  return typeof kind === 'string' && (SIMULATED_KINDS as readonly string[]).includes(kind);
}

export function nameOf(o: unknown): string | undefined {
  return isObj(o) && isObj(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : undefined;
}

/** A workload among a file's objects: its kind, its name and where it sits in the list. */
export interface WorkloadCandidate {
  kind: SimulatedKind;
  name: string;
  /** Index into the objects it was found in (a document index when they are a file's documents). */
  index: number;
}

/** Which workload a caller asks for: `Kind/name` (kind as kubectl takes it, any case) or a bare name. */
export interface WantedWorkload {
  kind?: string;
  name: string;
}

/**
 * The one picker of the editor, the CLI and the engine: every object of a simulated kind with a
 * name, in file order. `objects` may hold anything (a broken document is skipped, indices stay).
 */
export function simulatableWorkloads(objects: readonly unknown[]): WorkloadCandidate[] {
  const found: WorkloadCandidate[] = [];
  objects.forEach((o, index) => {
    const name = nameOf(o);
    if (isObj(o) && isSimulatedKind(o.kind) && name !== undefined) found.push({ kind: o.kind, name, index });
  });
  return found;
}

/**
 * The workload to simulate among `candidates`: the one wanted (undefined when absent), else the
 * one for which `preferred` says yes (the editor: the document under the cursor), else the first
 * that is not a bare Pod, else the first Pod. A Pod beside a controller is most often a helper
 * (a debug or test pod), so a file's controller goes first.
 */
export function chooseWorkload<T extends WorkloadCandidate>(candidates: readonly T[], wanted?: WantedWorkload, preferred?: (candidate: T) => boolean): T | undefined {
  if (wanted) return candidates.find((c) => c.name === wanted.name && (wanted.kind === undefined || c.kind.toLowerCase() === wanted.kind.toLowerCase()));
  return (preferred && candidates.find(preferred)) ?? candidates.find((c) => c.kind !== 'Pod') ?? candidates[0];
}

/**
 * The workload as it was before the change, among the objects of the earlier text: the same kind
 * and name, else the first of that kind (a rename is rolled out from the object it replaced).
 */
export function findBeforeWorkload(objects: readonly unknown[], workload: { kind: string; name: string }): Obj | undefined {
  const sameKind = objects.filter((o): o is Obj => isObj(o) && o.kind === workload.kind);
  return sameKind.find((o) => nameOf(o) === workload.name) ?? sameKind[0];
}

/** The workload to simulate: the one named, else the first simulatable object in the file. */
export function selectWorkload(objects: readonly unknown[], wanted: { kind: string; name: string } | undefined): { object?: Obj; problem?: SimulationProblem } {
  if (wanted) {
    const found = objects.find((o) => isObj(o) && o.kind === wanted.kind && nameOf(o) === wanted.name);
    if (isObj(found)) return { object: found };
    if (!isSimulatedKind(wanted.kind)) return { problem: { path: 'kind', message: `kind "${wanted.kind}" cannot be simulated (simulated kinds: ${SIMULATED_KINDS.join(', ')})` } };
    return { problem: { path: '', message: `no ${wanted.kind} named "${wanted.name}" in the file` } };
  }
  // A nameless workload is still chosen here, so that validateWorkload can say what it lacks.
  const unnamed = objects.map((o, index) => ({ kind: isObj(o) ? o.kind : undefined, name: '', index })).filter((c): c is WorkloadCandidate => isSimulatedKind(c.kind));
  const first = chooseWorkload(unnamed);
  if (first) return { object: objects[first.index] as Obj };
  const kinds = objects.filter(isObj).map((o) => o.kind).filter((k): k is string => typeof k === 'string');
  const unknown = kinds.find((k) => !isSimulatedKind(k) && k !== 'Service');
  return {
    problem: unknown
      ? { path: 'kind', message: `kind "${unknown}" cannot be simulated (simulated kinds: ${SIMULATED_KINDS.join(', ')})` }
      : { path: '', message: `no workload to simulate: the file has no ${SIMULATED_KINDS.join(', ')}` },
  };
}

function checkPodSpec(podSpec: unknown, path: string, problems: SimulationProblem[]): void {
  if (!isObj(podSpec)) {
    problems.push({ path, message: 'the pod template has no spec: there are no containers to run' });
    return;
  }
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) {
    problems.push({ path: `${path}.containers`, message: 'a pod needs at least one container' });
  }
}

function checkTemplate(template: unknown, path: string, problems: SimulationProblem[]): Obj | undefined {
  if (!isObj(template)) {
    problems.push({ path, message: 'no pod template: the controller has nothing to create pods from' });
    return undefined;
  }
  checkPodSpec(template.spec, `${path}.spec`, problems);
  return template;
}

function checkSelector(spec: Obj, template: Obj | undefined, problems: SimulationProblem[]): void {
  const selector = spec.selector;
  if (!isObj(selector)) {
    problems.push({ path: 'spec.selector', message: 'spec.selector is required in apps/v1: without it the API server rejects the object' });
    return;
  }
  const labels = isObj(template) && isObj(template.metadata) && isObj(template.metadata.labels) ? (template.metadata.labels as Obj) : {};
  const matchLabels = isObj(selector.matchLabels) ? selector.matchLabels : {};
  const hasExpressions = Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0;
  if (Object.keys(matchLabels).length === 0 && !hasExpressions) {
    problems.push({ path: 'spec.selector', message: 'an empty selector is not allowed: it would select every pod' });
    return;
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (String(labels[key]) !== String(value)) {
      problems.push({
        path: `spec.selector.matchLabels.${key}`,
        message: `selector ${key}=${String(value)} does not match the template labels: the API server rejects the object ("selector does not match template labels")`,
      });
    }
  }
}

/**
 * The most pods one workload asks for that the engine simulates (replicas, a Job's parallelism or
 * completions):
 * a run holds every pod in memory, and beyond this it would take minutes and gigabytes.
 */
export const MAX_SIMULATED_REPLICAS = 100_000;

function checkReplicas(spec: Obj, problems: SimulationProblem[], field = 'replicas', path = `spec.${field}`): void {
  const replicas = spec[field];
  // A Job's completions or parallelism left null is unset (a work queue, the default of 1).
  if (replicas === undefined || (replicas === null && field !== 'replicas')) return;
  if (replicas === null) problems.push({ path, message: 'replicas is null: write a whole number (the API server would default it to 1)' });
  else if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    problems.push({ path, message: `${field} must be a whole number >= 0, not ${JSON.stringify(replicas)}` });
  } else if (replicas > MAX_SIMULATED_REPLICAS) {
    problems.push({ path, message: `${field} ${replicas} is more than the ${MAX_SIMULATED_REPLICAS.toLocaleString('en-US')} pods the simulator runs: lower it to preview the behaviour` });
  }
}

/**
 * The schedule as the CronJob controller parses it: one it cannot parse never creates a Job (the
 * controller only emits UnparseableSchedule), so there is nothing to simulate. Same for a time
 * zone the runtime does not know (UnknownTimeZone).
 */
function checkSchedule(spec: Obj, problems: SimulationProblem[]): void {
  if (typeof spec.schedule !== 'string' || spec.schedule.trim() === '') {
    problems.push({ path: 'spec.schedule', message: 'a CronJob needs a schedule' });
    return;
  }
  const timeZone = spec.timeZone;
  if (timeZone !== undefined && timeZone !== null && (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone))) {
    problems.push({ path: 'spec.timeZone', message: `unknown time zone ${JSON.stringify(timeZone)}: the CronJob controller never starts a Job (UnknownTimeZone)` });
    return;
  }
  const parsed = parseControllerSchedule(spec.schedule, typeof timeZone === 'string' ? timeZone : null);
  if (!parsed.ok) problems.push({ path: 'spec.schedule', message: `unparseable schedule ${JSON.stringify(spec.schedule)}: ${parsed.error}; the CronJob controller never starts a Job` });
}

/** What stops the object from being simulated, with field paths (empty = simulatable). */
export function validateWorkload(object: Obj): SimulationProblem[] {
  const problems: SimulationProblem[] = [];
  const kind = object.kind;
  if (!isSimulatedKind(kind)) return [{ path: 'kind', message: `kind "${String(kind)}" cannot be simulated (simulated kinds: ${SIMULATED_KINDS.join(', ')})` }];
  if (!nameOf(object)) problems.push({ path: 'metadata.name', message: `the ${kind} has no name` });
  const spec = object.spec;
  if (!isObj(spec)) return [...problems, { path: 'spec', message: `the ${kind} has no spec` }];
  if (kind === 'Pod') {
    checkPodSpec(spec, 'spec', problems);
    return problems;
  }
  if (kind === 'CronJob') {
    checkSchedule(spec, problems);
    const jobSpec = isObj(spec.jobTemplate) ? spec.jobTemplate.spec : undefined;
    if (!isObj(jobSpec)) problems.push({ path: 'spec.jobTemplate.spec', message: 'no job template: the CronJob has nothing to create Jobs from' });
    else {
      checkTemplate(jobSpec.template, 'spec.jobTemplate.spec.template', problems);
      checkReplicas(jobSpec, problems, 'parallelism', 'spec.jobTemplate.spec.parallelism');
      checkReplicas(jobSpec, problems, 'completions', 'spec.jobTemplate.spec.completions');
    }
    return problems;
  }
  const template = checkTemplate(spec.template, 'spec.template', problems);
  if (APPS_KINDS.has(kind)) checkSelector(spec, template, problems);
  if (kind === 'Job') {
    checkReplicas(spec, problems, 'parallelism');
    checkReplicas(spec, problems, 'completions');
  }
  else if (kind !== 'DaemonSet') checkReplicas(spec, problems);
  return problems;
}
