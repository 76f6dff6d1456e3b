// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding documents of the workspace
// (admissionregistration.k8s.io/v1), read once per change of their text, paired by policyName.
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { LabelSelector } from '../k8s/labels';
import { bindingCreationChecks, policyCreationChecks } from './creation-checks';
import type { CreationChecks } from './match-resources-checks';

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  /** Empty: any name. */
  resourceNames: string[];
  /** `*` (the default), `Cluster` or `Namespaced`. */
  scope: string;
}

export interface MatchResources {
  /** Equivalent (the API server's default): a rule also matches the same resource through another version of its group (matching.go matchesResourceRules). */
  matchPolicy: 'Exact' | 'Equivalent';
  resourceRules: ResourceRule[];
  excludeResourceRules: ResourceRule[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

export interface PolicyValidation {
  /** Its index in spec.validations. */
  index: number;
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface Policy {
  name: string;
  matchConstraints: MatchResources;
  /** `index`: the position in the policy's list, for placing findings. */
  matchConditions: Named[];
  variables: Named[];
  validations: PolicyValidation[];
  /** Evaluated for the audit log: a string value is recorded as `<policy>/<key>` (validator.go Validate). */
  auditAnnotations: { index: number; key: string; valueExpression: string }[];
  /** The kind of the parameter object a binding's paramRef names. */
  paramKind?: { apiVersion: string; kind: string };
  /** What an expression's error decides: Fail (the default) denies, Ignore admits (validating/validator.go policyDecisionActionForError). */
  failurePolicy: 'Fail' | 'Ignore';
  /** What the API server refuses in the policy's spec, besides its expressions, when it is created (creation-checks.ts). */
  creation: CreationChecks;
}

export interface Binding {
  name: string;
  policyName: string;
  /** Deny, Warn, Audit. */
  validationActions: string[];
  matchResources?: MatchResources;
  paramRef?: ParamRef;
  /** What the API server refuses in the binding's spec when it is created (creation-checks.ts). */
  creation: CreationChecks;
}

/** Which parameter objects a binding reads (generic/policy_dispatcher.go CollectParams). */
export interface ParamRef {
  name?: string;
  namespace?: string;
  /** Every object of the paramKind its labels match (in the namespace, for a namespaced kind). */
  selector?: LabelSelector;
  /** `Deny`: no parameter object found denies the request (under failurePolicy Fail). */
  parameterNotFoundAction?: string;
}

export interface PolicyPair {
  policy: Policy;
  binding: Binding;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const selector = (v: unknown): LabelSelector | undefined => (isRecord(v) ? (v as LabelSelector) : undefined);

function rules(v: unknown): ResourceRule[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((r) => ({
    apiGroups: strings(r.apiGroups),
    apiVersions: strings(r.apiVersions),
    resources: strings(r.resources),
    operations: strings(r.operations),
    resourceNames: strings(r.resourceNames),
    scope: typeof r.scope === 'string' ? r.scope : '*',
  }));
}

function matchResources(v: unknown): MatchResources | undefined {
  if (!isRecord(v)) return undefined;
  return { matchPolicy: v.matchPolicy === 'Exact' ? 'Exact' : 'Equivalent', resourceRules: rules(v.resourceRules), excludeResourceRules: rules(v.excludeResourceRules), namespaceSelector: selector(v.namespaceSelector), objectSelector: selector(v.objectSelector) };
}

interface Named {
  index: number;
  name: string;
  expression: string;
}

/** The entries of a list that are records, with their index in the list. */
function records(v: unknown): [Record<string, unknown>, number][] {
  return Array.isArray(v) ? v.map((x, i) => [x, i] as [unknown, number]).filter((e): e is [Record<string, unknown>, number] => isRecord(e[0])) : [];
}

function named(v: unknown): Named[] {
  return records(v)
    .filter(([x]) => typeof x.name === 'string' && typeof x.expression === 'string')
    .map(([x, index]) => ({ index, name: x.name as string, expression: x.expression as string }));
}

export function readPolicy(doc: ManifestDocument): Policy | undefined {
  const v = doc.value;
  if (!isRecord(v) || !isRecord(v.spec) || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') return undefined;
  const spec = v.spec;
  const validations = records(spec.validations)
    .filter(([x]) => typeof x.expression === 'string')
    .map(([x, index]) => ({
      index,
      expression: x.expression as string,
      ...(typeof x.message === 'string' ? { message: x.message } : {}),
      ...(typeof x.messageExpression === 'string' ? { messageExpression: x.messageExpression } : {}),
      ...(typeof x.reason === 'string' ? { reason: x.reason } : {}),
    }));
  return {
    name: v.metadata.name,
    matchConstraints: matchResources(spec.matchConstraints) ?? { matchPolicy: 'Equivalent', resourceRules: [], excludeResourceRules: [] },
    matchConditions: named(spec.matchConditions),
    variables: named(spec.variables),
    validations,
    auditAnnotations: records(spec.auditAnnotations)
      .filter(([x]) => typeof x.key === 'string' && typeof x.valueExpression === 'string')
      .map(([x, index]) => ({ index, key: x.key as string, valueExpression: x.valueExpression as string })),
    ...(isRecord(spec.paramKind) ? { paramKind: { apiVersion: String(spec.paramKind.apiVersion ?? ''), kind: String(spec.paramKind.kind ?? '') } } : {}),
    // The API server defaults an unset failurePolicy to Fail and accepts only Fail or Ignore.
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    creation: policyCreationChecks(spec),
  };
}

function paramRef(v: Record<string, unknown>): ParamRef {
  return {
    ...(typeof v.name === 'string' && v.name ? { name: v.name } : {}),
    ...(typeof v.namespace === 'string' && v.namespace ? { namespace: v.namespace } : {}),
    ...(isRecord(v.selector) ? { selector: v.selector as LabelSelector } : {}),
    ...(typeof v.parameterNotFoundAction === 'string' ? { parameterNotFoundAction: v.parameterNotFoundAction } : {}),
  };
}

export function readBinding(doc: ManifestDocument): Binding | undefined {
  const v = doc.value;
  if (!isRecord(v) || !isRecord(v.spec) || !isRecord(v.metadata) || typeof v.metadata.name !== 'string' || typeof v.spec.policyName !== 'string') return undefined;
  return {
    name: v.metadata.name,
    policyName: v.spec.policyName,
    validationActions: strings(v.spec.validationActions),
    matchResources: matchResources(v.spec.matchResources),
    ...(isRecord(v.spec.paramRef) ? { paramRef: paramRef(v.spec.paramRef) } : {}),
    creation: bindingCreationChecks(v.spec),
  };
}

const bySource = new Map<string, Policy | Binding | null>();

function cached<T extends Policy | Binding>(doc: ManifestDocument, read: (doc: ManifestDocument) => T | undefined): T | undefined {
  const key = `${doc.kind}\u0000${doc.source}`;
  if (!bySource.has(key)) {
    if (bySource.size > 2000) bySource.clear();
    bySource.set(key, read(doc) ?? null);
  }
  return (bySource.get(key) as T | null) ?? undefined;
}

const pairsByWorkspace = new WeakMap<WorkspaceIndex, { revision: number; pairs: PolicyPair[] }>();

/** Every policy of the workspace with each binding that names it; scanned once per workspace change. */
export function policyPairs(workspace: WorkspaceIndex): PolicyPair[] {
  const known = pairsByWorkspace.get(workspace);
  if (known?.revision === workspace.revision) return known.pairs;
  const pairs = findPairs(workspace);
  pairsByWorkspace.set(workspace, { revision: workspace.revision, pairs });
  return pairs;
}

function findPairs(workspace: WorkspaceIndex): PolicyPair[] {
  const policies = new Map<string, Policy>();
  for (const { doc } of workspace.documents('ValidatingAdmissionPolicy')) {
    if (doc.apiVersion !== ADMISSION_API_VERSION) continue;
    const policy = cached(doc, readPolicy);
    if (policy && !policies.has(policy.name)) policies.set(policy.name, policy);
  }
  if (policies.size === 0) return [];
  const pairs: PolicyPair[] = [];
  for (const { doc } of workspace.documents('ValidatingAdmissionPolicyBinding')) {
    if (doc.apiVersion !== ADMISSION_API_VERSION) continue;
    const binding = cached(doc, readBinding);
    const policy = binding && policies.get(binding.policyName);
    if (binding && policy) pairs.push({ policy, binding });
  }
  return pairs;
}
