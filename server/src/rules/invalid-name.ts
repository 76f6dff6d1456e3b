// Object, namespace, container and port names as the API server validates them.
import { isRecord, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { fieldPath } from './lookup/field-path';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, maxLenError, sanitizeDnsName } from '../k8s/validation';
import { podTemplate, valueAt } from '../manifest/pod-template';
import { isClusterScoped } from '../scope/scope';
import type { SchemaCatalog } from '../schema/catalog';
import type { KubernetesTarget } from '../schema/target';

/** A CronJob's name plus the 11 characters of its Jobs' scheduled-time suffix must fit a label. */
const CRONJOB_NAME_MAX = 52;

export const invalidName: Rule = defineRule({
  id: 'invalid-name',
  title: 'Name the API server does not accept',
  severity: 'error',
  partialObjects: true,
  templates: true,
  description: [
    'Names end up in DNS and in labels, so the API server checks them with apimachinery\'s validators:',
    'most objects (workloads, ConfigMaps, Secrets, Ingresses, budgets, autoscalers, policies and every custom resource) need a lowercase RFC 1123 subdomain (`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253 characters);',
    'a Service needs a DNS-1035 label (starts with a letter, at most 63 characters) because it becomes a DNS name; a Namespace an RFC 1123 label;',
    'a StatefulSet needs an RFC 1123 label (no dots, at most 63 characters), because its pods use `<name>-<ordinal>` as their hostname;',
    'RBAC objects (Role, ClusterRole and their bindings) only a path segment (not `.` or `..`, no `/` or `%`), so `system:aggregate-to-view` is fine;',
    'a CronJob name may have at most 52 characters (its Jobs append an 11-character suffix) and a Job name at most 63 (it becomes a label value on its pods); namespaces and container names are RFC 1123 labels;',
    'port names are IANA service names (at most 15 characters, a-z, 0-9 and single hyphens, at least one letter).',
    'The message is the API server\'s own, e.g. `metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of ...`.',
  ].join(' '),
  remediation: 'Use lower case letters, digits and hyphens (dots only in subdomain names), starting and ending with a letter or digit. The quick-fix proposes the nearest valid name.',
  check,
});

type Validator = (v: string) => string[];

/**
 * Built-in kinds whose Validate<Kind>Name is apimachinery's NameIsDNSSubdomain (pkg/apis/<group>/validation:
 * ValidatePodName, ValidateReplicationControllerName, ValidateConfigMapName, ValidateSecretName,
 * ValidateServiceAccountName, ValidatePersistentVolumeName, ValidateEndpointsName,
 * ValidateLimitRangeName, ValidateResourceQuotaName, ValidateNodeName, ValidateIngressName,
 * ValidateHorizontalPodAutoscalerName, and the apps, batch, policy, networking, scheduling, storage and
 * admissionregistration objects' ValidateObjectMeta calls), keyed `group/kind`.
 */
const SUBDOMAIN_KINDS = new Set([
  ...['Pod', 'PodTemplate', 'ReplicationController', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'Endpoints', 'LimitRange', 'ResourceQuota', 'Node'].map((k) => `/${k}`),
  ...['Deployment', 'ReplicaSet', 'DaemonSet', 'ControllerRevision'].map((k) => `apps/${k}`),
  'batch/Job',
  'batch/CronJob',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  ...['Ingress', 'IngressClass', 'NetworkPolicy'].map((k) => `networking.k8s.io/${k}`),
  'discovery.k8s.io/EndpointSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
  'node.k8s.io/RuntimeClass',
  'coordination.k8s.io/Lease',
  ...['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map((k) => `admissionregistration.k8s.io/${k}`),
]);

const RBAC_GROUP = 'rbac.authorization.k8s.io';

interface NameCheck {
  validate: Validator;
  max: number;
  dots: boolean;
}

const SUBDOMAIN: NameCheck = { validate: isDNS1123Subdomain, max: 253, dots: true };

/** The name validator the API server's ValidateObjectMeta runs for this kind, where kdry knows it. */
function nameCheck(doc: ManifestDocument, kubernetes: KubernetesTarget): NameCheck | undefined {
  const group = doc.apiVersion?.includes('/') ? doc.apiVersion.slice(0, doc.apiVersion.indexOf('/')) : '';
  if (group === '' && doc.kind === 'Service') return { validate: isDNS1035Label, max: 63, dots: false };
  // ValidateNamespaceName is NameIsDNSLabel
  if (group === '' && doc.kind === 'Namespace') return { validate: isDNS1123Label, max: 63, dots: false };
  // its pods are named `<name>-<ordinal>` and use that as their hostname: a DNS label
  if (group === 'apps' && doc.kind === 'StatefulSet') return { validate: isDNS1123Label, max: 63, dots: false };
  // rbac/validation ValidateRBACName is path.IsValidPathSegmentName
  if (group === RBAC_GROUP) return { validate: isValidPathSegmentName, max: 253, dots: true };
  if (SUBDOMAIN_KINDS.has(`${group}/${doc.kind}`)) return SUBDOMAIN;
  // A custom resource: apiextensions-apiserver customresource/validator.go validates its
  // metadata with NameIsDNSSubdomain. A group the release serves is built in, and its other kinds
  // have validators kdry does not know.
  if (!builtInGroups(kubernetes.catalog).has(group)) return SUBDOMAIN;
  return undefined;
}

const groupsByCatalog = new WeakMap<SchemaCatalog, Set<string>>();

function builtInGroups(catalog: SchemaCatalog): Set<string> {
  let groups = groupsByCatalog.get(catalog);
  if (!groups) {
    groups = new Set();
    for (const served of catalog.release.kinds.values()) groups.add(served.apiVersion.includes('/') ? served.apiVersion.slice(0, served.apiVersion.indexOf('/')) : '');
    groupsByCatalog.set(catalog, groups);
  }
  return groups;
}

function check({ doc, kubernetes }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const name = valueAt(doc.value, ['metadata', 'name']);
  const names = typeof name === 'string' ? nameCheck(doc, kubernetes) : undefined;
  if (typeof name === 'string' && names) {
    if (names !== SUBDOMAIN) report(findings, doc, ['metadata', 'name'], name, names.validate, names.max, names.dots);
    else {
      report(findings, doc, ['metadata', 'name'], name, isDNS1123Subdomain, 253, true);
      if (doc.kind === 'CronJob' && name.length > CRONJOB_NAME_MAX && isDNS1123Subdomain(name).length === 0)
        report(findings, doc, ['metadata', 'name'], name, (v) => (v.length > CRONJOB_NAME_MAX ? [`must be no more than ${CRONJOB_NAME_MAX} characters`] : []), CRONJOB_NAME_MAX, true);
      // the Job's name becomes the value of its pods' job-name labels
      if (doc.kind === 'Job' && name.length > 63 && isDNS1123Subdomain(name).length === 0)
        report(findings, doc, ['metadata', 'name'], name, (v) => (v.length > 63 ? [`${maxLenError(63)} (it is the value of the pods' batch.kubernetes.io/job-name label)`] : []), 63, true);
    }
  }
  const ns = valueAt(doc.value, ['metadata', 'namespace']);
  // kubectl leaves a cluster-scoped object's namespace out of the request
  if (typeof ns === 'string' && !isClusterScoped(doc.kind)) report(findings, doc, ['metadata', 'namespace'], ns, isDNS1123Label, 63, false);
  // A container's or port's path is built only when its name is invalid (most are not; issue #11).
  for (const c of podTemplate(doc, true)?.containers ?? []) {
    if (typeof c.value.name === 'string' && isDNS1123Label(c.value.name).length > 0) report(findings, doc, [...c.path, 'name'], c.value.name, isDNS1123Label, 63, false);
    const ports = c.value.ports;
    if (!Array.isArray(ports)) continue;
    for (let i = 0; i < ports.length; i++) {
      const p: unknown = ports[i];
      if (isRecord(p) && typeof p.name === 'string' && isValidPortName(p.name).length > 0) report(findings, doc, [...c.path, 'ports', i, 'name'], p.name, isValidPortName, 15, false);
    }
  }
  if (doc.kind === 'Service') {
    const ports = valueAt(doc.value, ['spec', 'ports']);
    if (Array.isArray(ports))
      ports.forEach((p, i) => {
        if (isRecord(p) && typeof p.name === 'string' && p.name !== '') report(findings, doc, ['spec', 'ports', i, 'name'], p.name, isDNS1123Label, 63, false);
      });
  }
  return findings;
}

function report(findings: Finding[], doc: ManifestDocument, path: ObjectPath, value: string, validate: Validator, max: number, dots: boolean): void {
  const errors = validate(value);
  if (errors.length === 0) return;
  const range = valueRange(doc, path)!;
  const suggestion = sanitizeDnsName(value, max, dots);
  const fix: Fix | undefined = suggestion && suggestion !== value && validate(suggestion).length === 0 ? { title: `Rename to ${suggestion}`, edits: [{ range, newText: yamlScalar(suggestion) }] } : undefined;
  findings.push({
    ruleId: invalidName.id,
    range,
    message: `The API server rejects this ${doc.kind}: ${errors.map((e) => `\`${fieldPath(path)}: Invalid value: ${JSON.stringify(value)}: ${e}\``).join('; ')}.`,
    fixes: fix && (() => [fix]),
  });
}
