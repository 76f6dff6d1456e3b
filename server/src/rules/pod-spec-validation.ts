// Pod spec fields whose values the schema accepts but the API server's validation refuses together
// (kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePodSpec): user namespaces
// with host namespaces, container resource claims naming no pod claim, resize policies and
// pod-level resources. A field the release drops because its gate is off is not validated there
// (pkg/api/pod/util.go dropDisabledFields runs first), so each check runs only where its gate is on
// by default; schema/feature-gates.ts notes the dropped field instead.
import { isRecord, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { podTemplate, podTemplatePath, valueAt } from '../manifest/pod-template';
import { fieldPath } from './lookup/field-path';
import { FEATURE_GATES, gateOnByDefault, type FeatureGate } from '../k8s/feature-gates';
import { isSupportedPodLevelResource } from '../k8s/pod-level-resources';
import { podResourcesOf } from '../k8s/limit-range';
import { podTotal, resourceListOf } from '../k8s/resource-list';
import { compareAmounts, formatAmount } from '../k8s/quantity-amount';
import { quantityFraction } from '../k8s/quantity';

export const podSpecValidation: Rule = defineRule({
  id: 'pod-spec-validation',
  title: 'Pod spec fields the API server refuses together',
  severity: 'error',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod', 'v1/ReplicationController'],
  description: [
    'The API server validates newer pod fields against each other and refuses the pod (a workload\'s pods: its controller records FailedCreate and none start). kdry reports, where the release validates them:',
    '`hostUsers: false` with `hostNetwork`, `hostPID` or `hostIPC` (`spec.hostNetwork: Forbidden: when \\`pod.Spec.HostUsers\\` is false`, from 1.33, where UserNamespacesSupport is on by default);',
    'a container\'s `resources.claims[].name` that no `spec.resourceClaims` entry has (`Not found: "tpu": must be one of the names in pod.spec.resourceClaims: gpu`), a repeated claim name, and a pod claim that sets neither or both of `resourceClaimName` and `resourceClaimTemplateName` (from 1.34, where DynamicResourceAllocation is GA);',
    'a repeated `resizePolicy` resourceName or one other than cpu and memory (from 1.33, InPlacePodVerticalScaling);',
    'pod-level `resources` naming a resource other than cpu, memory or hugepages-*, setting `claims`, or requesting more than its limit, pod-level requests below the aggregate container request, or a container limit above the pod-level limit (from 1.34, PodLevelResources).',
  ].join(' '),
  remediation: 'Drop the host namespace or `hostUsers: false`; name each container claim after a `spec.resourceClaims` entry that sets exactly one source; list each resizePolicy resource once; keep pod-level resources to cpu, memory and hugepages with requests no larger than limits, requests covering the containers and limits covering each container.',
  check,
});

/** The pod spec's fields the release still has, by the gate that keeps each (dropDisabledFields drops the rest). */
interface Gates {
  userNamespaces: boolean;
  resourceClaims: boolean;
  resize: boolean;
  podLevelResources: boolean;
}

function check({ doc, kubernetes }: RuleContext): Finding[] {
  const template = podTemplatePath(doc);
  if (!template) return [];
  const specPath = [...template, 'spec'];
  const spec = valueAt(doc.value, specPath);
  if (!isRecord(spec)) return [];
  const on = (gate: FeatureGate) => gateOnByDefault(gate, kubernetes.version);
  const gates: Gates = {
    userNamespaces: on(FEATURE_GATES.UserNamespacesSupport),
    resourceClaims: on(FEATURE_GATES.DynamicResourceAllocation),
    resize: on(FEATURE_GATES.InPlacePodVerticalScaling),
    podLevelResources: on(FEATURE_GATES.PodLevelResources),
  };
  const out = new Report(doc);
  if (gates.userNamespaces) hostNamespaces(spec, specPath, out);
  const podClaims = gates.resourceClaims ? podResourceClaims(spec, specPath, out) : new Set<string>();
  for (const c of podTemplate(doc, true)?.containers ?? []) {
    if (gates.resourceClaims) containerClaims(c.value, c.path, podClaims, out);
    if (gates.resize) resizePolicy(c.value.resizePolicy, [...c.path, 'resizePolicy'], out);
  }
  if (gates.podLevelResources && isRecord(spec.resources)) {
    podLevelResources(spec.resources, [...specPath, 'resources'], out);
    podResourceConsistency(spec, spec.resources, specPath, out);
  }
  return out.findings;
}

/** Collects findings, each located only when made (most documents have none). */
class Report {
  readonly findings: Finding[] = [];
  constructor(private readonly doc: ManifestDocument) {}
  /** `field` as the API server prints it (a path, or its text where a map key is bracketed); `at` where to underline. */
  add(field: ObjectPath | string, error: string, at: ObjectPath = field as ObjectPath): void {
    const range = valueRange(this.doc, at) ?? valueRange(this.doc, at.slice(0, -1));
    if (!range) return;
    const printed = typeof field === 'string' ? field : fieldPath(field);
    this.findings.push({ ruleId: podSpecValidation.id, range, message: `The API server rejects this ${this.doc.kind}: \`${printed}: ${error}\`.` });
  }
}

/**
 * validateHostUsers: a pod in its own user namespace may not share the host's network, PID or IPC
 * namespace. (The PID and IPC paths are capitalised upstream. KEP-5607's UserNamespacesHostNetworkSupport,
 * alpha and off in 1.35, would allow hostNetwork; kdry assumes gates at their defaults.)
 */
function hostNamespaces(spec: Record<string, unknown>, specPath: ObjectPath, out: Report): void {
  if (spec.hostUsers !== false) return;
  const forbidden = 'Forbidden: when `pod.Spec.HostUsers` is false';
  if (spec.hostNetwork === true) out.add([...specPath, 'hostNetwork'], forbidden);
  if (spec.hostPID === true) out.add([...specPath, 'HostPID'], forbidden, [...specPath, 'hostPID']);
  if (spec.hostIPC === true) out.add([...specPath, 'HostIPC'], forbidden, [...specPath, 'hostIPC']);
}

/**
 * validatePodResourceClaims / validatePodResourceClaim: each claim name once, and exactly one of
 * resourceClaimName and resourceClaimTemplateName. Returns the names (gatherPodResourceClaimNames).
 */
/** The fields of core/v1 PodResourceClaim from 1.31. */
const POD_RESOURCE_CLAIM_FIELDS: ReadonlySet<string> = new Set(['name', 'resourceClaimName', 'resourceClaimTemplateName']);

function podResourceClaims(spec: Record<string, unknown>, specPath: ObjectPath, out: Report): Set<string> {
  const names = new Set<string>();
  const claims = spec.resourceClaims;
  if (!Array.isArray(claims)) return names;
  claims.forEach((claim: unknown, i) => {
    if (!isRecord(claim)) return;
    const path = [...specPath, 'resourceClaims', i];
    if (typeof claim.name === 'string' && claim.name !== '') {
      if (names.has(claim.name)) out.add([...path, 'name'], `Duplicate value: "${claim.name}"`);
      names.add(claim.name);
    }
    const sources = ['resourceClaimName', 'resourceClaimTemplateName'].filter((f) => claim[f] !== undefined && claim[f] !== null);
    const value = 'Invalid value: core.PodResourceClaim{...}';
    if (sources.length === 2) out.add(path, `${value}: at most one of \`resourceClaimName\` or \`resourceClaimTemplateName\` may be specified`);
    // An entry written with a field this release does not have (1.29-1.30's `source:`) is refused by
    // kubectl's strict decoding before validation runs, and the schema check says so.
    const unknown = Object.keys(claim).some((k) => !POD_RESOURCE_CLAIM_FIELDS.has(k));
    if (sources.length === 0 && !unknown) out.add(path, `${value}: must specify one of: \`resourceClaimName\`, \`resourceClaimTemplateName\``);
  });
  return names;
}

/** validateResourceClaimNames: a container's claims name pod claims, each once. */
function containerClaims(container: Record<string, unknown>, containerPath: ObjectPath, podClaims: Set<string>, out: Report): void {
  const claims = valueAt(container, ['resources', 'claims']);
  if (!Array.isArray(claims)) return;
  const seen = new Set<string>();
  claims.forEach((claim: unknown, i) => {
    const name = isRecord(claim) ? claim.name : undefined;
    if (typeof name !== 'string' || name === '') return;
    const path = [...containerPath, 'resources', 'claims', i];
    if (seen.has(name)) out.add(path, `Duplicate value: "${name}"`, [...path, 'name']);
    seen.add(name);
    if (podClaims.has(name)) return;
    const known = podClaims.size === 0 ? ' which is empty' : `: ${[...podClaims].sort().join(', ')}`;
    out.add(path, `Not found: "${name}": must be one of the names in pod.spec.resourceClaims${known}`, [...path, 'name']);
  });
}

const RESIZE_RESOURCES = ['cpu', 'memory'];

/** validateResizePolicy: each resource once, and only cpu and memory. */
function resizePolicy(policies: unknown, path: ObjectPath, out: Report): void {
  if (!Array.isArray(policies)) return;
  const seen = new Set<string>();
  policies.forEach((policy: unknown, i) => {
    const name = isRecord(policy) ? policy.resourceName : undefined;
    if (typeof name !== 'string' || name === '') return;
    if (seen.has(name)) out.add([...path, i], `Duplicate value: "${name}"`, [...path, i, 'resourceName']);
    seen.add(name);
    if (!RESIZE_RESOURCES.includes(name)) out.add(path, `Unsupported value: "${name}": supported values: "cpu", "memory"`, [...path, i, 'resourceName']);
  });
}

/**
 * validatePodResources: no claims at pod level; validatePodResourceRequirements: only the
 * resources component-helpers IsSupportedPodLevelResource allows, and no request above its limit
 * (the path is the requests map, as for a container's).
 */
function podLevelResources(resources: Record<string, unknown>, path: ObjectPath, out: Report): void {
  if (resources.claims !== undefined && resources.claims !== null) out.add([...path, 'claims'], 'Forbidden: claims cannot be set for Resources at pod-level');
  const requests = isRecord(resources.requests) ? resources.requests : {};
  const limits = isRecord(resources.limits) ? resources.limits : {};
  for (const [list, values] of [['limits', limits], ['requests', requests]] as const)
    for (const name of Object.keys(values))
      if (!isSupportedPodLevelResource(name)) out.add(`${fieldPath([...path, list])}[${name}]`, `Unsupported value: "${name}": supported values: "cpu", "memory"`, [...path, list, name]);
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined || !isSupportedPodLevelResource(name)) continue;
    if (exceeds(request, limit)) out.add([...path, 'requests'], `Invalid value: "${String(request)}": must be less than or equal to ${name} limit of ${String(limit)}`, [...path, 'requests', name]);
  }
}

/**
 * validatePodResourceConsistency: a pod-level request covers the containers' aggregate request
 * (component-helpers AggregateContainerRequests: the containers' sum, sidecars added, each other init
 * container with the sidecars before it, the larger wins; a container limit stands for its missing
 * request, as SetDefaults_Pod sets it before validation), and no container's limit exceeds the pod's.
 * Only resources the pod names are compared. The container path is built from the pod-level
 * resources path, as upstream builds it (`spec.resources.containers[0][cpu].limits`).
 *
 * Worked example: containers requesting cpu 600m and 500m, a sidecar 200m and `spec.resources.requests.cpu: 1`
 * -> aggregate 1300m > 1: `spec.resources.requests[cpu]: Invalid value: "1": must be greater than or
 * equal to aggregate container requests of 1300m`.
 */
function podResourceConsistency(spec: Record<string, unknown>, resources: Record<string, unknown>, specPath: ObjectPath, out: Report): void {
  const path = [...specPath, 'resources'];
  const podRequests = resourceListOf(resources.requests);
  const podLimits = resourceListOf(resources.limits);
  const containers = podResourcesOf(spec);
  for (const [name, aggregate] of podTotal(containers.containers, containers.initContainers, 'requests')) {
    const request = podRequests.get(name);
    if (request && compareAmounts(aggregate, request) > 0)
      out.add(`${fieldPath([...path, 'requests'])}[${name}]`, `Invalid value: "${formatAmount(request)}": must be greater than or equal to aggregate container requests of ${formatAmount(aggregate)}`, [...path, 'requests', name]);
  }
  containers.containers.forEach((container, i) => {
    for (const [name, limit] of container.limits) {
      const podLimit = podLimits.get(name);
      if (podLimit && compareAmounts(limit, podLimit) > 0)
        out.add(`${fieldPath([...path, 'containers'])}[${i}][${name}].limits`, `Invalid value: "${formatAmount(limit)}": must be less than or equal to pod limits of ${formatAmount(podLimit)}`, [...specPath, 'containers', i, 'resources', 'limits', name]);
    }
  });
}

/** `a` > `b` as exact quantities; false when either is not a quantity (the schema reports those). */
function exceeds(a: unknown, b: unknown): boolean {
  const x = typeof a === 'string' || typeof a === 'number' ? quantityFraction(String(a)) : undefined;
  const y = typeof b === 'string' || typeof b === 'number' ? quantityFraction(String(b)) : undefined;
  return x !== undefined && y !== undefined && x.numerator * y.denominator > y.numerator * x.denominator;
}
