// The request's Namespace as an admission policy sees it, taken from the workspace's Namespace
// document: for `namespaceObject` (generic/policy_dispatcher.go Dispatch reads it with
// matcher.GetNamespace; cel/condition.go CreateNamespaceObject keeps only some of it) and for a
// binding's namespaceSelector (webhook/predicates/namespace/matcher.go GetNamespaceLabels), as the
// kustomize build that applies it makes it.
import type { CelInput } from '@bufbuild/cel';
import { celLibrary } from '../cel/on-demand';
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { buildsOf, builtObjectsOf } from '../scope/built-document';
import type { Unit } from '../scope/units';
import { defaultNamespace } from '../defaults';
import { labelsOf } from './params';
import { prepareNamespace } from './prepare-for-create';
import { withUnknownEntries } from './unknown-entries';

/** metadata fields the cluster sets when it creates the namespace: the workspace cannot know their values. */
const CLUSTER_SET_METADATA = ['uid', 'resourceVersion', 'creationTimestamp'];

/** The object metadata CreateNamespaceObject keeps (the rest, such as ownerReferences and managedFields, is dropped). */
const KEPT_METADATA = new Set(['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'finalizers']);

export function isNamespaceDocument(doc: ManifestDocument): boolean {
  return doc.kind === 'Namespace' && doc.apiVersion === 'v1';
}

/**
 * The workspace's Namespace `name` as a kustomize build makes it (an overlay's `labels:` or patch
 * may set the labels a namespaceSelector reads: scope/built-document.ts buildsOf). In the build of
 * `root` (the object judged is applied by `kubectl apply -k root`), the Namespace that build makes
 * when it makes one: two overlays that build one namespace name with different labels each meet
 * their own. Else the first document that builds one; as written where no kustomization builds it.
 */
export function namespaceDocument(workspace: WorkspaceIndex, name: string, root?: Unit): ManifestDocument | undefined {
  const own = root && builtObjectsOf(workspace, root, 'Namespace').find((e) => isNamespaceDocument(e.doc) && e.doc.name === name);
  if (own) return own.doc;
  for (const { uri, doc } of workspace.documents('Namespace')) {
    const built = buildsOf(workspace, uri, doc).find((b) => isNamespaceDocument(b.doc) && b.doc.name === name);
    if (built) return built.doc;
  }
  return undefined;
}

/**
 * A Namespace document as the API server stores it on create: defaulting adds the
 * `kubernetes.io/metadata.name` label (SetDefaults_Namespace, when the name is set), and
 * pkg/registry/core/namespace/strategy.go PrepareForCreate sets `status.phase: Active` and adds the
 * `kubernetes` finalizer.
 */
export function storedNamespace(value: Record<string, unknown>): Record<string, unknown> {
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const stored = { ...value, metadata: { ...metadata, labels: labelsOf(value) }, spec: isRecord(value.spec) ? { ...value.spec } : {} };
  defaultNamespace(stored);
  prepareNamespace(stored);
  return stored;
}

/** The labels a namespaceSelector is matched against: the stored namespace's. */
export function namespaceLabels(doc: ManifestDocument): Record<string, string> {
  return isRecord(doc.value) ? labelsOf(storedNamespace(doc.value)) : {};
}

/** The two views of a namespace the validator binds: `cleaned` for validations and messageExpressions, `full` for auditAnnotations. */
export interface NamespaceViews {
  cleaned: CelInput;
  full: CelInput;
}

/** Per Namespace document value: converted once, not on every keystroke in another document. */
const views = new WeakMap<object, NamespaceViews>();

/**
 * `namespaceObject` from a workspace Namespace document. validating/validator.go Validate binds
 * CreateNamespaceObject's copy (status, spec and the metadata it keeps) for the validations and
 * their messageExpressions, and the namespace as read for the auditAnnotations. The fields the
 * cluster sets on create (uid, resourceVersion, creationTimestamp) are present but cannot be
 * known: an expression that reads one is not judged.
 */
export function namespaceViews(doc: ManifestDocument): NamespaceViews | undefined {
  if (!isRecord(doc.value)) return undefined;
  let hit = views.get(doc.value);
  if (!hit) {
    const stored = storedNamespace(doc.value);
    const metadata = stored.metadata as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => KEPT_METADATA.has(key)));
    hit = {
      cleaned: withUnknownMetadata({ metadata: kept, spec: stored.spec, status: stored.status }, doc.name),
      full: withUnknownMetadata(stored, doc.name),
    };
    views.set(doc.value, hit);
  }
  return hit;
}

/** The namespace as CEL, its metadata a map whose cluster-set fields read as "not known", whatever the manifest says of them. */
function withUnknownMetadata(namespace: Record<string, unknown>, name: string | undefined): CelInput {
  const { toCel } = celLibrary();
  const metadata = namespace.metadata as Record<string, unknown>;
  const reason = (field: string) => `it reads namespaceObject.metadata.${field}, which the cluster sets when it creates namespace "${name ?? ''}"`;
  const metadataMap = withUnknownEntries(new Map(Object.entries(metadata).map(([key, value]) => [key, toCel(value)])), new Map(CLUSTER_SET_METADATA.map((field) => [field, reason(field)])));
  const out = new Map<string, CelInput>();
  for (const [key, value] of Object.entries(namespace)) out.set(key, key === 'metadata' ? metadataMap : toCel(value));
  return out;
}
