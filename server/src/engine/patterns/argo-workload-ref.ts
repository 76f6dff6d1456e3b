// A Rollout with `spec.workloadRef` takes its pod template (and, without its own, its selector)
// from a Deployment, ReplicaSet or PodTemplate in the same namespace (rollout/templateref.go
// Resolve, infoByGroupKind). What happens to a referenced Deployment is `scaleDown`:
//   never (the default)  it keeps running; scaling it down is left to the user;
//   onsuccess            scaled to 0 once the Rollout's first revision is Healthy (rollout/sync.go);
//   progressively        while the first revision comes up, scaled to replicas - the Rollout's ready
//                        replicas, and to 0 once it is Healthy (rollout/replicaset.go reconcileNewReplicaSet).
// A reference that cannot be resolved makes the Rollout invalid (controller.go createInvalidRolloutCondition:
// `The Rollout "web" is invalid: spec.workloadRef: ...`): nothing runs.
import { type Obj, isObj } from '../objects';

export type ScaleDownPolicy = 'never' | 'onsuccess' | 'progressively';

export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  scaleDown: ScaleDownPolicy;
}

export function workloadRefOf(rollout: Obj): WorkloadRef | undefined {
  const spec = isObj(rollout.spec) ? rollout.spec : {};
  const ref = spec.workloadRef;
  if (!isObj(ref)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const scaleDown = ref.scaleDown === 'onsuccess' || ref.scaleDown === 'progressively' ? ref.scaleDown : 'never';
  return { apiVersion: text(ref.apiVersion), kind: text(ref.kind), name: text(ref.name), scaleDown };
}

/** infoByGroupKind: where each supported kind keeps its template and selector. */
const KNOWN: Record<string, { template: string[]; selector?: string[] }> = {
  '/PodTemplate': { template: ['template'] },
  'apps/Deployment': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  'apps/ReplicaSet': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
};

function at(object: Obj, path: string[]): unknown {
  let value: unknown = object;
  for (const key of path) value = isObj(value) ? value[key] : undefined;
  return value;
}

function namespaceOf(object: Obj): string {
  return isObj(object.metadata) && typeof object.metadata.namespace === 'string' && object.metadata.namespace !== '' ? object.metadata.namespace : 'default';
}

function groupOf(ref: WorkloadRef): string {
  return ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
}

/**
 * The workload `ref` names, of a kind Argo supports, in the Rollout's namespace (the lister
 * Resolve asks), if `objects` hold it.
 */
function referencedWorkload(rollout: Obj, ref: WorkloadRef, objects: readonly unknown[]): Obj | undefined {
  if (!KNOWN[`${groupOf(ref)}/${ref.kind}`]) return undefined;
  const namespace = namespaceOf(rollout);
  return objects.find((o): o is Obj => isObj(o) && o.kind === ref.kind && isObj(o.metadata) && o.metadata.name === ref.name && namespaceOf(o) === namespace);
}

/** A workloadRef and the workload it names, as resolveWorkloadRef found it. */
export interface ReferencedWorkload {
  ref: WorkloadRef;
  workload: Obj;
}

export type ResolvedWorkloadRef = ({ rollout: Obj } & ReferencedWorkload) | { problem: string };

/**
 * The Rollout with its template (and selector) filled in from the referenced workload in `objects`,
 * or the InvalidSpec message Argo gives; undefined without a workloadRef.
 */
export function resolveWorkloadRef(rollout: Obj, objects: readonly unknown[]): ResolvedWorkloadRef | undefined {
  const ref = workloadRefOf(rollout);
  if (!ref) return undefined;
  const name = isObj(rollout.metadata) && typeof rollout.metadata.name === 'string' ? rollout.metadata.name : 'rollout';
  const invalid = (why: string) => ({ problem: `The Rollout "${name}" is invalid: spec.workloadRef: ${why}` });
  const spec = isObj(rollout.spec) ? rollout.spec : {};
  const template = spec.template;
  if (isObj(template) && (Object.keys(template).length > 0)) return invalid('template must be empty for workload reference rollout');
  const group = groupOf(ref);
  const known = KNOWN[`${group}/${ref.kind}`];
  if (!known) return invalid(`workload of type ${group}/${ref.kind} is not supported`);
  const workload = referencedWorkload(rollout, ref, objects);
  // the lister's NotFound: `deployments.apps "web" not found`
  if (!workload) return invalid(`${ref.kind.toLowerCase()}s${group ? `.${group}` : ''} ${JSON.stringify(ref.name)} not found (not in this scope)`);
  const resolvedSpec: Obj = { ...spec, template: at(workload, known.template) ?? {} };
  if (spec.selector === undefined && known.selector) resolvedSpec.selector = at(workload, known.selector);
  return { rollout: { ...rollout, spec: resolvedSpec }, workload, ref };
}

/**
 * Whether a Healthy Rollout has scaled the Deployment its reference resolved to down to 0: what a
 * placement of the scope takes that Deployment's pods as. `scaleDown: onsuccess` (rollout/sync.go
 * promoteStable) and `progressively` (rollout/replicaset.go reconcileNewReplicaSet) both call
 * rollout/scale_utils.go scaleDeployment; with `never` it keeps running. Only a reference that
 * resolved: when Resolve fails, controller.go newRolloutContext returns the InvalidSpec error
 * before any of that runs, and the Deployment is left as it is (a Rollout whose template is not
 * empty, or whose Deployment is not in its scope).
 */
export function scalesReferencedToZero(resolved: ResolvedWorkloadRef | undefined): boolean {
  return resolved !== undefined && !('problem' in resolved) && resolved.ref.kind === 'Deployment' && resolved.ref.scaleDown !== 'never';
}

/** The workload as a Rollout that scaled it down leaves it: 0 replicas. */
export function atZeroReplicas(object: Obj): Obj {
  return { ...object, spec: { ...(isObj(object.spec) ? object.spec : {}), replicas: 0 } };
}
