// What `kustomize build` of a file's kustomization does to its objects, for the Dry-run: the
// kustomization that lists the file directly (docs/scope.md) sets its `namespace:`, prefixes and
// suffixes names (`namePrefix`/`nameSuffix`) and rewrites the references to objects of the same
// build, adds `commonLabels`/`labels`, and overrides `replicas:`. The fields are upstream's
// (sigs.k8s.io/kustomize, api/internal/konfig/builtinpluginconsts: namereference.go,
// commonlabels.go, metadatalabels.go, replicas.go; plugin/builtin/prefixtransformer skips
// CustomResourceDefinition, APIService and Namespace). Patches and images are not applied.
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import type { WorkspaceIndex } from '../workspace';
import { referencesOf, type ReferenceVia } from './references';
import { isClusterScoped, placementOf } from './scope';
import type { Unit } from './units';
import type { LabelSet } from './kustomize-transforms';

/** Kinds the prefix/suffix transformer leaves alone (PrefixTransformer.go prefixFieldSpecsToSkip). */
const NOT_RENAMED = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);
/** Kinds `replicas:` sets spec.replicas on (replicas.go). */
const SCALED = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);
/**
 * References namereference.go rewrites to the renamed object (runtimeClassName, an HTTPRoute's
 * parentRefs and requestMirror backends are not among them).
 */
const RENAMED_REFERENCES = new Set<ReferenceVia>(['envFrom', 'env', 'volume', 'projected volume', 'imagePullSecrets', 'serviceAccountName', 'priorityClassName', 'persistentVolumeClaim', 'ingress backend', 'scaleTargetRef', 'serviceName', 'route backend']);

/**
 * An object of the file at `uri` as the kustomization that lists the file builds it: a copy with
 * the transforms applied, or `value` itself when the file is in no kustomization that changes it.
 */
export function builtObject(workspace: WorkspaceIndex, uri: string, value: unknown): unknown {
  if (!isRecord(value)) return value;
  const doc = asDocument(value);
  const unit = placementOf(workspace, uri, doc).units[0];
  if (!unit || unit.kind !== 'kustomization' || (unit.namespace === undefined && !unit.transforms)) return value;
  const built = structuredClone(value);
  const meta = (isRecord(built.metadata) ? built.metadata : (built.metadata = {})) as Record<string, unknown>;
  if (unit.namespace !== undefined && !isClusterScoped(doc.kind)) meta.namespace = unit.namespace;
  const t = unit.transforms;
  if (!t) return built;
  const originalName = doc.name;
  if ((t.namePrefix || t.nameSuffix) && doc.kind && !NOT_RENAMED.has(doc.kind)) {
    if (typeof meta.name === 'string') meta.name = `${t.namePrefix}${meta.name}${t.nameSuffix}`;
    for (const ref of referencesOf(doc)) {
      if (!RENAMED_REFERENCES.has(ref.via) || (ref.via === 'route backend' && !ref.path.includes('backendRefs'))) continue;
      if (inBuild(workspace, unit, ref.kind, ref.name) && !NOT_RENAMED.has(ref.kind)) setAt(built, ref.path, `${t.namePrefix}${ref.name}${t.nameSuffix}`);
    }
  }
  for (const set of t.labels) addLabels(built, doc, set);
  const count = originalName !== undefined ? t.replicas.get(originalName) : undefined;
  if (count !== undefined && doc.kind && SCALED.has(doc.kind)) (built.spec = isRecord(built.spec) ? built.spec : {}), ((built.spec as Record<string, unknown>).replicas = count);
  return built;
}

/**
 * The replicas a kustomization's `replicas:` gives the workload (the count kustomize writes over
 * `spec.replicas`), for the rules that count pods; undefined when none does.
 */
export function replicasOverride(workspace: WorkspaceIndex, entry: { uri: string; doc: ManifestDocument }): number | undefined {
  const { kind, name } = entry.doc;
  if (!kind || !name || !SCALED.has(kind)) return undefined;
  const unit = placementOf(workspace, entry.uri, entry.doc).units[0];
  return unit?.kind === 'kustomization' ? unit.transforms?.replicas.get(name) : undefined;
}

/**
 * The labels a unit's kustomization adds to its selectors (`selectors`) or to its pod templates
 * (`templates`): what a selector or template of that unit carries beyond what is written.
 */
export function unitLabels(unit: Unit | undefined, where: 'selectors' | 'templates'): Record<string, string> | undefined {
  if (unit?.kind !== 'kustomization' || !unit.transforms) return undefined;
  const sets = unit.transforms.labels.filter((l) => l[where]);
  return sets.length ? Object.assign({}, ...sets.map((l) => l.pairs)) : undefined;
}

/** The prefix and suffix a unit's kustomization puts on a name of that kind, if any. */
export function renaming(unit: Unit | undefined, kind: string | undefined): { prefix: string; suffix: string } | undefined {
  const t = unit?.kind === 'kustomization' ? unit.transforms : undefined;
  if (!t || (!t.namePrefix && !t.nameSuffix) || !kind || NOT_RENAMED.has(kind)) return undefined;
  return { prefix: t.namePrefix, suffix: t.nameSuffix };
}

/** The fields of a plain value that the scope model and the references read. */
function asDocument(value: Record<string, unknown>): ManifestDocument {
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { value, kind: str(value.kind), apiVersion: str(value.apiVersion), name: str(meta.name), namespace: str(meta.namespace) } as ManifestDocument;
}

/** An object of that kind and name is one of the unit's own (kustomize rewrites only references to objects of the build). */
function inBuild(workspace: WorkspaceIndex, unit: Unit, kind: string, name: string): boolean {
  if (unit.generated.some((g) => g.kind === kind && g.name === name)) return true;
  return workspace.named(kind, name).some((c) => placementOf(workspace, c.uri, c.doc).units.includes(unit));
}

/** commonlabels.go and metadatalabels.go: where labels go, and whether a missing map is created. */
function addLabels(built: Record<string, unknown>, doc: ManifestDocument, set: LabelSet): void {
  const add = (path: ObjectPath, create: boolean) => {
    const at = valueAt(built, path);
    if (!isRecord(at) && !create) return;
    if (!isRecord(at) && !setAt(built, path, {})) return;
    Object.assign(valueAt(built, path) as Record<string, unknown>, set.pairs);
  };
  add(['metadata', 'labels'], true);
  const template = podTemplatePath(doc);
  if (set.templates && template && template.length > 0) {
    add([...template, 'metadata', 'labels'], true);
    if (doc.kind === 'CronJob') add(['spec', 'jobTemplate', 'metadata', 'labels'], true);
  }
  if (!set.selectors) return;
  switch (doc.kind) {
    case 'Service':
    case 'ReplicationController':
      if (doc.apiVersion === 'v1') add(['spec', 'selector'], true);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      add(['spec', 'selector', 'matchLabels'], true);
      break;
    case 'Job':
    case 'PodDisruptionBudget':
      add(['spec', 'selector', 'matchLabels'], false);
      break;
    case 'CronJob':
      add(['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false);
      break;
    case 'NetworkPolicy':
      add(['spec', 'podSelector', 'matchLabels'], false);
      break;
  }
}

/** Sets the value at `path`, creating maps on the way; false when a list or scalar is in the way. */
function setAt(root: Record<string, unknown>, path: ObjectPath, value: unknown): boolean {
  let at: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    let next = Array.isArray(at) && typeof seg === 'number' ? at[seg] : isRecord(at) ? at[String(seg)] : undefined;
    if (next === undefined && isRecord(at) && typeof path[i + 1] === 'string') next = at[String(seg)] = {};
    if (!isRecord(next) && !Array.isArray(next)) return false;
    at = next;
  }
  const last = path[path.length - 1];
  if (Array.isArray(at) && typeof last === 'number') at[last] = value;
  else if (isRecord(at)) at[String(last)] = value;
  else return false;
  return true;
}
