// Where each workload kind keeps its pod template, and plain-value access by object path.
import { isRecord } from './parse';
import type { ManifestDocument, ObjectPath } from './types';

/** Path of the PodTemplateSpec (metadata + spec of the pods); a Pod is its own template. */
export function podTemplatePath(doc: ManifestDocument): ObjectPath | undefined {
  switch (doc.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return ['spec', 'template'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template'];
    case 'Pod':
      return [];
    default:
      return undefined;
  }
}

/**
 * An Argo Rollout's own pod template: its ReplicaSets make its pods from `spec.template`, as a
 * Deployment's do (argo-rollouts rollout/replicaset.go). A `workloadRef` Rollout has none; its pods
 * come from the referenced workload's template, which is indexed as that workload's.
 */
function rolloutTemplatePath(doc: ManifestDocument): ObjectPath | undefined {
  if (doc.kind !== 'Rollout' || !doc.apiVersion?.startsWith('argoproj.io/')) return undefined;
  return isRecord(valueAt(doc.value, ['spec', 'template'])) ? ['spec', 'template'] : undefined;
}

/**
 * Where the pods an object makes take their template from: the built-in workloads' and an Argo
 * Rollout's. What selects or admits pods reads them through it (Services, PodDisruptionBudgets,
 * NetworkPolicies, an autoscaler's target, LimitRanges). The rules that judge a template as the API
 * server validates it use podTemplatePath: the API server does not validate a custom resource's template.
 */
export function podsTemplatePath(doc: ManifestDocument): ObjectPath | undefined {
  return podTemplatePath(doc) ?? rolloutTemplatePath(doc);
}

export function valueAt(root: unknown, path: ObjectPath): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

/** A label map as strings (YAML may give numbers or booleans); undefined when not a map. */
export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (val !== null && typeof val !== 'object') out[k] = String(val);
  return out;
}

export interface PodTemplateInfo {
  path: ObjectPath;
  labels: Record<string, string>;
  containers: { path: ObjectPath; value: Record<string, unknown> }[];
}

/** Templates already read, by the document's value (shared by its moved copies): about six rules and the template index ask for each. */
const readTemplates = new WeakMap<object, { plain?: PodTemplateInfo | null; withInit?: PodTemplateInfo | null }>();

/**
 * The pod template's labels and every container (init containers included when asked). Read once
 * per document value and shared by every caller, so callers must not change what it returns.
 */
export function podTemplate(doc: ManifestDocument, withInit = false): PodTemplateInfo | undefined {
  return templateAt(doc, podTemplatePath(doc), withInit);
}

/** podTemplate of what podsTemplatePath finds: an Argo Rollout's too. */
export function podsTemplate(doc: ManifestDocument, withInit = false): PodTemplateInfo | undefined {
  return templateAt(doc, podsTemplatePath(doc), withInit);
}

// A document value has one kind, so its template path is the same for every caller that finds one.
function templateAt(doc: ManifestDocument, path: ObjectPath | undefined, withInit: boolean): PodTemplateInfo | undefined {
  const value = doc.value;
  if (!path || !isRecord(value)) return undefined;
  let read = readTemplates.get(value);
  if (!read) readTemplates.set(value, (read = {}));
  const field = withInit ? 'withInit' : 'plain';
  let template = read[field];
  if (template === undefined) read[field] = template = readPodTemplate(value, path, withInit) ?? null;
  return template ?? undefined;
}

function readPodTemplate(value: Record<string, unknown>, path: ObjectPath, withInit: boolean): PodTemplateInfo | undefined {
  const template = valueAt(value, path);
  if (!isRecord(template)) return undefined;
  const labels = stringMap(valueAt(template, ['metadata', 'labels'])) ?? {};
  const containers: PodTemplateInfo['containers'] = [];
  for (const field of withInit ? ['initContainers', 'containers'] : ['containers']) {
    const list = valueAt(template, ['spec', field]);
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isRecord(c)) containers.push({ path: [...path, 'spec', field, i], value: c });
    });
  }
  return { path, labels, containers };
}
