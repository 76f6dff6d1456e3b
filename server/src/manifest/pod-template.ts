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
  /** Where the pods' labels are written (an operator's resource: its `spec.podMetadata.labels`). */
  labelsPath: ObjectPath;
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

/** podTemplate of what podsTemplatePath finds (an Argo Rollout's too), or the pods an operator makes for its resource. */
export function podsTemplate(doc: ManifestDocument, withInit = false): PodTemplateInfo | undefined {
  return templateAt(doc, podsTemplatePath(doc), withInit) ?? operatorPods(doc);
}

/**
 * The labels prometheus-operator gives the pods of the StatefulSet it makes for a Prometheus or an
 * Alertmanager, over those of `spec.podMetadata.labels` (pkg/prometheus/server/statefulset.go
 * makeStatefulSetSpec `podSelectorLabels`, shard 0; pkg/alertmanager/statefulset.go
 * makeSelectorLabels). Both also set `app.kubernetes.io/version` from the image version, left out:
 * its default depends on the operator's release.
 */
const OPERATOR_POD_LABELS: Record<string, (name: string) => Record<string, string>> = {
  Prometheus: (name) => ({
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': name,
    prometheus: name,
    'operator.prometheus.io/shard': '0',
    'operator.prometheus.io/name': name,
  }),
  Alertmanager: (name) => ({ 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, alertmanager: name }),
};

const operatorTemplates = new WeakMap<object, PodTemplateInfo>();

/** A monitoring.coreos.com Prometheus or Alertmanager: its pods' labels, and its own `spec.containers` (merged into the operator's). */
function operatorPods(doc: ManifestDocument): PodTemplateInfo | undefined {
  const operatorLabels = doc.kind && OPERATOR_POD_LABELS[doc.kind];
  const value = doc.value;
  if (!operatorLabels || !doc.apiVersion?.startsWith('monitoring.coreos.com/') || !doc.name || !isRecord(value)) return undefined;
  let template = operatorTemplates.get(value);
  if (!template) {
    const labelsPath = ['spec', 'podMetadata', 'labels'];
    const containers: PodTemplateInfo['containers'] = [];
    const list = valueAt(value, ['spec', 'containers']);
    if (Array.isArray(list)) list.forEach((c, i) => isRecord(c) && containers.push({ path: ['spec', 'containers', i], value: c }));
    template = { path: ['spec'], labelsPath, labels: { ...stringMap(valueAt(value, labelsPath)), ...operatorLabels(doc.name) }, containers };
    operatorTemplates.set(value, template);
  }
  return template;
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
  return { path, labelsPath: [...path, 'metadata', 'labels'], labels, containers };
}
