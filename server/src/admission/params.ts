// The parameter objects a binding evaluates its policy with, as generic/policy_dispatcher.go
// CollectParams picks them, taken from the workspace: the object paramRef.name names, or every
// object paramRef.selector matches (the policy runs once per object). The workspace cannot prove
// that the cluster lacks an object, so "none found" is said as what admission will do unless the
// cluster has one, never as a certain denial.
import { labelSelectorMatches } from '../k8s/labels';
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { PolicyPair } from './policies';

/** What kdry knows of a kind, from the release's API and the workspace's CRDs. */
export interface KindInfo {
  /** Whether objects of `apiVersion`/`kind` live in a namespace; undefined when kdry cannot tell. */
  namespaced(apiVersion: string, kind: string): boolean | undefined;
  /**
   * How the API server serves an object of `kind` written as `from` through `to`, another version of
   * its group: 'apiVersion' when conversion only rewrites apiVersion (a CRD's strategy None), else
   * why kdry cannot tell what the object looks like there.
   */
  conversion(kind: string, from: string, to: string): 'apiVersion' | { reason: string };
  /**
   * The other versions of its group that serve `kind` (the equivalent resources of
   * EquivalentResourceMapper): the release's for a built-in kind, the CRD's served versions for a custom one.
   */
  equivalents(apiVersion: string, kind: string): { apiVersion: string; resource: string }[];
}

export type CollectedParams =
  /** Each object's value (null: the policy runs once with `params` null). */
  | { params: unknown[] }
  /** dispatcher.go addConfigError: "failed to configure binding: " + error. */
  | { configError: string }
  /** parameterNotFoundAction Deny and no object in the workspace: the denial unless the cluster has one (`where`). */
  | { denyUnlessPresent: string; error: string }
  /** What kdry cannot tell from the workspace. */
  | { unknown: string };

const NOT_FOUND_DENY = 'no params found for policy binding with `Deny` parameterNotFoundAction';

/** CollectParams for `doc` (the request); `docNamespaced`: whether its kind is namespaced. */
export function collectParams(pair: PolicyPair, doc: ManifestDocument, workspace: WorkspaceIndex, kinds: KindInfo): CollectedParams {
  const { paramKind } = pair.policy;
  const { paramRef } = pair.binding;
  // Without paramKind a paramRef is ignored; with paramKind but no paramRef, params is null.
  if (!paramKind || !paramRef) return { params: [null] };
  const namespaced = kinds.namespaced(paramKind.apiVersion, paramKind.kind);
  let namespace: string | undefined;
  if (namespaced !== false) {
    // A namespaced paramKind reads paramRef.namespace, else the request's; a request without one
    // (a cluster-scoped object) is an error. A document without metadata.namespace is applied in
    // kubectl's namespace, which the objects without one share here.
    namespace = paramRef.namespace ?? doc.namespace;
    if (namespaced && namespace === undefined && kinds.namespaced(doc.apiVersion!, doc.kind!) === false) return { configError: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  } else if (paramRef.namespace) {
    return { configError: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
  }
  let found: ManifestDocument[];
  let what: string;
  // The API server refuses a binding whose paramRef has both a name and a selector, or neither (creation-checks.ts).
  if (paramRef.name !== undefined) {
    found = candidates(workspace, paramKind, namespace).filter((d) => d.name === paramRef.name);
    what = `${paramKind.kind} "${paramRef.name}"`;
  } else {
    found = candidates(workspace, paramKind, namespace).filter((d) => labelSelectorMatches(paramRef.selector!, labelsOf(d.value)));
    what = `${paramKind.kind} that paramRef.selector matches`;
  }
  const where = namespace === undefined ? '' : ` in namespace "${namespace}"`;
  if (found.length === 0) {
    if (paramRef.parameterNotFoundAction === 'Deny') return { denyUnlessPresent: `the cluster has a ${what}${where}, which the workspace does not`, error: NOT_FOUND_DENY };
    return { unknown: `it reads parameters (paramKind/paramRef) from the cluster: no ${what}${where} in the workspace gives them` };
  }
  const params: unknown[] = [];
  for (const param of found) {
    if (param.apiVersion === paramKind.apiVersion) {
      params.push(param.value);
      continue;
    }
    // The API server reads params through paramKind's version (policy_source.go's informer for its
    // resource), converting what was written in another version of the group.
    const conversion = kinds.conversion(paramKind.kind, param.apiVersion!, paramKind.apiVersion);
    if (conversion !== 'apiVersion') return { unknown: `its parameter ${paramKind.kind} "${param.name}" is written as ${param.apiVersion} and read as ${paramKind.apiVersion}: ${conversion.reason}` };
    params.push(asVersion(param.value as Record<string, unknown>, paramKind.apiVersion));
  }
  return { params };
}

/** The objects of paramKind's group and kind, any version, in `namespace` (undefined: without one). */
function candidates(workspace: WorkspaceIndex, paramKind: { apiVersion: string; kind: string }, namespace: string | undefined): ManifestDocument[] {
  const group = groupOf(paramKind.apiVersion);
  const out: ManifestDocument[] = [];
  for (const { doc } of workspace.documents(paramKind.kind)) {
    if (doc.apiVersion && groupOf(doc.apiVersion) === group && doc.namespace === namespace && isRecord(doc.value)) out.push(doc);
  }
  return out;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** metadata.labels of a document value. */
export function labelsOf(value: unknown): Record<string, string> {
  const metadata = isRecord(value) ? value.metadata : undefined;
  return isRecord(metadata) && isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
}

/** The object as served through `apiVersion`, by its value object: made once, not on every keystroke elsewhere. */
const converted = new WeakMap<object, Map<string, Record<string, unknown>>>();

function asVersion(value: Record<string, unknown>, apiVersion: string): Record<string, unknown> {
  let byVersion = converted.get(value);
  if (!byVersion) converted.set(value, (byVersion = new Map()));
  let hit = byVersion.get(apiVersion);
  if (!hit) byVersion.set(apiVersion, (hit = { ...value, apiVersion }));
  return hit;
}
