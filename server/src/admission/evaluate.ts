// What admission says about a document when it is created: every ValidatingAdmissionPolicy of the
// workspace that the API server accepts (policy-compile.ts) and whose binding matches it
// (k8s.io/apiserver/pkg/admission/plugin/policy/matching and
// validating/dispatcher.go Dispatch), once per parameter object (params.ts), its expressions
// evaluated as validator.go Validate does (validator.ts). Only what the workspace can tell: a
// namespaceSelector needs the Namespace document, and a policy with parameters needs the parameter
// objects, else the policy is noted, not guessed.
import type { CelInput } from '@bufbuild/cel';
import { celLibrary } from '../cel/on-demand';
import { celEnvironment } from '../cel/release-environment';
import { labelSelectorMatches, type LabelSelector } from '../k8s/labels';
import { isRecord, type ManifestDocument } from '../manifest';
import { newestRelease } from '../schema/bundled-releases';
import type { WorkspaceIndex } from '../workspace';
import type { Unit } from '../scope/units';
import { isNamespaceDocument, namespaceDocument, namespaceLabels, namespaceViews } from './namespace-object';
import { collectParams, type KindInfo } from './params';
import { policyPairs, type MatchResources, type PolicyPair, type ResourceRule } from './policies';
import { isRefusedPolicy } from './policy-compile';
import { unknownInput, validate } from './validator';
import { admittedLabels, admittedObject, type AdmittedObject } from './admitted-object';
import { withUnknownEntries } from './unknown-entries';
import type { UnknownField } from './prepare-for-create';

export type { KindInfo } from './params';

export interface AdmissionResult {
  pair: PolicyPair;
  /** Deny -> error, Warn -> warning, Audit only -> info. */
  action: 'Deny' | 'Warn' | 'Audit';
  /** As the API server words it. */
  message: string;
  /** Set when the denial stands only if the cluster lacks what the workspace lacks: what would prevent it. */
  unless?: string;
  /**
   * Audit beside Deny or Warn: dispatcher.go Dispatch acts on every action of the binding, so the
   * failure is also recorded in the audit log (publishValidationFailureAnnotation).
   */
  audited?: true;
}

export interface AdmissionNote {
  pair: PolicyPair;
  reason: string;
}

/** The plural resource name (meta.UnsafeGuessKindToResource): Ingress -> ingresses, Policy -> policies, MyEndpoints -> myendpoints. */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  // unpluralizedSuffixes
  if (lower.endsWith('endpoints')) return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * predicates/rules/rules.go Matcher.Matches for a CREATE of the main resource, then matching.go
 * matchesResourceRules' resourceNames (empty: any name; a generated name matches none). Scope:
 * `Namespaced` needs a namespaced object, `Cluster` a cluster-scoped one (a Namespace is cluster-scoped).
 */
function ruleMatches(rule: ResourceRule, doc: ManifestDocument, gvr: { group: string; version: string; resource: string }, namespaced: boolean | undefined): Match {
  const has = (list: string[], v: string) => list.includes('*') || list.includes(v);
  // splitResource: `deployments/*` and `*/*` match the main resource too (sub `*` matches ""), `deployments/scale` does not.
  const resource = rule.resources.some((r) => {
    const slash = r.indexOf('/');
    const [res, sub] = slash < 0 ? [r, ''] : [r.slice(0, slash), r.slice(slash + 1)];
    return (res === '*' || res === gvr.resource) && (sub === '*' || sub === '');
  });
  if (!has(rule.operations, 'CREATE') || !has(rule.apiGroups, gvr.group) || !has(rule.apiVersions, gvr.version) || !resource) return 'no';
  if (rule.resourceNames.length > 0 && !rule.resourceNames.includes(doc.name ?? '')) return 'no';
  if (rule.scope === 'Namespaced' || rule.scope === 'Cluster') {
    if (namespaced === undefined) return { unknown: `its resource rule's scope is ${rule.scope}, and kdry cannot tell whether the kind is namespaced` };
    if (namespaced !== (rule.scope === 'Namespaced')) return 'no';
  }
  return 'yes';
}

type Gvr = { group: string; version: string; resource: string };

/**
 * matching.go matchesResourceRules: the first rule that matches decides; an unknown one counts only
 * when none matches. Under matchPolicy Equivalent a request no rule names is matched again through
 * each equivalent resource (the same resource in another version of its group): the API server then
 * converts the object to that version, so a policy that applies only that way is noted, not judged.
 */
function anyRuleMatches(rules: ResourceRule[], doc: ManifestDocument, gvr: Gvr, namespaced: boolean | undefined, equivalents: Gvr[] = []): Match {
  let unknown: Match = 'no';
  for (const rule of rules) {
    const match = ruleMatches(rule, doc, gvr, namespaced);
    if (match === 'yes') return 'yes';
    if (match !== 'no') unknown = match;
  }
  if (unknown !== 'no') return unknown;
  for (const equivalent of equivalents) {
    if (rules.some((rule) => ruleMatches(rule, doc, equivalent, namespaced) === 'yes')) return { equivalent };
  }
  return 'no';
}

/** `equivalent`: the rules match the request only through that equivalent resource (matchPolicy Equivalent). */
type Match = 'yes' | 'no' | { unknown: string } | { equivalent: Gvr };

/** rules.go IsExemptAdmissionConfigurationResource: admission policies and webhooks do not judge their own configuration. */
const EXEMPT_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding']);

function isExemptAdmissionConfiguration(doc: ManifestDocument): boolean {
  return doc.apiVersion!.startsWith('admissionregistration.k8s.io/') && EXEMPT_KINDS.has(doc.kind!);
}

/** `labels`: the admitted object's labels, read only when a selector needs them. `root`: as admissionResults takes it. */
function matches(m: MatchResources | undefined, doc: ManifestDocument, workspace: WorkspaceIndex, gvr: Gvr, namespaced: boolean | undefined, labels: () => Record<string, string>, equivalents: Gvr[], root: Unit | undefined): Match {
  if (!m) return 'yes';
  const others = m.matchPolicy === 'Equivalent' ? equivalents : [];
  // matching.go Matches: no resourceRules constrain nothing (a binding's matchResources may leave them out).
  const excluded = anyRuleMatches(m.excludeResourceRules, doc, gvr, namespaced, others);
  // Excluded through an equivalent resource too: no conversion is needed to skip the policy.
  if (excluded === 'yes' || (typeof excluded === 'object' && 'equivalent' in excluded)) return 'no';
  const included = m.resourceRules.length > 0 ? anyRuleMatches(m.resourceRules, doc, gvr, namespaced, others) : 'yes';
  if (included === 'no') return 'no';
  if (typeof excluded === 'object') return excluded;
  if (typeof included === 'object' && 'unknown' in included) return included;
  const selected = selectorsMatch(m, doc, workspace, namespaced, labels, root);
  return selected === 'yes' && typeof included === 'object' ? included : selected;
}

/** The object and namespace selectors (matching.go Matches: MatchObjectSelector, MatchNamespaceSelector). */
function selectorsMatch(m: MatchResources, doc: ManifestDocument, workspace: WorkspaceIndex, namespaced: boolean | undefined, labels: () => Record<string, string>, root: Unit | undefined): Match {
  if (m.objectSelector && !labelSelectorMatches(m.objectSelector, labels())) return 'no';
  // predicates/namespace/matcher.go MatchNamespaceSelector: a Namespace is matched by its own labels, a
  // cluster-scoped object always matches, another by its namespace's labels as the cluster stores them.
  // A namespaced object without a namespace lands in kubectl's context namespace, which the workspace does not know.
  if (m.namespaceSelector && !isEmptySelector(m.namespaceSelector)) {
    if (isNamespaceDocument(doc)) return labelSelectorMatches(m.namespaceSelector, namespaceLabels(doc)) ? 'yes' : 'no';
    if (namespaced === false) return 'yes';
    if (doc.namespace === undefined) return { unknown: namespaced ? 'its namespaceSelector needs the labels of the namespace, and the document names none (kubectl applies it in the namespace of its context)' : 'its namespaceSelector needs the labels of the namespace, and kdry cannot tell whether the kind is namespaced' };
    const namespace = namespaceDocument(workspace, doc.namespace, root);
    if (!namespace) return { unknown: `its namespaceSelector needs the labels of namespace "${doc.namespace}", which no Namespace document in the workspace gives` };
    if (!labelSelectorMatches(m.namespaceSelector, namespaceLabels(namespace))) return 'no';
  }
  return 'yes';
}

function isEmptySelector(s: LabelSelector): boolean {
  return !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
}


/** What kdry shows of an audit annotation the policy records: `<policy>/<key>` and its value (dispatcher.go auditAnnotationCollector). */
export interface AuditAnnotationNote {
  policy: string;
  key: string;
  value: string;
}

const NO_KIND_INFO: KindInfo = { namespaced: () => undefined, conversion: () => ({ reason: 'kdry does not know how the API server converts it' }), equivalents: () => [] };

/** The document's resource in the other versions of its group (EquivalentResourceMapper.EquivalentResourcesFor). */
function equivalentResources(doc: ManifestDocument, gvr: Gvr, kinds: KindInfo): Gvr[] {
  return kinds
    .equivalents(doc.apiVersion!, doc.kind!)
    .filter((e) => e.apiVersion !== doc.apiVersion)
    .map((e) => ({ group: gvr.group, version: e.apiVersion.slice(e.apiVersion.indexOf('/') + 1), resource: e.resource }));
}

/**
 * `release`: the release in force, whose StoredExpressions environment compiles the policies'
 * expressions (cel/release-environment.ts); every library kdry has when absent. `kinds`: the scope
 * and versions of a kind (a paramKind's, the document's), from the release's API and the workspace's CRDs.
 * `creator`: a controller that creates `doc` (a workload's pod: controller-pod.ts), its service
 * account the request's user, with the fields of `doc` only the cluster knows; else kubectl's user, unknown.
 * `root`: the kustomization whose build applies `doc` (scope/built-document.ts buildsOf): the
 * Namespace, ServiceAccount and LimitRanges that build makes are the ones the request meets.
 */
export function admissionResults(doc: ManifestDocument, workspace: WorkspaceIndex, plural?: string, release?: string, kinds: KindInfo = NO_KIND_INFO, creator?: Creator, root?: Unit): { results: AdmissionResult[]; notes: AdmissionNote[]; auditAnnotations: AuditAnnotationNote[] } {
  const out = { results: [] as AdmissionResult[], notes: [] as AdmissionNote[], auditAnnotations: [] as AuditAnnotationNote[] };
  if (!doc.apiVersion || !doc.kind || !isRecord(doc.value) || isExemptAdmissionConfiguration(doc)) return out;
  const pairs = policyPairs(workspace);
  if (pairs.length === 0) return out;
  const slash = doc.apiVersion.indexOf('/');
  const gvr = { group: slash < 0 ? '' : doc.apiVersion.slice(0, slash), version: doc.apiVersion.slice(slash + 1), resource: plural ?? guessResource(doc.kind) };
  const env = release === undefined ? undefined : celEnvironment(release, 'stored');
  // A Namespace is cluster-scoped whatever the release's data says of it.
  const namespaced = isNamespaceDocument(doc) ? false : kinds.namespaced(doc.apiVersion, doc.kind);
  // dispatcher.go auditAnnotationCollector: per policy, each key's distinct values across its bindings and params.
  const annotations = new Map<string, Map<string, string[]>>();
  const seen = new Set<string>();
  // The document as the API server admits it, converted to CEL when a policy first applies to it, per apiVersion the policies see it in.
  const admittedAs = new Map<string, AdmittedObject>();
  let namespace: { namespaceObject: CelInput; namespace: CelInput } | undefined;
  let labels: Record<string, string> | undefined;
  let equivalents: Gvr[] | undefined;
  const objectLabels = () => (labels ??= admittedLabels(doc, workspace, release ?? newestRelease(), root));
  const push = (result: AdmissionResult): void => {
    // One policy evaluated for several params says the same thing once.
    const key = `${result.pair.policy.name}\0${result.pair.binding.name}\0${result.action}\0${result.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.results.push(result);
  };
  for (const pair of pairs) {
    const { policy, binding } = pair;
    // A policy or binding the API server refuses at creation (its own finding says why) is never in the cluster.
    if (isRefusedPolicy(policy, release) || binding.creation.malformed || binding.creation.errors.length > 0) continue;
    equivalents ??= equivalentResources(doc, gvr, kinds);
    const match = [matches(policy.matchConstraints, doc, workspace, gvr, namespaced, objectLabels, equivalents, root), matches(binding.matchResources, doc, workspace, gvr, namespaced, objectLabels, equivalents, root)];
    if (match.includes('no')) continue;
    const unknown = match.find((m): m is { unknown: string } => typeof m === 'object' && 'unknown' in m);
    if (unknown) {
      out.notes.push({ pair, reason: unknown.unknown });
      continue;
    }
    // Under Equivalent the policy sees the object converted to the version its rule names
    // (admission.NewVersionedAttributes -> ConvertToGVK), and the request's kind and resource are that
    // version's (cel/condition.go CreateAdmissionRequest: requestKind and requestResource stay the document's).
    const converted = match.find((m): m is { equivalent: Gvr } => typeof m === 'object' && 'equivalent' in m)?.equivalent;
    const seen = converted ?? gvr;
    const apiVersion = seen.group ? `${seen.group}/${seen.version}` : seen.version;
    if (converted) {
      const conversion = kinds.conversion(doc.kind, doc.apiVersion, apiVersion);
      if (conversion !== 'apiVersion') {
        out.notes.push({ pair, reason: `its rules name ${apiVersion}, not ${doc.apiVersion}: under matchPolicy Equivalent the API server converts the ${doc.kind} to ${apiVersion} and judges that (matching.go matchesResourceRules): ${conversion.reason}` });
        continue;
      }
    }
    const denied = (detail: string): string => `ValidatingAdmissionPolicy '${policy.name}' with binding '${binding.name}' denied request: ${detail}`;
    const collected = collectParams(pair, doc, workspace, kinds);
    if ('unknown' in collected) {
      out.notes.push({ pair, reason: collected.unknown });
      continue;
    }
    // dispatcher.go addConfigError: a denial under Fail whatever the validationActions, nothing under Ignore.
    if ('configError' in collected || 'denyUnlessPresent' in collected) {
      if (policy.failurePolicy === 'Fail') {
        const message = denied(`failed to configure binding: ${'configError' in collected ? collected.configError : collected.error}`);
        push({ pair, action: 'Deny', message, ...('denyUnlessPresent' in collected ? { unless: collected.denyUnlessPresent } : {}) });
      }
      continue;
    }
    const request = requestOf(doc, gvr, namespaced, converted, creator?.username);
    namespace ??= namespaceInputs(doc, workspace, kinds, root);
    const actions = binding.validationActions;
    const action = actions.includes('Deny') ? 'Deny' : actions.includes('Warn') ? 'Warn' : actions.includes('Audit') ? 'Audit' : undefined;
    let admitted = admittedAs.get(apiVersion);
    if (!admitted) admittedAs.set(apiVersion, (admitted = admittedObject(doc, workspace, release ?? newestRelease(), namespaced, apiVersion, creator?.unknown, root)));
    for (const param of collected.params) {
      const result = validate(policy, { object: admitted.object, oldObject: null, request, params: param === null ? null : paramsOf(param), ...namespace }, env);
      for (const reason of result.unsupported) out.notes.push({ pair, reason });
      // dispatcher.go Dispatch: a Deny decision (a false validation, or an error under Fail) follows validationActions.
      for (const decision of result.decisions) {
        if (decision.action !== 'deny' || !action) continue;
        const missing = admitted.defaulted || decision.evaluation !== 'error' ? undefined : NO_SUCH_KEY.exec(decision.message);
        if (missing) {
          out.notes.push({ pair, reason: `an expression reads \`${missing[1]}\`, which the document leaves out and the API server may default for a ${doc.kind} (kdry does not model its defaults)` });
          continue;
        }
        const failed = `Validation failed for ValidatingAdmissionPolicy '${policy.name}' with binding '${binding.name}': ${decision.message}`;
        const message = action === 'Deny' ? denied(decision.message) : failed;
        push({ pair, action, message, ...(action !== 'Audit' && actions.includes('Audit') ? { audited: true as const } : {}) });
      }
      for (const annotation of result.auditAnnotations) {
        // An audit annotation's error denies whatever the validationActions.
        if (annotation.action === 'error') push({ pair, action: 'Deny', message: denied(annotation.error!) });
        else if (annotation.action === 'publish') {
          const byKey = annotations.get(policy.name) ?? new Map<string, string[]>();
          annotations.set(policy.name, byKey);
          const values = byKey.get(annotation.key) ?? [];
          byKey.set(annotation.key, values);
          const value = annotation.value!.slice(0, MAX_AUDIT_ANNOTATION_VALUE_LENGTH);
          if (!values.includes(value)) values.push(value);
        }
      }
    }
  }
  for (const [policy, byKey] of annotations) for (const [key, values] of byKey) out.auditAnnotations.push({ policy, key: `${policy}/${key}`, value: values.join(', ') });
  return out;
}

/**
 * The request's namespace for `namespaceObject` (generic/policy_dispatcher.go Dispatch): null for a
 * Namespace and for a cluster-scoped object, else the workspace's Namespace document. Without it the
 * cluster's namespace is unknown: an expression that reads it is noted, not judged.
 */
function namespaceInputs(doc: ManifestDocument, workspace: WorkspaceIndex, kinds: KindInfo, root: Unit | undefined): { namespaceObject: CelInput; namespace: CelInput } {
  const none = { namespaceObject: null, namespace: null };
  if (isNamespaceDocument(doc)) return none;
  const unknown = (reason: string) => {
    const value = unknownInput(reason);
    return { namespaceObject: value, namespace: value };
  };
  if (doc.namespace === undefined) {
    const namespaced = kinds.namespaced(doc.apiVersion!, doc.kind!);
    if (namespaced === false) return none;
    return unknown(namespaced ? 'it reads namespaceObject, and the document names no namespace (kubectl applies it in the namespace of its context)' : 'it reads namespaceObject, and kdry cannot tell whether the kind is namespaced');
  }
  const found = namespaceDocument(workspace, doc.namespace, root);
  const views = found && namespaceViews(found);
  if (!views) return unknown(`it reads namespaceObject, the Namespace "${doc.namespace}", which the workspace does not hold`);
  return { namespaceObject: views.cleaned, namespace: views.full };
}

/** dispatcher.go maxAuditAnnotationValueLength. */
const MAX_AUDIT_ANNOTATION_VALUE_LENGTH = 10 * 1024;

/** cel-go's error for a field the object lacks (cel/environment.ts asCelGo). */
const NO_SUCH_KEY = /no such key: ([^\s,'"]+)/;

/**
 * What the request holds that only the cluster knows: who sends it, and the client's options. (Its
 * uid is serialised too, but compile.go BuildRequestType declares no `uid`: a policy that reads it is refused.)
 */
const UNKNOWN_REQUEST_FIELDS = new Map([['userInfo', 'it reads request.userInfo, the user who applies the manifest, which only the cluster knows']]);

/** Who creates the object when a controller does: its service account, and what only the cluster knows of the object. */
export interface Creator {
  username: string;
  unknown: readonly UnknownField[];
}

/**
 * A service account's user (serviceaccount/util.go UserInfo): its name, and the groups
 * system:serviceaccounts, system:serviceaccounts:<namespace> and system:authenticated
 * (authenticator's AuthenticatedGroupAdder); its uid and the token's extra are the cluster's.
 */
function serviceAccountUser(username: string): CelInput {
  const namespace = username.split(':')[2];
  const known = new Map<string, CelInput>([['username', username], ['groups', ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated']]]);
  const reason = (field: string) => `it reads request.userInfo.${field}, which only the cluster knows for the controller's service account`;
  return withUnknownEntries(known, new Map([['uid', reason('uid')], ['extra', reason('extra')]]));
}
const UNKNOWN_OPTIONS = new Map(['dryRun', 'fieldManager', 'fieldValidation'].map((f) => [f, `it reads request.options.${f}, which depends on the client (kubectl create, apply or server-side apply)`]));

/**
 * The admission request of a CREATE of `doc` (cel/condition.go CreateAdmissionRequest), as CEL reads
 * it: runtime.DefaultUnstructuredConverter leaves out the empty `omitempty` fields, so a CREATE of the
 * main resource has no subResource or requestSubResource, a cluster-scoped object no namespace and a
 * generated name no name, and `request.subResource` fails with "no such key" there as in the cluster.
 * requestKind and requestResource are the kind and resource (no matchPolicy conversion between
 * versions here); options is the CreateOptions the handler sets (handlers/create.go).
 */
function requestOf(doc: ManifestDocument, gvr: Gvr, namespaced: boolean | undefined, equivalent: Gvr = gvr, username?: string): CelInput {
  const kind = (r: Gvr) => new Map([['group', r.group], ['version', r.version], ['kind', doc.kind!]]);
  const resource = (r: Gvr) => new Map([['group', r.group], ['version', r.version], ['resource', r.resource]]);
  // A controller sends empty CreateOptions (controller_utils.go createPods: metav1.CreateOptions{}).
  const options = withUnknownEntries(new Map([['kind', 'CreateOptions'], ['apiVersion', 'meta.k8s.io/v1']]), username === undefined ? UNKNOWN_OPTIONS : new Map());
  const known = new Map<string, CelInput>([
    ['kind', kind(equivalent)],
    ['resource', resource(equivalent)],
    ['requestKind', kind(gvr)],
    ['requestResource', resource(gvr)],
    ['operation', 'CREATE'],
    ['dryRun', false],
    ['options', options],
  ]);
  if (doc.name) known.set('name', doc.name);
  const unknown = new Map(UNKNOWN_REQUEST_FIELDS);
  if (username !== undefined) {
    known.set('userInfo', serviceAccountUser(username));
    unknown.delete('userInfo');
  }
  // A cluster-scoped object's request has no namespace, whatever its metadata says (kubectl sends none).
  if (namespaced === false || isNamespaceDocument(doc)) {
    // Nothing to add.
  } else if (doc.namespace) known.set('namespace', doc.namespace);
  else unknown.set('namespace', namespaced ? 'it reads request.namespace, and the document names none (kubectl applies it in the namespace of its context)' : 'it reads request.namespace, and kdry cannot tell whether the kind is namespaced');
  return withUnknownEntries(known, unknown);
}

/** A param document's value as CEL, by its value object: converted once, not on every keystroke in another document. */
const converted = new WeakMap<object, CelInput>();

function paramsOf(value: unknown): CelInput {
  if (typeof value !== 'object' || value === null) return celLibrary().toCel(value);
  let hit = converted.get(value);
  if (hit === undefined) {
    hit = celLibrary().toCel(value);
    converted.set(value, hit);
  }
  return hit;
}
