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
  const value = doc.value;
  if (!isRecord(value)) return undefined;
  let read = readTemplates.get(value);
  if (!read) readTemplates.set(value, (read = {}));
  const field = withInit ? 'withInit' : 'plain';
  let template = read[field];
  if (template === undefined) read[field] = template = readPodTemplate(doc, withInit) ?? null;
  return template ?? undefined;
}

function readPodTemplate(doc: ManifestDocument, withInit: boolean): PodTemplateInfo | undefined {
  const path = podTemplatePath(doc);
  if (!path) return undefined;
  const template = valueAt(doc.value, path);
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
