// Edits made while a run goes on (SimulateOptions.then): a scale, as `kubectl scale` makes it, or
// a new container image, as `kubectl set image` does. Each is checked against the kind before the
// run (what the API server would refuse is a problem), then applied to a copy of the object at its
// time; the controllers adopt it with update(), as they would see the edited object on their next
// sync. A scale in the middle of a RollingUpdate reaches the Deployment controller's proportional
// scaling (sync.go scale, isScalingEvent); a new image starts another rollout from where it is.
import { isObj, type Obj } from './objects';
import type { SimulationProblem, SpecChange } from './result';
import type { SimulatedKind } from './workload';

/** The largest replicas an edit may ask for: the engine's bound for a workload's replicas. */
const MAX_CHANGE_REPLICAS = 100_000;

const SCALABLE: readonly SimulatedKind[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout'];

/** What the API server would refuse, or the engine cannot do, with these edits of a `kind`. */
export function specChangeProblems(kind: SimulatedKind, changes: readonly SpecChange[]): SimulationProblem[] {
  const problems: SimulationProblem[] = [];
  changes.forEach((change, i) => {
    const path = `then[${i}]`;
    if (!Number.isFinite(change.at) || change.at < 0) problems.push({ path: `${path}.at`, message: `a change needs a time of 0 s or later, not ${change.at}` });
    if (change.replicas === undefined && change.image === undefined) problems.push({ path, message: 'a change sets replicas or an image' });
    if (change.replicas !== undefined) {
      if (!SCALABLE.includes(kind)) problems.push({ path: `${path}.replicas`, message: `a ${kind} has no spec.replicas to scale` });
      else if (!Number.isInteger(change.replicas) || change.replicas < 0 || change.replicas > MAX_CHANGE_REPLICAS) {
        problems.push({ path: `${path}.replicas`, message: `replicas must be a whole number from 0 to ${MAX_CHANGE_REPLICAS.toLocaleString('en-US')}, not ${change.replicas}` });
      }
    }
    if (change.image !== undefined) {
      // The API server's validation: a Job's pod template and a Pod's containers are immutable.
      if (kind === 'Job') problems.push({ path: `${path}.image`, message: 'the API server rejects it: a Job\'s spec.template is immutable' });
      if (kind === 'Pod') problems.push({ path: `${path}.image`, message: 'a bare Pod cannot be rolled out: kubectl set image would restart its container in place, which is not simulated' });
      if (change.image.trim() === '') problems.push({ path: `${path}.image`, message: 'an image name is needed' });
    }
  });
  return problems;
}

/** The pod spec an image change edits, per kind. */
function podSpecOf(object: Obj): Obj | undefined {
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec) return undefined;
  const template = object.kind === 'CronJob' ? (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) ? spec.jobTemplate.spec.template : undefined) : spec.template;
  return isObj(template) && isObj(template.spec) ? template.spec : undefined;
}

/**
 * The object with the change applied (a copy; the original is shared with the caller), and what
 * it did in words for the run's notes. An image for a container the template does not have
 * changes nothing and says so.
 */
export function applySpecChange(object: Obj, change: SpecChange): { object: Obj; description: string } {
  const edited = structuredClone(object);
  const said: string[] = [];
  if (change.replicas !== undefined) {
    edited.spec = { ...(isObj(edited.spec) ? edited.spec : {}), replicas: change.replicas };
    said.push(`spec.replicas set to ${change.replicas}`);
  }
  if (change.image !== undefined) {
    const containers = podSpecOf(edited)?.containers;
    const list = Array.isArray(containers) ? containers.filter(isObj) : [];
    const target = change.container === undefined ? list[0] : list.find((c) => c.name === change.container);
    if (target) {
      target.image = change.image;
      said.push(`container ${typeof target.name === 'string' ? `"${target.name}" ` : ''}image set to ${change.image}`);
    } else said.push(`no container${change.container === undefined ? '' : ` named "${change.container}"`} to set the image of: nothing changed`);
  }
  return { object: edited, description: `at t=${change.at} s: ${said.join(', ')}` };
}
