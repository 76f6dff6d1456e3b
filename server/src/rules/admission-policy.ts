// What a ValidatingAdmissionPolicy of the workspace, through its binding, will say when the
// document is applied (server/src/admission/): Deny is an error, Warn a warning, Audit information.
import { closestRange, valueRange, type ManifestDocument, type Offsets } from '../manifest';
import { ADMISSION_API_VERSION, policyPairs, readBinding, readPolicy } from '../admission/policies';
import { policyCompileErrors } from '../admission/policy-compile';
import { admissionResults, type AdmissionNote, type AdmissionResult, type KindInfo } from '../admission/evaluate';
import { controllerPodOf } from '../admission/controller-pod';
import { podTemplatePath } from '../manifest/pod-template';
import { isComponentConfigGroup } from '../k8s/component-config';
import { buildsOf, type Build } from '../scope/built-document';
import { customKindConversion, customKindPlural, customKindScope } from '../crd/registry';
import type { SchemaCatalog } from '../schema/catalog';
import type { KubernetesTarget } from '../schema/target';
import type { WorkspaceIndex } from '../workspace';
import type { Finding, Severity } from '../findings';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { findingsPerBuild } from './lookup/per-build';
import { everyPodForbidden, podNameOf } from './lookup/failed-create';

const SEVERITY: Record<'Deny' | 'Warn' | 'Audit', Severity> = { Deny: 'error', Warn: 'warning', Audit: 'info' };

export const admissionPolicy: Rule = defineRule({
  id: 'admission-policy',
  title: 'Denied by a ValidatingAdmissionPolicy of the workspace',
  severity: 'error',
  crossDocument: true,
  description: [
    'A ValidatingAdmissionPolicy with a ValidatingAdmissionPolicyBinding runs its CEL validations on every request its match constraints select.',
    'kdry evaluates the policies of the workspace against each document as a CREATE: resource rules by group, version and resource, object selectors, namespace selectors when the Namespace document is in the workspace,',
    'matchConditions, variables (lazily, failing only the expressions that read them), validations with message or messageExpression, auditAnnotations (their values shown as information), within the API server\'s runtime cost budgets.',
    'The pods a workload\'s controller creates (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob) are admitted too: a policy on pods judges the pod built from the template, created by the controller\'s service account, and a denial is the controller\'s FailedCreate, reported at the template.',
    'The binding\'s validationActions decide: Deny is an error (the API server refuses the object), Warn a warning (kubectl prints it), Audit information.',
    'An expression that fails at run time denies under failurePolicy Fail (the default) and is ignored under Ignore.',
    'On the policy itself: the expressions the API server does not compile when the policy is created (syntax, undeclared references, undefined fields of request, namespaceObject and variables, a result of the wrong type) are errors; such a policy is refused, so it judges no document.',
    'Parameters are the workspace objects the binding\'s paramRef names or selects, read through paramKind\'s version; when the workspace has none, parameterNotFoundAction Deny is a warning (the cluster may have them), otherwise the policy is noted, not guessed.',
  ].join(' '),
  remediation: 'Change the document so that the policy\'s expression holds, as its message says, or change the policy or its binding.',
  check,
});

function check({ file, doc, workspace, kubernetes }: RuleContext): Finding[] {
  const own = doc.apiVersion !== ADMISSION_API_VERSION ? [] : doc.kind === 'ValidatingAdmissionPolicy' ? policyFindings(doc, kubernetes.version) : doc.kind === 'ValidatingAdmissionPolicyBinding' ? bindingFindings(doc) : [];
  // A kustomization (or other component configuration) is read by a tool, never sent to the API server.
  if (isComponentConfig(doc.apiVersion) || policyPairs(workspace).length === 0) return own;
  // The API server admits the object kustomize builds: its namespace, name and labels are the build's,
  // once per overlay that applies the file (the base's own build is never applied alone).
  const range = closestRange(doc, ['kind']);
  const template = podTemplatePath(doc);
  const templateRange = template && template.length > 0 ? closestRange(doc, template) : undefined;
  return [...own, ...findingsPerBuild(buildsOf(workspace, file.uri, doc), (build) => [...buildFindings(build, workspace, kubernetes, range), ...(templateRange ? podFindings(build, workspace, kubernetes, templateRange) : [])])];
}

/**
 * The pods the workload's controller creates go through admission too (replica_set.go manageReplicas
 * -> controller_utils.go CreatePods): a denied pod is the controller's FailedCreate, and none runs.
 */
function podFindings({ doc: applied, root }: Build, workspace: WorkspaceIndex, kubernetes: KubernetesTarget, range: Offsets): Finding[] {
  const pod = controllerPodOf(applied);
  if (!pod) return [];
  const { results, notes, auditAnnotations } = admissionResults(pod.doc, workspace, 'pods', kubernetes.version, kindInfo(workspace, kubernetes), pod, root);
  const creates = applied.kind === 'Deployment' ? 'its ReplicaSet creates' : applied.kind === 'CronJob' ? 'of the Jobs it starts' : 'it creates';
  const finding = (severity: Severity, message: string): Finding => ({ ruleId: admissionPolicy.id, severity, range, message });
  const findings = results.map((r) => {
    const audited = r.audited ? `; the audit log also records it (${VALIDATION_FAILURE_ANNOTATION})` : '';
    if (r.action === 'Warn') return finding('warning', `Each pod ${creates} is admitted with the warning "${r.message}" (the controller receives it, kubectl shows nothing)${audited}`);
    if (r.action === 'Audit') return finding('info', `Each pod ${creates} is audited (${VALIDATION_FAILURE_ANNOTATION}): ${r.message}`);
    const forbidden = everyPodForbidden(applied, `pods ${JSON.stringify(podNameOf(applied))} is forbidden: ${r.message}`);
    return r.unless ? finding('warning', `Unless ${r.unless}: ${forbidden}`) : finding('error', forbidden);
  });
  for (const a of auditAnnotations) findings.push(finding('info', `For each pod ${creates}, ValidatingAdmissionPolicy '${a.policy}' records the audit annotation "${a.key}": "${a.value}"`));
  for (const n of uniqueNotes(notes)) findings.push(finding('info', `kdry did not evaluate ValidatingAdmissionPolicy '${n.pair.policy.name}' (binding '${n.pair.binding.name}') for the pods ${creates}: ${n.reason}.`));
  return findings;
}

/** One note per policy and binding. */
function uniqueNotes(notes: readonly AdmissionNote[]): AdmissionNote[] {
  const noted = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.pair.policy.name}/${n.pair.binding.name}`;
    if (noted.has(key)) return false;
    noted.add(key);
    return true;
  });
}

function buildFindings({ doc: applied, root }: Build, workspace: WorkspaceIndex, kubernetes: KubernetesTarget, range: Offsets): Finding[] {
  const { results, notes, auditAnnotations } = admissionResults(applied, workspace, resourceOf(applied, workspace, kubernetes), kubernetes.version, kindInfo(workspace, kubernetes), undefined, root);
  const findings: Finding[] = results.map((r) => ({ ruleId: admissionPolicy.id, severity: r.unless ? 'warning' : SEVERITY[r.action], range, message: messageOf(r) }));
  // The audit log records them; kubectl shows nothing: information.
  for (const a of auditAnnotations) findings.push({ ruleId: admissionPolicy.id, severity: 'info', range, message: `ValidatingAdmissionPolicy '${a.policy}' records the audit annotation "${a.key}": "${a.value}"` });
  for (const n of uniqueNotes(notes)) {
    findings.push({ ruleId: admissionPolicy.id, severity: 'info', range, message: `kdry did not evaluate ValidatingAdmissionPolicy '${n.pair.policy.name}' (binding '${n.pair.binding.name}') for this object: ${n.reason}.` });
  }
  return findings;
}

function isComponentConfig(apiVersion: string | undefined): boolean {
  const slash = apiVersion?.indexOf('/') ?? -1;
  return slash > 0 && isComponentConfigGroup(apiVersion!.slice(0, slash));
}

/** The policy's own expressions that the API server does not compile when the policy is created: it refuses the policy. */
function policyFindings(doc: ManifestDocument, release: string): Finding[] {
  const policy = readPolicy(doc);
  if (!policy) return [];
  return policyCompileErrors(policy, release).map((e) => ({
    ruleId: admissionPolicy.id,
    severity: 'error',
    range: valueRange(doc, e.path) ?? closestRange(doc, e.path),
    message: `The API server refuses this policy: The ValidatingAdmissionPolicy "${policy.name}" is invalid: ${e.message}`,
  }));
}

/** What the API server refuses in the binding's matchResources and paramRef.selector when it is created: it refuses the binding. */
function bindingFindings(doc: ManifestDocument): Finding[] {
  const binding = readBinding(doc);
  if (!binding) return [];
  return binding.creation.errors.map((e) => ({
    ruleId: admissionPolicy.id,
    severity: 'error',
    range: valueRange(doc, e.path) ?? closestRange(doc, e.path),
    message: `The API server refuses this binding: The ValidatingAdmissionPolicyBinding "${binding.name}" is invalid: ${e.message}`,
  }));
}

/** The audit annotation dispatcher.go publishValidationFailureAnnotation records a failure under when the binding's actions include Audit. */
const VALIDATION_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';

function messageOf(r: AdmissionResult): string {
  // The workspace cannot prove what the cluster lacks: a warning that says what would prevent the denial.
  if (r.unless) return `Unless ${r.unless}, the API server refuses this object: ${r.message}`;
  const audited = r.audited ? `; the audit log also records it (${VALIDATION_FAILURE_ANNOTATION})` : '';
  return r.action === 'Deny' ? `The API server refuses this object: ${r.message}${audited}` : r.action === 'Warn' ? `kubectl prints "Warning: ${r.message}"${audited}` : `Audit (${VALIDATION_FAILURE_ANNOTATION}): ${r.message}`;
}

/**
 * The resource a request for `doc` names, as admission rules match it: the release's for a built-in
 * kind, the workspace CRD's spec.names.plural for a custom one; else admissionResults guesses it.
 */
function resourceOf(doc: ManifestDocument, workspace: WorkspaceIndex, kubernetes: KubernetesTarget): string | undefined {
  if (!doc.apiVersion || !doc.kind) return undefined;
  return kubernetes.catalog.servedKind(`${doc.apiVersion}/${doc.kind}`)?.resource ?? customKindPlural(workspace, doc.apiVersion, doc.kind);
}

/** A kind's scope and versions: the release's API for a built-in kind, a workspace CRD for a custom one. */
function kindInfo(workspace: WorkspaceIndex, kubernetes: KubernetesTarget): KindInfo {
  return {
    namespaced(apiVersion, kind) {
      const served = kubernetes.catalog.servedKind(`${apiVersion}/${kind}`);
      if (served) return served.namespaced;
      const scope = customKindScope(workspace, apiVersion, kind);
      return scope === undefined ? undefined : scope !== 'Cluster';
    },
    conversion(kind, from, to) {
      const strategy = customKindConversion(workspace, to, kind);
      if (strategy === undefined) return { reason: `the API server converts it, which kdry does not model for ${kind}` };
      const version = to.slice(to.indexOf('/') + 1);
      if (!strategy.served.includes(version)) return { reason: `the CRD in the workspace does not serve ${to}` };
      if (strategy.strategy === 'None') return 'apiVersion';
      return { reason: `the CRD converts it with its conversion webhook, which kdry cannot run` };
    },
    equivalents(apiVersion, kind) {
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const builtin = servedVersions(kubernetes.catalog).get(`${group}/${kind}`);
      if (builtin) return builtin;
      const custom = customKindConversion(workspace, apiVersion, kind);
      const plural = customKindPlural(workspace, apiVersion, kind);
      return custom && plural ? custom.served.map((version) => ({ apiVersion: `${group}/${version}`, resource: plural })) : [];
    },
  };
}

/** Per release: every version serving each group/kind (an equivalent resource of the others). */
const versionsByCatalog = new WeakMap<SchemaCatalog, Map<string, { apiVersion: string; resource: string }[]>>();

function servedVersions(catalog: SchemaCatalog): Map<string, { apiVersion: string; resource: string }[]> {
  let byKind = versionsByCatalog.get(catalog);
  if (!byKind) {
    byKind = new Map();
    for (const served of catalog.release.kinds.values()) {
      const slash = served.apiVersion.indexOf('/');
      const key = `${slash < 0 ? '' : served.apiVersion.slice(0, slash)}/${served.kind}`;
      byKind.set(key, [...(byKind.get(key) ?? []), { apiVersion: served.apiVersion, resource: served.resource }]);
    }
    versionsByCatalog.set(catalog, byKind);
  }
  return byKind;
}
